// Layers that compute in floating point take int32 tensors as Keras does, whose ops promote integers to float32.
// tfjs's kernels do not: conv2d, the pools, tanh and dropout's scaling refuse int32, and relu, linear and
// batch normalization compute in integers. So the tfjs twin of such a layer casts its inputs first.
import * as tf from '@tensorflow/tfjs';

const toFloat = (tensor: tf.Tensor): tf.Tensor => (tensor.dtype === 'float32' ? tensor : tf.cast(tensor, 'float32'));

/** The same tfjs layer, casting its inputs to float32 before it computes. */
export function floatInputs<Lowered extends tf.layers.Layer>(layer: Lowered): Lowered {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(Array.isArray(inputs) ? inputs.map(toFloat) : toFloat(inputs), kwargs);
  return layer;
}
