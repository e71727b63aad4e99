// Every error kerats reports, as data, and the one place where that data becomes words.
// Each message exists twice, side by side: a template literal type that the compiler shows at the call that is
// wrong, and the value-level rendering thrown at run time. Tests check that both spell the same sentence.
import type { Dim, Shape, ShowShape } from './shapes/dim.ts';
import { showShape } from './shapes/dim.ts';

export type ErrorData =
  | {
      readonly code: 'rank';
      readonly layer: string;
      readonly expected: string;
      readonly form: string;
      readonly received: Shape;
      readonly hint: string;
    }
  | {
      readonly code: 'unknown-dim';
      readonly layer: string;
      readonly axis: number;
      readonly received: Shape;
      readonly why: string;
    }
  | {
      readonly code: 'window-too-large';
      readonly layer: string;
      readonly window: 'kernel' | 'pool';
      readonly size: number;
      readonly needed: number;
      readonly axis: number;
      readonly received: Shape;
    }
  | {
      readonly code: 'axis-mismatch';
      readonly layer: string;
      readonly axis: number;
      readonly shapes: readonly [Shape, Shape];
      readonly note: string;
    }
  | {
      readonly code: 'rank-mismatch';
      readonly layer: string;
      readonly shapes: readonly [Shape, Shape];
      readonly hint: string;
    }
  | { readonly code: 'bad-axis'; readonly layer: string; readonly axis: number; readonly received: Shape }
  | { readonly code: 'input-count'; readonly layer: string; readonly expected: string; readonly received: number }
  | {
      readonly code: 'dtype';
      readonly layer: string;
      readonly expected: string;
      readonly received: string;
      readonly shape: Shape;
      readonly hint: string;
    }
  | {
      readonly code: 'element-count';
      readonly layer: string;
      readonly from: Shape;
      readonly to: Shape;
      /** A count, or `a multiple of N` for a shape with unknown sizes. */
      readonly fromCount: number | string;
      readonly toCount: string;
    }
  | {
      readonly code: 'option';
      readonly layer: string;
      readonly option: string;
      readonly expected: string;
      readonly received: string;
    }
  | {
      readonly code: 'option-conflict';
      readonly layer: string;
      readonly options: readonly [string, string];
      readonly received: readonly [string, string];
      readonly rule: string;
    }
  | { readonly code: 'overflow'; readonly layer: string; readonly received: Shape }
  | {
      readonly code: 'crop-too-large';
      readonly layer: string;
      readonly crop: number;
      readonly axis: number;
      readonly received: Shape;
    }
  | {
      readonly code: 'missing-input';
      readonly layer: string;
      readonly input: string;
      readonly listed: readonly string[];
    }
  | {
      readonly code: 'layer-reuse';
      readonly layer: string;
      readonly name: string;
      readonly first: Shape;
      readonly received: Shape;
    }
  | {
      readonly code: 'shared-axis';
      readonly layer: string;
      readonly name: string;
      readonly axis: number;
      readonly ranks: readonly number[];
    }
  | {
      readonly code: 'model-input';
      readonly layer: string;
      readonly index: number;
      readonly expected: TensorShape;
      readonly received: TensorShape;
    }
  | { readonly code: 'not-a-tensor'; readonly layer: string; readonly argument: string; readonly received: string }
  | { readonly code: 'not-an-input'; readonly layer: string; readonly argument: string; readonly received: string }
  | { readonly code: 'duplicate'; readonly layer: string; readonly what: string; readonly name: string }
  | {
      readonly code: 'data-count';
      readonly layer: string;
      readonly role: 'input' | 'target';
      readonly expected: readonly string[];
      readonly received: string;
    }
  | {
      readonly code: 'data-name';
      readonly layer: string;
      readonly role: 'input' | 'target';
      readonly name: string;
      readonly expected: readonly string[];
    }
  | {
      readonly code: 'data-shape';
      readonly layer: string;
      readonly role: 'input' | 'target';
      readonly name: string;
      readonly expected: Shape;
      readonly dtype: string;
      readonly received: readonly number[];
      readonly receivedDtype: string;
    }
  | { readonly code: 'data-batch'; readonly layer: string; readonly counts: readonly string[] }
  | {
      /** The data's sizes for a model's unknown (null) dimensions do not fit a layer: `cause` says why. */
      readonly code: 'data-sizes';
      readonly layer: string;
      /** Each input with null dimensions, as `'name' [8, 4]` (its samples' shape). */
      readonly sizes: readonly string[];
      /** The layer that does not fit, as `'reshape' (Reshape)`. */
      readonly at: string;
      readonly cause: ErrorData;
    }
  | {
      readonly code: 'data-values';
      readonly layer: string;
      readonly role: 'input' | 'target';
      readonly name: string;
      readonly problem: string;
    }
  | {
      readonly code: 'data-type';
      readonly layer: string;
      readonly role: 'input' | 'target';
      readonly name: string;
      readonly received: string;
    }
  | { readonly code: 'dataset-empty'; readonly layer: string; readonly problem: string }
  | {
      readonly code: 'not-finite';
      readonly layer: string;
      readonly what: string;
      readonly epoch: number;
      readonly batch: number;
      readonly value: number;
    }
  | { readonly code: 'not-compiled'; readonly layer: string }
  | { readonly code: 'model-file'; readonly layer: string; readonly path: string; readonly problem: string }
  | {
      readonly code: 'file-format';
      readonly layer: string;
      readonly path: string;
      readonly expected: readonly string[];
    }
  | { readonly code: 'module-load'; readonly layer: string; readonly path: string; readonly message: string }
  | {
      readonly code: 'type-check';
      readonly layer: string;
      readonly path: string;
      /** The compiler's messages, one per error, as it prints them. */
      readonly diagnostics: readonly string[];
    }
  | {
      readonly code: 'no-model';
      readonly layer: string;
      readonly path: string;
      readonly exports: readonly string[];
      /** Exports that are models of another copy of kerats (imported by path rather than as 'kerats'). */
      readonly foreign: readonly string[];
    }
  | {
      readonly code: 'which-model';
      readonly layer: string;
      readonly path: string;
      readonly models: readonly string[];
      /** The name asked for, when it is not among them. */
      readonly received: string | undefined;
    }
  | {
      readonly code: 'missing-export';
      readonly layer: string;
      readonly path: string;
      readonly name: string;
      readonly expected: string;
      readonly received: string;
    }
  | { readonly code: 'usage'; readonly layer: string; readonly problem: string }
  | { readonly code: 'odd-axis'; readonly layer: string; readonly what: string; readonly received: Shape }
  | { readonly code: 'sequential-element'; readonly layer: string; readonly index: number; readonly problem: string }
  | { readonly code: 'unsavable'; readonly layer: string; readonly name: string; readonly reason: string }
  | {
      readonly code: 'custom-missing';
      readonly layer: string;
      readonly what: string;
      readonly kind: 'class' | 'function';
      readonly name: string;
      readonly given: readonly string[];
    }
  | {
      readonly code: 'data-target';
      readonly layer: string;
      readonly name: string;
      /** The shapes the output's loss accepts, without the batch. */
      readonly expected: readonly Shape[];
      readonly dtype: string;
      readonly received: readonly number[];
      readonly receivedDtype: string;
      readonly hint: string;
    };

