// Rescaling: x * scale + offset, Keras's `Rescaling(scale, offset=0.0)` (e.g. 1 / 255 for pixels). Keras 3:
// keras/src/layers/preprocessing/rescaling.py (no weights; the shape unchanged; the result in the compute dtype,
// float32).
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../../errors.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface RescalingOptions extends BaseOptions {
  /** Added after scaling. Default 0. */
  readonly offset?: number;
}

export interface RescalingRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * `Rescaling(scale, { offset = 0, name })`.
 * @example Rescaling(1 / 255)(Input([28, 28, 1], { dtype: 'int32' })) //=> SymbolicTensor<[28, 28, 1], 'float32', never>
 */
export function Rescaling(scale: number, options?: RescalingOptions): Layer<RescalingRule>;
export function Rescaling(scale: unknown, options?: unknown): Layer<Rule> {
  return rescalingLayer(scale, options);
}

function finite(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail({ code: 'option', layer: 'Rescaling', option, expected: 'a finite number', received: describe(value) });
  return value;
}

/** Rescaling from values nobody has checked (a caller's, or a saved config's). */
function rescalingLayer(scale: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Rescaling', options);
  const factor = finite('scale', scale);
  const offset = finite('offset', opts.offset ?? 0);
  return unaryLayer(
    {
      className: 'Rescaling',
      config: { scale: factor, offset },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      // tfjs's Rescaling casts to float32 first.
      lower: (name) => tf.layers.rescaling({ scale: factor, offset, name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Rescaling', (config, name) => rescalingLayer(config.scale, { ...config, ...named(name) }));
