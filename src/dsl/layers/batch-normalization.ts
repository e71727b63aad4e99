// BatchNormalization: normalises each feature along `axis` (default the last); the shape is unchanged.
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, describe, fail, type UnknownDimMessage } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Shape } from '../../shapes/dim.ts';
import { floatInputs } from '../float-inputs.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, boolean, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface BatchNormalizationOptions extends BaseOptions {
  /** The feature axis, Keras numbering. Default -1. */
  readonly axis?: number;
  /** Default 0.99. */
  readonly momentum?: number;
  /** Default 0.001. */
  readonly epsilon?: number;
  /** Learn an offset (beta). Default `true`. */
  readonly center?: boolean;
  /** Learn a scale (gamma). Default `true`. */
  readonly scale?: boolean;
}

/** @example BatchNormalizationShape<[30, 30, 16], -1> //=> Ok<[30, 30, 16], 'float32'> */
export type BatchNormalizationShape<S extends Shape, Axis extends number> = [AxisIndex<Axis, S['length']>] extends [
  never,
]
  ? BadAxisMessage<'BatchNormalization', Axis, S>
  : S[AxisIndex<Axis, S['length']> & keyof S] extends null
    ? UnknownDimMessage<'BatchNormalization', Axis, S, 'it sizes the statistics'>
    : Ok<[...S], 'float32'>;

export interface BatchNormalizationRule<Axis extends number> extends Rule {
  readonly output: BatchNormalizationShape<InputOf<this>, Axis>;
}

function finite(option: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return fail({
    code: 'option',
    layer: 'BatchNormalization',
    option,
    expected: 'a finite number >= 0',
    received: describe(value),
  });
}

/**
 * `BatchNormalization({ axis, momentum, epsilon, center, scale, name })`.
 * @example BatchNormalization()(Input([30, 30, 16])) //=> SymbolicTensor<[30, 30, 16], 'float32', never>
 */
export function BatchNormalization<const Options extends BatchNormalizationOptions = Record<never, never>>(
  options?: Options,
): Layer<BatchNormalizationRule<Opt<Options, 'axis', -1>>> {
  const opts = optionsObject('BatchNormalization', options);
  const axis = opts.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    fail({
      code: 'option',
      layer: 'BatchNormalization',
      option: 'axis',
      expected: 'an integer',
      received: describe(axis),
    });
  const momentum = finite('momentum', opts.momentum ?? 0.99);
  const epsilon = finite('epsilon', opts.epsilon ?? 0.001);
  const center = boolean('BatchNormalization', 'center', opts.center ?? true);
  const scale = boolean('BatchNormalization', 'scale', opts.scale ?? true);
  const features = (shape: readonly (number | null)[]): number => {
    const index = axisIndex(axis, shape.length);
    if (index === undefined) return fail({ code: 'bad-axis', layer: 'BatchNormalization', axis, received: shape });
    const size = shape[index] ?? null;
    if (size === null)
      return fail({
        code: 'unknown-dim',
        layer: 'BatchNormalization',
        axis,
        received: shape,
        why: 'it sizes the statistics',
      });
    return size;
  };
  return unaryLayer(
    {
      className: 'BatchNormalization',
      config: { axis, momentum, epsilon, center, scale },
      outputShape({ shape }) {
        features(shape);
        return { shape, dtype: 'float32' };
      },
      weights({ shape }) {
        const size = features(shape);
        return [
          ...(scale ? [{ name: 'gamma', shape: [size], trainable: true }] : []),
          ...(center ? [{ name: 'beta', shape: [size], trainable: true }] : []),
          { name: 'moving_mean', shape: [size], trainable: false },
          { name: 'moving_variance', shape: [size], trainable: false },
        ];
      },
      // tfjs counts axes with the batch, as Keras does: -1 stays -1, axis k stays k.
      lower: (name) => floatInputs(tf.layers.batchNormalization({ axis, momentum, epsilon, center, scale, name })),
    },
    opts.name,
  );
}

registerLayer('BatchNormalization', (config, name) =>
  Reflect.apply(BatchNormalization, undefined, [{ ...config, ...named(name) }]),
);