export type ErrorCode = ErrorData['code'];

/** A tensor's shape and dtype, for messages about both. */
interface TensorShape {
  readonly shape: Shape;
  readonly dtype: string;
}

/** Renders error data into the sentence a user reads. The only place where wording is decided. */
export function render(error: ErrorData): string {
  switch (error.code) {
    case 'rank':
      return `${error.layer}: expects input of rank ${error.expected} ${error.form}, got ${showShape(error.received)} (rank ${error.received.length})${hint(error.hint)}`;
    case 'unknown-dim':
      return `${error.layer}: axis ${error.axis} of the input ${showShape(error.received)} must be known (${error.why})`;
    case 'window-too-large':
      return `${error.layer}: ${error.window} size ${error.size} spans ${error.needed} steps on axis ${error.axis}, but the input ${showShape(error.received)} has ${error.received[error.axis - 1] ?? null}; use padding: 'same' or a smaller ${error.window}`;
    case 'axis-mismatch':
      return `${error.layer}: inputs disagree on axis ${error.axis}: ${showShape(error.shapes[0])} vs ${showShape(error.shapes[1])} (${error.note})`;
    case 'rank-mismatch':
      return `${error.layer}: inputs disagree in rank: ${showShape(error.shapes[0])} (rank ${error.shapes[0].length}) vs ${showShape(error.shapes[1])} (rank ${error.shapes[1].length})${hint(error.hint)}`;
    case 'bad-axis':
      return `${error.layer}: axis ${error.axis} does not exist for inputs of rank ${error.received.length} like ${showShape(error.received)}; use 1..${error.received.length} or -${error.received.length}..-1 (axis 0 is the batch)`;
    case 'input-count':
      return `${error.layer}: expects ${error.expected} inputs, got ${error.received}`;
    case 'dtype':
      return `${error.layer}: expects ${error.expected} input, got ${error.received} ${showShape(error.shape)}${hint(error.hint)}`;
    case 'element-count':
      return `${error.layer}: cannot reshape ${showShape(error.from)} (${error.fromCount} elements) into ${showShape(error.to)} (${error.toCount} elements)`;
    case 'option':
      return `${error.layer}: ${error.option} must be ${error.expected}, got ${error.received}`;
    case 'option-conflict':
      return `${error.layer}: ${error.options[0]} ${error.received[0]} and ${error.options[1]} ${error.received[1]} ${error.rule}`;
    case 'crop-too-large':
      return `${error.layer}: cropping ${error.crop} steps off axis ${error.axis} leaves nothing of the input ${showShape(error.received)}, which has ${error.received[error.axis - 1] ?? null}; crop less`;
    case 'overflow':
      return `${error.layer}: the output of ${showShape(error.received)} has more than 2^53 - 1 elements`;
    case 'missing-input':
      return `${error.layer}: the outputs depend on input '${error.input}', which is not in inputs [${error.listed.map((name) => `'${name}'`).join(', ')}]; add it to inputs`;
    case 'layer-reuse':
      return `${error.layer} '${error.name}': called on ${showShape(error.received)}, but its weights were built by its first call, on ${showShape(error.first)}; a shared layer needs inputs its weights fit`;
    case 'shared-axis':
      return `${error.layer} '${error.name}': axis ${error.axis} names a different axis in each of its calls (inputs of rank ${error.ranks.join(' and ')}), which tfjs cannot run; use a positive axis, or one layer per rank`;
    case 'model-input':
      return `${error.layer}: input ${error.index} expects ${showShape(error.expected.shape)} ${error.expected.dtype}, got ${showShape(error.received.shape)} ${error.received.dtype}; call it on tensors like its Inputs (null matches any size)`;
    case 'not-a-tensor':
      return `${error.layer}: ${error.argument} must be a symbolic tensor (from Input or a layer call), got ${error.received}`;
    case 'not-an-input':
      return `${error.layer}: ${error.argument} must be a tensor made by Input, got ${error.received}`;
    case 'data-count':
      return `${error.layer}: the model has ${error.expected.length} ${error.role}${error.expected.length === 1 ? '' : 's'} (${quoted(error.expected)}), got ${error.received}`;
    case 'data-name':
      return `${error.layer}: the model has no ${error.role} named '${error.name}'; its ${error.role}s are ${quoted(error.expected)}`;
    case 'data-shape':
      return `${error.layer}: ${error.role} '${error.name}' expects [batch${error.expected.map((dim) => `, ${dim}`).join('')}] ${error.dtype}, got [${error.received.join(', ')}]${error.receivedDtype === error.dtype ? '' : ` ${error.receivedDtype}`}`;
    case 'data-batch':
      return `${error.layer}: every input and target needs the same number of samples, got ${error.counts.join(', ')}`;
    case 'data-sizes':
      return `${error.layer}: with the sizes the data gives its unknown dimensions (${error.sizes.join(', ')}), layer ${error.at} cannot run: ${render(error.cause)}`;
    case 'data-values':
      return `${error.layer}: ${error.role} '${error.name}' ${error.problem}`;
    case 'data-type':
      return `${error.layer}: ${error.role} '${error.name}' must be a tensor or nested arrays of numbers with the batch first, got ${error.received}`;
    case 'dataset-empty':
      return `${error.layer}: ${error.problem}`;
    case 'not-finite':
      return `${error.layer}: the ${error.what} became ${error.value} at epoch ${error.epoch}, batch ${error.batch}; training stopped (lower the learning rate, or check the data for NaN or huge values)`;
    case 'not-compiled':
      return `${error.layer}: the model is not compiled; call model.compile({ optimizer, loss }) first`;
    case 'model-file':
      return `${error.layer}: ${error.path}: ${error.problem}`;
    case 'file-format':
      return `${error.layer}: cannot write '${error.path}': the file name must end in ${error.expected.join(' or ')}`;
    case 'module-load':
      return `${error.layer}: cannot load ${error.path}: ${error.message}`;
    case 'type-check': {
      const count = error.diagnostics.length === 1 ? '1 error' : `${error.diagnostics.length} errors`;
      return [`${error.layer}: ${error.path} does not type-check (${count}):`, ...error.diagnostics].join('\n');
    }
    case 'no-model':
      if (error.foreign.length > 0)
        return `${error.layer}: ${error.path}: ${quoted(error.foreign)} ${error.foreign.length === 1 ? 'is a model' : 'are models'} of another copy of kerats; import the layers from 'kerats' (not from a path) so that the command can use them`;
      return `${error.layer}: ${error.path} exports no model (${error.exports.length === 0 ? 'it exports nothing' : `its exports: ${error.exports.join(', ')}`}); export one, as in \`export const model = Model({ inputs, outputs })\``;
    case 'which-model':
      return error.received === undefined
        ? `${error.layer}: ${error.path} exports ${error.models.length} models (${error.models.join(', ')}); choose one with --model <name>`
        : `${error.layer}: ${error.path} exports no model named '${error.received}'; its models: ${error.models.join(', ')}`;
    case 'missing-export':
      return `${error.layer}: ${error.path} must export \`${error.name}\`: ${error.expected}; got ${error.received}`;
    case 'usage':
      return `${error.layer}: ${error.problem}`;
    case 'odd-axis':
      return `${error.layer}: ${error.what} splits the last axis in two halves, so it must be even, got ${showShape(error.received)}`;
    case 'sequential-element':
      return `${error.layer}: layers[${error.index}] ${error.problem}`;
    case 'unsavable':
      return `${error.layer} '${error.name}': cannot be saved: ${error.reason}`;
    case 'custom-missing':
      return `${error.layer}: ${error.what}; pass the ${error.kind} as loadModel(path, { customLayers: { ${error.name} } }) (customLayers holds ${error.given.length === 0 ? 'nothing' : quoted(error.given)})`;
    case 'duplicate':
      return `${error.layer}: the ${error.what} '${error.name}' appears more than once; ${error.what}s must be unique`;
    case 'data-target':
      return `${error.layer}: target '${error.name}' expects ${error.expected.map((shape) => `[batch${shape.map((dim) => `, ${dim}`).join('')}]`).join(' or ')} ${error.dtype}, got [${error.received.join(', ')}]${error.receivedDtype === error.dtype ? '' : ` ${error.receivedDtype}`}${hint(error.hint)}`;
  }
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

function hint(text: string): string {
  return text === '' ? '' : `; ${text}`;
}

/** An error kerats throws: `data` holds the facts, `message` the sentence. */
export class KeratsError extends Error {
  override readonly name = 'KeratsError';
  constructor(readonly data: ErrorData) {
    super(render(data));
  }
}

/** Throws the error described by `data`. */
export function fail(data: ErrorData): never {
  throw new KeratsError(data);
}

/** Describes any value for a message: `0`, `'relu'`, `an object`. */
export function describe(value: unknown): string {
  return describeWithin(value, 3);
}

// Bounded in depth, length and items: the value may come from a hostile file (a list nested 100,000 deep, a
// string of a million characters), and a message must stay one readable line.
function describeWithin(value: unknown, depth: number): string {
  if (typeof value === 'string')
    return value.length > 200 ? `'${value.slice(0, 200)}...' (${value.length} characters)` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  if (Array.isArray(value)) {
    if (depth === 0) return value.length === 0 ? '[]' : '[...]';
    const shown = value.slice(0, 16).map((item) => describeWithin(item, depth - 1));
    return `[${shown.join(', ')}${value.length > 16 ? `, ... (${value.length} items)` : ''}]`;
  }
  return typeof value === 'function' ? 'a function' : 'an object';
}

// The type-level twins. Each takes the same facts as its value-level case above and spells the same sentence.

type _Hint<Text extends string> = Text extends '' ? '' : `; ${Text}`;

export type RankMessage<
  Layer extends string,
  Expected extends string,
  Form extends string,
  Received extends Shape,
  Hint extends string,
> = `${Layer}: expects input of rank ${Expected} ${Form}, got ${ShowShape<Received>} (rank ${Received['length']})${_Hint<Hint>}`;

export type UnknownDimMessage<
  Layer extends string,
  Axis extends number,
  Received extends Shape,
  Why extends string,
> = `${Layer}: axis ${Axis} of the input ${ShowShape<Received>} must be known (${Why})`;

export type WindowTooLargeMessage<
  Layer extends string,
  Window extends 'kernel' | 'pool',
  Size extends number,
  Needed extends number,
  Axis extends number,
  Received extends Shape,
  Length extends Dim,
> = `${Layer}: ${Window} size ${Size} spans ${Needed} steps on axis ${Axis}, but the input ${ShowShape<Received>} has ${Length}; use padding: 'same' or a smaller ${Window}`;

export type AxisMismatchMessage<
  Layer extends string,
  Axis extends number,
  First extends Shape,
  Second extends Shape,
  Note extends string,
> = `${Layer}: inputs disagree on axis ${Axis}: ${ShowShape<First>} vs ${ShowShape<Second>} (${Note})`;

export type RankMismatchMessage<
  Layer extends string,
  First extends Shape,
  Second extends Shape,
  Hint extends string,
> = `${Layer}: inputs disagree in rank: ${ShowShape<First>} (rank ${First['length']}) vs ${ShowShape<Second>} (rank ${Second['length']})${_Hint<Hint>}`;

export type BadAxisMessage<
  Layer extends string,
  Axis extends number,
  Received extends Shape,
> = `${Layer}: axis ${Axis} does not exist for inputs of rank ${Received['length']} like ${ShowShape<Received>}; use 1..${Received['length']} or -${Received['length']}..-1 (axis 0 is the batch)`;

export type InputCountMessage<
  Layer extends string,
  Expected extends string,
  Received extends number,
> = `${Layer}: expects ${Expected} inputs, got ${Received}`;

export type DTypeMessage<
  Layer extends string,
  Expected extends string,
  Received extends string,
  Received_ extends Shape,
  Hint extends string,
> = `${Layer}: expects ${Expected} input, got ${Received} ${ShowShape<Received_>}${_Hint<Hint>}`;

export type ElementCountMessage<
  Layer extends string,
  From extends Shape,
  To extends Shape,
  FromCount extends number | string,
  ToCount extends string,
> = `${Layer}: cannot reshape ${ShowShape<From>} (${FromCount} elements) into ${ShowShape<To>} (${ToCount} elements)`;

export type OptionMessage<
  Layer extends string,
  Option extends string,
  Expected extends string,
  Received extends string | number,
> = `${Layer}: ${Option} must be ${Expected}, got ${Received}`;

export type OptionConflictMessage<
  Layer extends string,
  First extends string,
  Second extends string,
  Received extends readonly [string | number, string | number],
  Rule extends string,
> = `${Layer}: ${First} ${Received[0]} and ${Second} ${Received[1]} ${Rule}`;

export type OverflowMessage<
  Layer extends string,
  Received extends Shape,
> = `${Layer}: the output of ${ShowShape<Received>} has more than 2^53 - 1 elements`;

export type MissingInputMessage<
  Layer extends string,
  Input extends string,
  Listed extends string,
> = `${Layer}: the outputs depend on input '${Input}', which is not in inputs [${Listed}]; add it to inputs`;

export type DuplicateMessage<
  Layer extends string,
  What extends string,
  Name extends string,
> = `${Layer}: the ${What} '${Name}' appears more than once; ${What}s must be unique`;

export type ModelInputMessage<
  Model extends string,
  Index extends number,
  Expected extends Shape,
  ExpectedDType extends string,
  Received extends Shape,
  ReceivedDType extends string,
> = `${Model}: input ${Index} expects ${ShowShape<Expected>} ${ExpectedDType}, got ${ShowShape<Received>} ${ReceivedDType}; call it on tensors like its Inputs (null matches any size)`;

export type OddAxisMessage<
  Layer extends string,
  What extends string,
  Received extends Shape,
> = `${Layer}: ${What} splits the last axis in two halves, so it must be even, got ${ShowShape<Received>}`;

export type SequentialElementMessage<
  Index extends number,
  Problem extends string,
> = `Sequential: layers[${Index}] ${Problem}`;

export type CropTooLargeMessage<
  Layer extends string,
  Crop extends number,
  Axis extends number,
  Received extends Shape,
  Length extends Dim,
> = `${Layer}: cropping ${Crop} steps off axis ${Axis} leaves nothing of the input ${ShowShape<Received>}, which has ${Length}; crop less`;
