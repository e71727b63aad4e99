// A gradient tfjs gets wrong, registered again. tfjs hands a kernel with one output its gradient as a tensor,
// not a list of one, and Unpack's gradient stacks what it is handed: unstacking a one-step sequence (an RNN
// over [1, features] whose input needs a gradient, as a stacked RNN's does) fails to train.
import * as tf from '@tensorflow/tfjs';

tf.registerGradient({
  kernelName: tf.Unpack,
  gradFunc: (dy, _saved, attrs) => {
    const axis = typeof attrs.axis === 'number' ? attrs.axis : 0;
    return { value: () => tf.stack(Array.isArray(dy) ? dy : [dy], axis) };
  },
});
