// Keras's activation names, as tfjs computes them. tfjs-layers resolves an activation by the class name it is
// registered under, so the ones it lacks, or computes another way, are registered here as classes of their own,
// with Keras 3's formulas (keras/src/activations/activations.py). Their class names survive tfjs's snake_case
// round trip, so a saved model that tfjs loads by itself (once kerats is imported) computes the same.
import * as tf from '@tensorflow/tfjs';
import type { Activation } from './options.ts';

/** The names tfjs's layers take for an activation. */
export type TfjsActivation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;

function define(className: string, apply: (x: tf.Tensor) => tf.Tensor): string {
  class KerasActivation extends tf.serialization.Serializable {
    static readonly className = className;
    override getClassName(): string {
      return className;
    }
    apply(x: tf.Tensor): tf.Tensor {
      return tf.tidy(() => apply(x));
    }
    getConfig(): tf.serialization.ConfigDict {
      return {};
    }
  }
  tf.serialization.registerClass(KerasActivation);
  return className;
}

/** Keras 3's hard_sigmoid: relu6(x + 3) / 6 (tfjs's hardSigmoid is Keras 2's 0.2 * x + 0.5, clipped). */
const hardSigmoid = (x: tf.Tensor): tf.Tensor => tf.div(tf.relu6(tf.add(x, 3)), 6);

/** Where a Keras name is computed by a class other than the tfjs one of that name. */
const kerasOwn: { readonly [name: string]: string } = {
  exponential: define('exponential', (x) => tf.exp(x)),
  leaky_relu: define('leakyRelu', (x) => tf.leakyRelu(x, 0.2)),
  hard_sigmoid: define('kerasHardSigmoid', hardSigmoid),
  hard_silu: define('hardSilu', (x) => tf.mul(x, hardSigmoid(x))),
  hard_swish: 'hardSilu',
  silu: 'swish',
  log_softmax: 'logSoftmax',
};

/** Whether tfjs computes an activation by this name (its own, or one registered here). */
export function isRegistered(name: string): name is TfjsActivation {
  return tf.serialization.SerializationMap.getMap().classNameMap[name] !== undefined;
}

/** The tfjs activation that computes Keras's `name`. */
export function tfjsActivation(name: Activation): TfjsActivation {
  const tfjsName = kerasOwn[name] ?? name;
  if (!isRegistered(tfjsName)) throw new Error(`kerats: tfjs has no activation ${tfjsName}`);
  return tfjsName;
}
