// Activation: applies an activation function; the shape is unchanged, the result float32 (int32 is cast first).
import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activation-functions.ts';
import { floatInputs } from '../float-inputs.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type Activation as ActivationName, activations, type BaseOptions, oneOf, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface ActivationRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * `Activation('relu', { name })`.
 * @example Activation('softmax')(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function Activation(activation: ActivationName, options?: BaseOptions): Layer<ActivationRule>;
export function Activation(activation: unknown, options?: unknown): Layer<Rule> {
  return activationLayer(activation, options);
}

/** Activation from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function activationLayer(activation: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Activation', options);
  const name = oneOf('Activation', 'activation', activation, activations);
  return unaryLayer(
    {
      className: 'Activation',
      config: { activation: name },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (layerName) => floatInputs(tf.layers.activation({ activation: tfjsActivation(name), name: layerName })),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Activation', (config, name) => activationLayer(config.activation, named(name)));
