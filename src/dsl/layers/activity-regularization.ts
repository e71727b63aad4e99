// ActivityRegularization: passes its input and adds l1 * sum(|x|) + l2 * sum(x^2), divided by the batch size, to
// the loss (in fit and evaluate, training or not, as Keras adds it in every call). Keras 3:
// keras/src/layers/regularization/activity_regularization.py (activity_regularizer=L1L2(l1, l2)) and
// keras/src/layers/layer.py (__call__: the activity loss divided by the batch size, then add_loss). Written with
// the public layer API (its call's addLoss), as a user's layer would add a loss.
import * as tf from '@tensorflow/tfjs';
import { defineLayer } from '../define.ts';
import type { DTypeOf, InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type NonNegativeOptionsCheck, nonNegative } from '../options.ts';
import { registerLayer } from '../registry.ts';

export interface ActivityRegularizationOptions extends BaseOptions {
  /** The L1 factor. Default 0. */
  readonly l1?: number;
  /** The L2 factor. Default 0. */
  readonly l2?: number;
}

/** The input, unchanged (its dtype too, as Keras's call returns its input). */
export interface ActivityRegularizationRule extends Rule {
  readonly output: Ok<InputOf<this>, DTypeOf<this>>;
}

const ActivityRegularizationClass = defineLayer({
  className: 'ActivityRegularization',
  config: ({ l1 = 0, l2 = 0 }) => ({
    l1: nonNegative('ActivityRegularization', 'l1', l1),
    l2: nonNegative('ActivityRegularization', 'l2', l2),
  }),
  outputShape: (input) => input,
  call(input, _weights, { addLoss, config: { l1, l2 } }) {
    const x = tf.cast(input, 'float32');
    const batch = x.shape[0] ?? 1;
    const penalty = tf.add(tf.mul(l1, tf.sum(tf.abs(x))), tf.mul(l2, tf.sum(tf.square(x))));
    addLoss(batch === 0 ? tf.zerosLike(penalty) : tf.div(penalty, batch));
    return tf.clone(input);
  },
});

/**
 * `ActivityRegularization({ l1 = 0, l2 = 0, name })`.
 * @example ActivityRegularization({ l2: 0.01 })(Input([16])) //=> SymbolicTensor<[16], 'float32', never>
 */
export function ActivityRegularization<const Options extends ActivityRegularizationOptions = Record<never, never>>(
  options?: Options & NonNegativeOptionsCheck<'ActivityRegularization', Options, 'l1' | 'l2'>,
): Layer<ActivityRegularizationRule> {
  return ActivityRegularizationClass.create(options);
}

registerLayer('ActivityRegularization', (config, name) => ActivityRegularizationClass.fromConfig(config, name));
