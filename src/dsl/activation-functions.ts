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

/**
 * Sparsemax over the last axis, as Keras documents it: the projection onto the simplex, relu(x - tau) with tau =
 * (sum of the support - 1) / its size, so the outputs sum to 1. Keras 3's backends (keras/src/backend/{numpy,jax,tensorflow}/nn.py)
 * subtract the sum of the support's cumulative sums instead, which agrees only when the support is one entry
 * (the only case its tests check); kerats computes the projection. Its gradient is the projection's Jacobian:
 * g minus its mean over the support, on the support (tfjs's topk has no gradient).
 */
const sparsemax = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args;
  if (!(x instanceof tf.Tensor) || typeof save !== 'function') throw new Error('kerats: sparsemax takes one tensor');
  const axis = x.rank - 1;
  const size = x.shape[axis] ?? 1;
  const sorted = tf.topk(x, size).values; // descending
  const cumsum = tf.cumsum(sorted, axis);
  const ranks = tf.range(1, size + 1);
  const inSorted = tf.greater(tf.sub(sorted, tf.div(tf.sub(cumsum, 1), ranks)), 0);
  const k = tf.sum(tf.cast(inSorted, 'float32'), axis, true);
  const kept = tf.sum(tf.where(inSorted, sorted, tf.zerosLike(sorted)), axis, true); // the support's sum
  const value = tf.relu(tf.sub(x, tf.div(tf.sub(kept, 1), k)));
  const support = tf.cast(tf.greater(value, 0), 'float32');
  save([support]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [mask = tf.onesLike(dy)] = saved;
      const mean = tf.div(tf.sum(tf.mul(dy, mask), -1, true), tf.maximum(tf.sum(mask, -1, true), 1));
      return tf.mul(mask, tf.sub(dy, mean));
    },
  };
});

/** Where a Keras name is computed by a class other than the tfjs one of that name. */
const kerasOwn: { readonly [name: string]: string } = {
  exponential: define('exponential', (x) => tf.exp(x)),
  leaky_relu: define('leakyRelu', (x) => tf.leakyRelu(x, 0.2)),
  hard_sigmoid: define('kerasHardSigmoid', hardSigmoid),
  hard_silu: define('hardSilu', (x) => tf.mul(x, hardSigmoid(x))),
  hard_swish: 'hardSilu',
  silu: 'swish',
  log_softmax: 'logSoftmax',
  // Keras 3.8+'s activations, with their default arguments.
  celu: define('celu', (x) => tf.add(tf.relu(x), tf.sub(tf.exp(tf.minimum(x, 0)), 1))),
  squareplus: define('squareplus', (x) => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), 4))), 2)),
  soft_shrink: define('softShrink', (x) =>
    tf.where(tf.greater(x, 0.5), tf.sub(x, 0.5), tf.where(tf.less(x, -0.5), tf.add(x, 0.5), tf.zerosLike(x))),
  ),
  sparse_plus: define('sparsePlus', (x) =>
    tf.where(tf.lessEqual(x, -1), tf.zerosLike(x), tf.where(tf.less(x, 1), tf.mul(0.25, tf.square(tf.add(x, 1))), x)),
  ),
  tanh_shrink: define('tanhShrink', (x) => tf.sub(x, tf.tanh(x))),
  sparse_sigmoid: define('sparseSigmoid', (x) => tf.clipByValue(tf.mul(0.5, tf.add(x, 1)), 0, 1)),
  hard_tanh: define('hardTanh', (x) => tf.clipByValue(x, -1, 1)),
  hard_shrink: define('hardShrink', (x) => tf.where(tf.greater(tf.abs(x), 0.5), x, tf.zerosLike(x))),
  log_sigmoid: define('logSigmoid', (x) => tf.logSigmoid(x)),
  sparsemax: define('sparsemax', (x) => sparsemax(x)),
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
