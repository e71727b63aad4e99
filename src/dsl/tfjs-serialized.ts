// The weight options of a kerats-defined tfjs class (an initializer, constraint or regularizer), held in its config as
// tfjs's own layers hold them: `{ className, config }` of the tfjs object. tfjs's save rewrites the strings of a
// config to snake_case and its load back to camelCase, which tfjs's own names survive (kerats' Keras-style names,
// such as 'fan_out', would not), so Bidirectional's copy and tf.loadLayersModel rebuild the same objects.
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import type { TfConstraint } from './constraints.ts';
import type { TfInitializer } from './initializers.ts';
import type { TfRegularizer } from './regularizers.ts';

/** A tfjs initializer, constraint or regularizer in tfjs's serialized form. */
export function serialized(value: tf.serialization.Serializable): tf.serialization.ConfigDict {
  return { className: value.getClassName(), config: value.getConfig() };
}

/** The tfjs object a config names under `key`, by its registered class (kerats' or tfjs's); undefined if none. */
export function deserialized<Made extends tf.serialization.Serializable>(
  layer: string,
  config: tf.serialization.ConfigDict,
  key: string,
  what: string,
  is: (value: tf.serialization.Serializable) => value is Made,
): Made | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  const entry =
    typeof value === 'object' && !Array.isArray(value) && typeof value.className === 'string'
      ? tf.serialization.SerializationMap.getMap().classNameMap[value.className]
      : undefined;
  const settings = typeof value === 'object' && !Array.isArray(value) ? value.config : undefined;
  if (entry === undefined)
    return fail({
      code: 'option',
      layer,
      option: key,
      expected: '{ className, config } of a registered tfjs class',
      received: describe(value),
    });
  const [cls, fromConfig] = entry;
  const made = fromConfig(
    cls,
    typeof settings === 'object' && settings !== null && !Array.isArray(settings) ? settings : {},
  );
  if (!is(made)) return fail({ code: 'option', layer, option: key, expected: what, received: describe(value) });
  return made;
}

// tfjs exports neither the Initializer nor the Constraint class: a registered class under an initializer's key with
// an apply method is taken for one, as tfjs's own getInitializer takes what its registry gives.
export function isInitializer(value: tf.serialization.Serializable): value is TfInitializer {
  return 'apply' in value && typeof value.apply === 'function';
}

export function isConstraint(value: tf.serialization.Serializable): value is TfConstraint {
  return 'apply' in value && typeof value.apply === 'function';
}

export function isRegularizer(value: tf.serialization.Serializable): value is TfRegularizer {
  return 'apply' in value && typeof value.apply === 'function';
}
