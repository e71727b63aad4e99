// An option that names one of Keras's classes, as a constraint or a regularizer option does: a name (camelCase,
// snake_case or the class name) or `{ className, config }`. Read here into its kind and the config it was given,
// whose keys are checked against those of the kind; each file checks its own kinds' values.
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';

/** The classes an option can name. */
export interface ClassOptionKinds<Kind extends string> {
  readonly kinds: readonly Kind[];
  /** Other names of a kind (snake_case, class names). */
  readonly aliases: { readonly [alias: string]: Kind };
  /** The config keys a kind takes. */
  readonly keys: (kind: Kind) => readonly string[];
  /** The valid names, for the message on any other. */
  readonly expectedNames: string;
  /** What the option takes, for the message on a value that is neither a name nor an object. */
  readonly expected: string;
}

/** A class option's kind and given config (`{}` for a name alone); fails on anything else, naming the option. */
export function classOption<Kind extends string>(
  classes: ClassOptionKinds<Kind>,
  layer: string,
  option: string,
  value: unknown,
): { readonly kind: Kind; readonly given: { readonly [key: string]: unknown } } {
  if (typeof value !== 'string' && !isRecord(value))
    return fail({ code: 'option', layer, option, expected: classes.expected, received: describe(value) });
  const name = isRecord(value) ? value.className : value;
  const kind =
    classes.kinds.find((each) => each === name) ??
    Object.entries(classes.aliases).find(([alias]) => alias === name)?.[1] ??
    fail({
      code: 'option',
      layer,
      option: typeof value === 'string' ? option : `${option}.className`,
      expected: classes.expectedNames,
      received: describe(name),
    });
  const given = isRecord(value) ? (value.config ?? {}) : {};
  if (!isRecord(given))
    return fail({
      code: 'option',
      layer,
      option: `${option}.config`,
      expected: 'an object',
      received: describe(given),
    });
  const keys = classes.keys(kind);
  for (const key of Object.keys(given))
    if (!keys.includes(key))
      fail({
        code: 'option',
        layer,
        option: `${option}.config`,
        expected: keys.length === 0 ? `empty for ${kind}` : `keys among ${keys.map(describe).join(', ')} for ${kind}`,
        received: describe(key),
      });
  return { kind, given };
}
