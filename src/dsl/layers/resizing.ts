// Resizing: each image resized to [height, width] (its channels kept), Keras's `Resizing(height, width,
// interpolation, crop_to_aspect_ratio)`. Keras 3: keras/src/layers/preprocessing/image_preprocessing/resizing.py
// (compute_output_shape: [height, width, channels]; no weights). tfjs-layers' Resizing passes cropToAspectRatio as
// alignCorners and resizes without half-pixel centers, so this one is written with the public layer API.
import { fail, type RankMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import { asImages, cropToAspect, type Interpolation, resizeImages } from '../image-resize.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, boolean, oneOf, type PositiveArg, positiveInteger } from '../options.ts';
import { registerLayer } from '../registry.ts';

export interface ResizingOptions extends BaseOptions {
  /** Default `'bilinear'`. */
  readonly interpolation?: Interpolation;
  /** Resize the largest centered crop of the target's aspect ratio, so that the image is not distorted. Default `false`. */
  readonly cropToAspectRatio?: boolean;
}

const hint = 'Reshape to [height, width, channels] first?';

/**
 * [h, w, c] => [height, width, c].
 * @example ResizingShape<[64, 48, 3], 32, 32> //=> Ok<[32, 32, 3], 'float32'>
 */
export type ResizingShape<S extends Shape, Height extends number, Width extends number> = S extends readonly [
  Dim,
  Dim,
  infer Channels extends Dim,
]
  ? Ok<[Height, Width, Channels], 'float32'>
  : RankMessage<'Resizing', '3', '[height, width, channels]', S, typeof hint>;

export interface ResizingRule<in out Height extends number, in out Width extends number> extends Rule {
  readonly output: ResizingShape<InputOf<this>, Height, Width>;
}

const ResizingClass = defineLayer({
  className: 'Resizing',
  config: ({ height, width, interpolation = 'bilinear', cropToAspectRatio = false }) => ({
    height: positiveInteger('Resizing', 'height', height),
    width: positiveInteger('Resizing', 'width', width),
    interpolation: oneOf('Resizing', 'interpolation', interpolation, ['bilinear', 'nearest']),
    cropToAspectRatio: boolean('Resizing', 'cropToAspectRatio', cropToAspectRatio),
  }),
  outputShape({ shape }, { height, width }) {
    const [, , channels] = shape;
    if (shape.length !== 3 || channels === undefined)
      return fail({
        code: 'rank',
        layer: 'Resizing',
        expected: '3',
        form: '[height, width, channels]',
        received: shape,
        hint,
      });
    return { shape: [height, width, channels], dtype: 'float32' };
  },
  call(input, _weights, { config: { height, width, interpolation, cropToAspectRatio } }) {
    const images = asImages(input);
    const source = cropToAspectRatio ? cropToAspect(images, height, width) : images;
    return resizeImages(source, height, width, interpolation);
  },
});

/**
 * `Resizing(height, width, { interpolation = 'bilinear', cropToAspectRatio = false, name })`.
 * @example Resizing(32, 32)(Input([64, 48, 3])) //=> SymbolicTensor<[32, 32, 3], 'float32', never>
 */
export function Resizing<const Height extends number, const Width extends number>(
  height: PositiveArg<'Resizing', 'height', Height>,
  width: PositiveArg<'Resizing', 'width', Width>,
  options?: ResizingOptions,
): Layer<ResizingRule<Height, Width>> {
  return ResizingClass.create({ ...options, height, width });
}

registerLayer('Resizing', (config, name) => ResizingClass.fromConfig(config, name));
