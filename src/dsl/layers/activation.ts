// Activation: applies an activation function; the shape is unchanged, the result float32 (int32 is cast first).
// 'glu' (Keras 3's gated linear unit, keras/src/activations/activations.py) is the exception: it splits the last
// axis in two halves a and b and gives a * sigmoid(b), so it is taken by this layer only, which says its shape.
import * as tf from '@tensorflow/tfjs';
import { fail, type OddAxisMessage } from '../../errors.ts';
import type { FloorDiv, Mod } from '../../shapes/arithmetic.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { tfjsActivation } from '../activation-functions.ts';
import { floatInputs } from '../float-inputs.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type Activation as ActivationName, activations, type BaseOptions, oneOf, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

export interface ActivationRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * [..., 2n] => [..., n]: glu's output. A last axis the compiler cannot see (`number`, null) stays so.
 * @example GluShape<[10, 8]> //=> Ok<[10, 4], 'float32'>
 */
export type GluShape<S extends Shape> =
  IsUnknownRank<S> extends true
    ? Ok<Dim[], 'float32'>
    : S extends readonly [...infer Rest extends Dim[], infer Last extends Dim]
      ? Last extends number
        ? number extends Last
          ? Ok<[...Rest, number], 'float32'>
          : Mod<Last, 2> extends 0
            ? Ok<[...Rest, Extract<FloorDiv<Last, 2>, number>], 'float32'>
            : OddAxisMessage<'Activation', 'glu', S>
        : Ok<[...Rest, null], 'float32'>
      : OddAxisMessage<'Activation', 'glu', S>;

export interface GluRule extends Rule {
  readonly output: GluShape<InputOf<this>>;
}

/** Every activation this layer takes: the names of the `activation` option, and 'glu'. */
export type ActivationLayerName = ActivationName | 'glu';

/**
 * `Activation('relu', { name })`; `Activation('glu')` halves the last axis.
 * @example Activation('softmax')(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 * @example Activation('glu')(Input([10, 8])) //=> SymbolicTensor<[10, 4], 'float32', never>
 */
export function Activation<const Name extends ActivationLayerName>(
  activation: Name,
  options?: BaseOptions,
): Layer<Name extends 'glu' ? GluRule : ActivationRule>;
export function Activation(activation: unknown, options?: unknown): Layer<Rule> {
  return activationLayer(activation, options);
}

/** Keras 3's glu on the last axis: a * sigmoid(b) for its halves a and b. */
const glu = defineTwin('glu', {
  outputShape: (shape) => [...shape.slice(0, -1), halved(shape.at(-1) ?? null)],
  call: (input) => {
    const [a, b] = tf.split(tf.cast(input, 'float32'), 2, -1);
    if (a === undefined || b === undefined) throw new Error('kerats: glu split its input into fewer than 2 halves');
    return tf.mul(a, tf.sigmoid(b));
  },
});

function halved(size: Dim): Dim {
  return size === null ? null : size / 2;
}

/** Activation from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function activationLayer(activation: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Activation', options);
  const name = oneOf('Activation', 'activation', activation, [...activations, 'glu']);
  return unaryLayer(
    {
      className: 'Activation',
      config: { activation: name },
      outputShape: ({ shape }) => {
        if (name !== 'glu') return { shape, dtype: 'float32' };
        const last = shape.at(-1);
        if (last === undefined || (last !== null && last % 2 !== 0))
          fail({ code: 'odd-axis', layer: 'Activation', what: 'glu', received: shape });
        return { shape: [...shape.slice(0, -1), halved(last ?? null)], dtype: 'float32' };
      },
      weights: () => [],
      lower: (layerName) =>
        name === 'glu'
          ? glu(layerName, {})
          : floatInputs(tf.layers.activation({ activation: tfjsActivation(name), name: layerName })),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Activation', (config, name) => activationLayer(config.activation, named(name)));
