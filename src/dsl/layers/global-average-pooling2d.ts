// GlobalAveragePooling2D: the mean over height and width, [height, width, channels] => [channels].
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

const hint = 'Reshape to [height, width, channels] first?';

/** @example GlobalAveragePooling2DShape<[7, 7, 512]> //=> Ok<[512], 'float32'> */
export type GlobalAveragePooling2DShape<S extends Shape> = S extends readonly [Dim, Dim, infer Channels extends Dim]
  ? Ok<[Channels], 'float32'>
  : RankMessage<'GlobalAveragePooling2D', '3', '[height, width, channels]', S, typeof hint>;

export interface GlobalAveragePooling2DRule extends Rule {
  readonly output: GlobalAveragePooling2DShape<InputOf<this>>;
}

/**
 * `GlobalAveragePooling2D({ name })`.
 * @example GlobalAveragePooling2D()(Input([7, 7, 512])) //=> SymbolicTensor<[512], 'float32', never>
 */
export function GlobalAveragePooling2D(options?: BaseOptions): Layer<GlobalAveragePooling2DRule> {
  const opts = optionsObject('GlobalAveragePooling2D', options);
  return unaryLayer(
    {
      className: 'GlobalAveragePooling2D',
      config: {},
      outputShape({ shape }) {
        if (shape.length !== 3)
          fail({
            code: 'rank',
            layer: 'GlobalAveragePooling2D',
            expected: '3',
            form: '[height, width, channels]',
            received: shape,
            hint,
          });
        return { shape: [shape[2] ?? null], dtype: 'float32' };
      },
      weights: () => [],
      lower: (name) => tf.layers.globalAveragePooling2d({ name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('GlobalAveragePooling2D', (_config, name) => GlobalAveragePooling2D(named(name)));
