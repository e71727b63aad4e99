// Activation: applies an activation function; the shape is unchanged.
import * as tf from '@tensorflow/tfjs';
import type { DTypeOf, InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type Activation as ActivationName, activations, type BaseOptions, oneOf, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface ActivationRule extends Rule {
  readonly output: Ok<InputOf<this>, DTypeOf<this> extends 'int32' ? 'float32' : DTypeOf<this>>;
}

/**
 * `Activation('relu', { name })`.
 * @example Activation('softmax')(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function Activation(activation: ActivationName, options?: BaseOptions): Layer<ActivationRule> {
  const opts = optionsObject('Activation', options);
  const name = oneOf('Activation', 'activation', activation, activations);
  return unaryLayer(
    {
      className: 'Activation',
      config: { activation: name },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (layerName) => tf.layers.activation({ activation: name, name: layerName }),
    },
    opts.name,
  );
}

registerLayer('Activation', (config, name) => Reflect.apply(Activation, undefined, [config.activation, named(name)]));
