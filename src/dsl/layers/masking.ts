// Masking: a step whose features all equal maskValue is zeroed and masked, so that the layers after it that take
// masks (LSTM, GRU, ...) skip it, as Embedding({ maskZero: true }) does for id 0. Keras 3:
// keras/src/layers/core/masking.py (mask = any(inputs != mask_value, axis=-1); outputs where(mask, inputs, 0); no
// weights). tfjs's Masking computes the same and its computeMask gives the runtime the mask.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type RankMessage } from '../../errors.ts';
import type { Shape } from '../../shapes/dim.ts';
import type { DTypeOf, InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';

export interface MaskingOptions extends BaseOptions {
  /** The value whose steps are masked. Default 0. */
  readonly maskValue?: number;
}

const hint = 'the mask is over the last axis';

/**
 * Rank 1 or more [..., features]; the input's shape and dtype.
 * @example MaskingShape<[10, 8], 'float32'> //=> Ok<[10, 8], 'float32'>
 */
export type MaskingShape<S extends Shape, D extends DType> = S['length'] extends 0
  ? RankMessage<'Masking', 'at least 1', '[..., features]', S, typeof hint>
  : Ok<[...S], D>;

export interface MaskingRule extends Rule {
  readonly output: MaskingShape<InputOf<this>, DTypeOf<this>>;
}

/**
 * `Masking({ maskValue = 0, name })`.
 * @example Masking()(Input([10, 8])) //=> SymbolicTensor<[10, 8], 'float32', never>
 */
export function Masking(options?: MaskingOptions): Layer<MaskingRule>;
export function Masking(options?: unknown): Layer<Rule> {
  return maskingLayer(options);
}

/** Masking from values nobody has checked (a caller's, or a saved config's). */
function maskingLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('Masking', options);
  const maskValue = opts.maskValue ?? 0;
  if (typeof maskValue !== 'number' || Number.isNaN(maskValue))
    fail({
      code: 'option',
      layer: 'Masking',
      option: 'maskValue',
      expected: 'a number',
      received: describe(maskValue),
    });
  return unaryLayer(
    {
      className: 'Masking',
      config: { maskValue },
      outputShape(input) {
        if (input.shape.length === 0)
          fail({
            code: 'rank',
            layer: 'Masking',
            expected: 'at least 1',
            form: '[..., features]',
            received: input.shape,
            hint,
          });
        return input;
      },
      weights: () => [],
      lower: (name) => tf.layers.masking({ maskValue, name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Masking', (config, name) => maskingLayer({ ...config, ...named(name) }));
