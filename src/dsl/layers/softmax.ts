// Softmax: exp(x) / sum(exp(x)) along one axis; the shape is unchanged, the result float32. Keras 3:
// keras/src/layers/activations/softmax.py (axis defaults to -1).
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, fail } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Shape } from '../../shapes/dim.ts';
import { floatInputs } from '../float-inputs.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

export interface SoftmaxOptions extends BaseOptions {
  /** The axis the probabilities sum to 1 along (Keras numbering: 1 is the first after the batch). Default -1. */
  readonly axis?: number;
}

/**
 * The input's shape, where the axis exists.
 * @example SoftmaxShape<[10, 5], 1> //=> Ok<[10, 5], 'float32'>
 */
export type SoftmaxShape<S extends Shape, Axis extends number> = number extends Axis
  ? Ok<[...S], 'float32'>
  : [AxisIndex<Axis, S['length']>] extends [never]
    ? BadAxisMessage<'Softmax', Axis, S>
    : Ok<[...S], 'float32'>;

export interface SoftmaxRule<in out Axis extends number> extends Rule {
  readonly output: SoftmaxShape<InputOf<this>, Axis>;
}

/** Softmax along any axis (tfjs's op takes only the last). */
const softmaxAlong = defineTwin('softmax', {
  outputShape: (shape) => [...shape],
  call: (input, { axis }) => {
    const x = tf.cast(input, 'float32');
    const along = Number(axis);
    const shifted = tf.exp(tf.sub(x, tf.max(x, along, true)));
    return tf.div(shifted, tf.sum(shifted, along, true));
  },
});

/** The untyped implementation, which the typed signature and the loader call. */
function softmaxLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('Softmax', options);
  const axis = opts.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    fail({ code: 'option', layer: 'Softmax', option: 'axis', expected: 'an integer', received: String(axis) });
  return unaryLayer(
    {
      className: 'Softmax',
      config: { axis },
      outputShape({ shape }) {
        if (axisIndex(axis, shape.length) === undefined)
          fail({ code: 'bad-axis', layer: 'Softmax', axis, received: shape });
        return { shape, dtype: 'float32' };
      },
      weights: () => [],
      lower: (name, calls) => {
        const last = calls.every(({ shape }) => axisIndex(axis, shape.length) === shape.length - 1);
        // Keras's axis numbering is the tensor's own (the batch is axis 0).
        return last ? floatInputs(tf.layers.softmax({ axis: -1, name })) : softmaxAlong(name, { axis });
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Softmax({ axis = -1, name })`.
 * @example Softmax()(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function Softmax<const Options extends SoftmaxOptions = Record<never, never>>(
  options?: Options,
): Layer<SoftmaxRule<Opt<Options, 'axis', -1>>>;
export function Softmax(options?: unknown): Layer<Rule> {
  return softmaxLayer(options);
}

registerLayer('Softmax', (config, name) => softmaxLayer({ ...config, ...named(name) }));
