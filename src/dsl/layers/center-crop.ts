// CenterCrop: the centered [height, width] window of each image (its channels kept); an image smaller than that on
// either side is first cropped to the target's aspect ratio and resized (bilinear), Keras's `CenterCrop(height,
// width)`. Keras 3: keras/src/layers/preprocessing/image_preprocessing/center_crop.py (_center_crop: start
// (size - target) // 2, else smart_resize; compute_output_shape [height, width, channels]; no weights). tfjs-layers'
// CenterCrop samples with cropAndResize and shifts an equal width by one, so this one is written with the public
// layer API.
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import { asImages, cropToAspect, resizeImages } from '../image-resize.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type PositiveArg, positiveInteger } from '../options.ts';
import { registerLayer } from '../registry.ts';

const hint = 'Reshape to [height, width, channels] first?';

/**
 * [h, w, c] => [height, width, c].
 * @example CenterCropShape<[32, 32, 3], 24, 24> //=> Ok<[24, 24, 3], 'float32'>
 */
export type CenterCropShape<S extends Shape, Height extends number, Width extends number> = S extends readonly [
  Dim,
  Dim,
  infer Channels extends Dim,
]
  ? Ok<[Height, Width, Channels], 'float32'>
  : RankMessage<'CenterCrop', '3', '[height, width, channels]', S, typeof hint>;

export interface CenterCropRule<in out Height extends number, in out Width extends number> extends Rule {
  readonly output: CenterCropShape<InputOf<this>, Height, Width>;
}

const CenterCropClass = defineLayer({
  className: 'CenterCrop',
  config: ({ height, width }) => ({
    height: positiveInteger('CenterCrop', 'height', height),
    width: positiveInteger('CenterCrop', 'width', width),
  }),
  outputShape({ shape }, { height, width }) {
    const [, , channels] = shape;
    if (shape.length !== 3 || channels === undefined)
      return fail({
        code: 'rank',
        layer: 'CenterCrop',
        expected: '3',
        form: '[height, width, channels]',
        received: shape,
        hint,
      });
    return { shape: [height, width, channels], dtype: 'float32' };
  },
  call(input, _weights, { config: { height, width } }) {
    const images = asImages(input);
    const [, rows = 1, columns = 1] = images.shape;
    if (rows >= height && columns >= width) {
      const top = Math.floor((rows - height) / 2);
      const left = Math.floor((columns - width) / 2);
      return tf.slice(images, [0, top, left, 0], [-1, height, width, -1]);
    }
    return resizeImages(cropToAspect(images, height, width), height, width, 'bilinear');
  },
});

/**
 * `CenterCrop(height, width, { name })`.
 * @example CenterCrop(24, 24)(Input([32, 32, 3])) //=> SymbolicTensor<[24, 24, 3], 'float32', never>
 */
export function CenterCrop<const Height extends number, const Width extends number>(
  height: PositiveArg<'CenterCrop', 'height', Height>,
  width: PositiveArg<'CenterCrop', 'width', Width>,
  options?: BaseOptions,
): Layer<CenterCropRule<Height, Width>> {
  return CenterCropClass.create({ ...options, height, width });
}

registerLayer('CenterCrop', (config, name) => CenterCropClass.fromConfig(config, name));
