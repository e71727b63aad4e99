// Random whole models for the graph-level differential fuzzer (tests/fuzz.test.ts, scripts/fuzz.ts): chains and
// DAGs of 2 to 8 layer calls, with merges, shared layers (one layer called twice) and null dimensions, each
// deterministic from its seed. A graph is plain data, so it can be built three ways: with kerats at run time,
// as kerats source text for the compiler, and with plain tfjs-layers (written here, independently of kerats'
// own lowering). The generator is guided by tfjs-layers' shapes (the reference), not by kerats', so the graphs a
// seed gives do not move as kerats' rules are fixed.
import * as tf from '@tensorflow/tfjs';
import {
  Activation,
  type ActivationName,
  Add,
  type AnyTensor,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Bidirectional,
  Concatenate,
  Conv1D,
  Conv2D,
  Dense,
  type Dim,
  Dropout,
  type DType,
  Embedding,
  Flatten,
  GlobalAveragePooling2D,
  GRU,
  Input,
  LSTM,
  MaxPooling1D,
  MaxPooling2D,
  Multiply,
  Reshape,
  SimpleRNN,
  TimeDistributed,
} from '../../src/index.ts';

type Window = number | readonly [number, number];
type Padding = 'valid' | 'same';
/**
 * The recurrent layers. Their GRUs are resetAfter: false, Keras 2's GRU, which tfjs-layers' GRU computes: the
 * fuzzer compares counts and runs with it (Keras 3's default is checked in tests/differential.test.ts and
 * tests/gru.test.ts).
 */
type Recurrent = 'LSTM' | 'GRU' | 'SimpleRNN';

/** One layer's class and options. */
export type LayerConfig =
  | { readonly layer: 'Dense'; readonly units: number; readonly activation: FuzzActivation | undefined }
  | {
      readonly layer: 'Conv2D';
      readonly filters: number;
      readonly kernel: Window;
      readonly strides: Window;
      readonly padding: Padding;
    }
  | {
      readonly layer: 'Conv1D';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly padding: Padding;
    }
  | {
      readonly layer: 'MaxPooling2D' | 'AveragePooling2D';
      readonly pool: Window;
      readonly strides: Window | undefined;
      readonly padding: Padding;
    }
  | {
      readonly layer: 'MaxPooling1D';
      readonly pool: number;
      readonly strides: number | undefined;
      readonly padding: Padding;
    }
  | { readonly layer: 'GlobalAveragePooling2D' | 'Flatten' | 'Add' | 'Multiply' | 'Average' }
  | { readonly layer: 'Embedding'; readonly inputDim: number; readonly outputDim: number; readonly maskZero: boolean }
  | { readonly layer: Recurrent; readonly units: number; readonly returnSequences: boolean }
  | {
      readonly layer: 'Bidirectional';
      readonly inner: 'LSTM' | 'GRU';
      readonly units: number;
      readonly returnSequences: boolean;
      readonly mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
    }
  | { readonly layer: 'TimeDistributed'; readonly units: number }
  | { readonly layer: 'Reshape'; readonly target: readonly number[] }
  | { readonly layer: 'BatchNormalization'; readonly axis: number }
  | { readonly layer: 'Dropout'; readonly rate: number }
  | { readonly layer: 'Activation'; readonly activation: FuzzActivation }
  | { readonly layer: 'Concatenate'; readonly axis: number };

const mergeLayers: ReadonlySet<string> = new Set(['Add', 'Multiply', 'Average', 'Concatenate']);

export interface GraphInput {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

/** One layer call: layer `layer` (an index into `layers`) applied to tensors `inputs` (indices into the tensors). */
export interface Step {
  readonly layer: number;
  readonly inputs: readonly number[];
}

/**
 * A model as data. Tensors are numbered inputs first, then one per step: step `s` makes tensor
 * `inputs.length + s`. A layer called by two steps is a shared layer.
 */
export interface Graph {
  readonly seed: number;
  readonly inputs: readonly GraphInput[];
  readonly layers: readonly LayerConfig[];
  readonly steps: readonly Step[];
}

/** The tensors no step reads: the model's outputs. */
export function sinks(graph: Graph): number[] {
  const read = new Set(graph.steps.flatMap((step) => step.inputs));
  return graph.steps.map((_, index) => graph.inputs.length + index).filter((tensor) => !read.has(tensor));
}

/** The inputs some step reads, in order: the model's inputs. */
export function usedInputs(graph: Graph): number[] {
  const read = new Set(graph.steps.flatMap((step) => step.inputs));
  return graph.inputs.map((_, index) => index).filter((index) => read.has(index));
}

/** The step that first calls each layer. */
function firstCalls(graph: Graph): Map<number, number> {
  const first = new Map<number, number>();
  for (const [index, step] of graph.steps.entries()) if (!first.has(step.layer)) first.set(step.layer, index);
  return first;
}

// --- A seeded generator ------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable generator; good enough to pick among layer options. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Activations that kerats and tfjs both name the same way (the plain tfjs twins are built by name). */
type FuzzActivation = Extract<ActivationName, 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'linear' | 'elu'>;
const unaryActivations: readonly FuzzActivation[] = ['relu', 'tanh', 'sigmoid', 'softmax', 'linear', 'elu'];

function inputFamily(random: Random): GraphInput {
  const size = (min: number, max: number, unknown: number): Dim =>
    random.chance(unknown) ? null : random.int(min, max);
  switch (random.pick(['vector', 'vector', 'sequence', 'sequence', 'image', 'image', 'ids'] as const)) {
    case 'vector':
      return { shape: [random.int(1, 16)], dtype: 'float32' };
    case 'sequence':
      return { shape: [size(2, 10, 0.25), random.int(1, 8)], dtype: 'float32' };
    case 'image':
      return { shape: [size(4, 12, 0.15), size(4, 12, 0.15), random.int(1, 4)], dtype: 'float32' };
    case 'ids':
      return random.chance(0.85)
        ? { shape: [size(2, 10, 0.25)], dtype: 'int32' }
        : { shape: [random.int(2, 5), random.int(2, 5)], dtype: 'int32' };
  }
}

const windowOf = (random: Random, limit: number): number => random.int(1, Math.max(1, Math.min(limit, 5)));
const known = (dim: Dim | undefined, otherwise: number): number => (typeof dim === 'number' ? dim : otherwise);

/** A layer that fits a float tensor of this shape (in tfjs's view), or now and then one that nearly does. */
function fittingLayer(random: Random, shape: readonly Dim[]): LayerConfig {
  const rank = shape.length;
  const last = shape[rank - 1];
  const kinds: string[] = ['Dense', 'Dense', 'Dropout', 'Activation', 'BatchNormalization'];
  if (rank === 1) kinds.push('Reshape', 'Reshape');
  if (rank >= 2) kinds.push('Flatten', 'Flatten', 'Reshape', 'TimeDistributed');
  if (rank === 2) kinds.push('LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'Conv1D', 'Conv1D', 'MaxPooling1D');
  if (rank === 3)
    kinds.push('Conv2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D');
  return layerOfKind(random, random.pick(kinds), shape, last);
}

function layerOfKind(random: Random, kind: string, shape: readonly Dim[], last: Dim | undefined): LayerConfig {
  const rank = shape.length;
  const padding = random.pick<Padding>(['valid', 'valid', 'same']);
  const spatial = (axis: number): number => known(shape[axis], 8);
  switch (kind) {
    case 'Dense':
      return {
        layer: 'Dense',
        units: random.int(1, 12),
        activation: random.chance(0.5) ? random.pick(unaryActivations) : undefined,
      };
    case 'Dropout':
      return { layer: 'Dropout', rate: random.pick([0, 0.25, 0.5]) };
    case 'Activation':
      return { layer: 'Activation', activation: random.pick(unaryActivations) };
    case 'BatchNormalization':
      return { layer: 'BatchNormalization', axis: random.chance(0.8) ? -1 : random.int(-rank - 1, rank + 1) };
    case 'Flatten':
      return { layer: 'Flatten' };
    case 'Reshape':
      return { layer: 'Reshape', target: reshapeTarget(random, shape) };
    case 'TimeDistributed':
      return { layer: 'TimeDistributed', units: random.int(1, 8) };
    case 'LSTM':
    case 'GRU':
    case 'SimpleRNN':
      return { layer: kind, units: random.int(1, 8), returnSequences: random.chance(0.5) };
    case 'Bidirectional':
      return {
        layer: 'Bidirectional',
        inner: random.pick(['LSTM', 'GRU'] as const),
        units: random.int(1, 6),
        returnSequences: random.chance(0.5),
        mergeMode: random.pick(['concat', 'concat', 'sum', 'mul', 'ave'] as const),
      };
    case 'Conv1D':
      return {
        layer: 'Conv1D',
        filters: random.int(1, 8),
        kernel: random.chance(0.9) ? windowOf(random, spatial(0)) : random.int(1, 9),
        strides: random.pick([1, 1, 2]),
        padding,
      };
    case 'MaxPooling1D':
      return {
        layer: 'MaxPooling1D',
        pool: random.chance(0.9) ? windowOf(random, Math.min(3, spatial(0))) : random.int(1, 9),
        strides: random.chance(0.5) ? undefined : random.int(1, 2),
        padding,
      };
    case 'Conv2D': {
      const kernel = (axis: number): number =>
        random.chance(0.9) ? windowOf(random, spatial(axis)) : random.int(1, 9);
      const height = kernel(0);
      const width = kernel(1);
      return {
        layer: 'Conv2D',
        filters: random.int(1, 8),
        kernel: height === width && random.chance(0.5) ? height : [height, width],
        strides: random.pick<Window>([1, 1, 2, [1, 2]]),
        padding,
      };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pool = (axis: number): number =>
        random.chance(0.9) ? windowOf(random, Math.min(3, spatial(axis))) : random.int(1, 9);
      const height = pool(0);
      const width = pool(1);
      return {
        layer: kind,
        pool: height === width ? height : [height, width],
        strides: random.chance(0.6) ? undefined : random.pick<Window>([1, 2, [1, 2]]),
        padding,
      };
    }
    case 'GlobalAveragePooling2D':
      return { layer: 'GlobalAveragePooling2D' };
    case 'Embedding':
      return {
        layer: 'Embedding',
        inputDim: random.int(5, 30),
        outputDim: random.int(2, 8),
        maskZero: random.chance(0.4),
      };
    default:
      return { layer: 'Dense', units: known(last, 4), activation: undefined };
  }
}

/** A target for Reshape: usually one with the same element count (sometimes with -1), now and then a wrong one. */
function reshapeTarget(random: Random, shape: readonly Dim[]): number[] {
  const count = shape.reduce((product: number, dim) => product * known(dim, 1), 1);
  if (shape.includes(null) || random.chance(0.1))
    return random.pick([[-1], [random.int(1, 6), -1], [random.int(1, 12)]]);
  const divisors = Array.from({ length: count }, (_, index) => index + 1).filter((divisor) => count % divisor === 0);
  const first = random.pick(divisors);
  switch (random.int(0, 3)) {
    case 0:
      return [count];
    case 1:
      return [first, count / first];
    case 2:
      return [first, -1];
    default:
      return [-1, first, 1];
  }
}

const allKinds = [
  'Dense',
  'Conv1D',
  'Conv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Reshape',
  'Embedding',
  'LSTM',
  'GRU',
  'SimpleRNN',
  'Bidirectional',
  'TimeDistributed',
  'Dropout',
  'BatchNormalization',
  'Activation',
];

/** Axes (Keras numbering) on which two shapes of one rank differ. */
function differingAxes(first: readonly Dim[], second: readonly Dim[]): number[] {
  return first.flatMap((dim, axis) => (dim === second[axis] ? [] : [axis + 1]));
}

const sameShape = (first: readonly Dim[], second: readonly Dim[]): boolean =>
  first.length === second.length && differingAxes(first, second).length === 0;

/**
 * Generates a graph. Each step is tried on the tfjs-layers twin as it is chosen, so later steps fit the shapes tfjs
 * computes; a step tfjs refuses ends the graph (the refusal is the last step, for kerats to refuse too).
 */
export function generate(seed: number): { readonly graph: Graph; readonly tfjs: TfjsGraph } {
  const random = new Random(seed);
  const inputs: GraphInput[] = [inputFamily(random)];
  const first = inputs[0];
  if (first !== undefined && random.chance(0.45))
    inputs.push(random.chance(0.6) ? { shape: [...first.shape], dtype: first.dtype } : inputFamily(random));
  const layers: LayerConfig[] = [];
  const steps: Step[] = [];
  const twin = new TfjsGraph(inputs);
  const length = random.int(2, 8);
  const tensorsRead = new Set<number>();
  while (steps.length < length) {
    const proposal = propose(random, twin, layers, steps, tensorsRead);
    const layer = proposal.config === undefined ? proposal.layer : layers.length;
    if (proposal.config !== undefined) layers.push(proposal.config);
    const step = { layer, inputs: proposal.inputs };
    steps.push(step);
    for (const tensor of step.inputs) tensorsRead.add(tensor);
    const config = layers[layer];
    if (config === undefined || !twin.add(step, config).ok) break;
  }
  // An input read by no step is left out of the model; one that is read must reach an output, and does: every
  // tensor not read by a step is an output.
  return { graph: { seed, inputs, layers, steps }, tfjs: twin };
}

interface Proposal {
  readonly layer: number;
  readonly config: LayerConfig | undefined;
  readonly inputs: readonly number[];
}

function propose(
  random: Random,
  twin: TfjsGraph,
  layers: readonly LayerConfig[],
  steps: readonly Step[],
  read: ReadonlySet<number>,
): Proposal {
  const tensors = twin.shapes.map((shape, index) => ({ index, shape, dtype: twin.dtypes[index] ?? 'float32' }));
  const floats = tensors.filter((tensor) => tensor.dtype === 'float32');
  const fresh = tensors.filter((tensor) => !read.has(tensor.index));
  const latest = tensors[tensors.length - 1] ?? { index: 0, shape: [], dtype: 'float32' };
  const choice = random.next();

  // A shared layer: an earlier single-input layer called again, usually on a tensor of its first input's shape.
  if (choice < 0.14 && steps.length > 0) {
    const unary = steps.filter((step) => !mergeLayers.has(layers[step.layer]?.layer ?? ''));
    if (unary.length > 0) {
      const step = random.pick(unary);
      const input = step.inputs[0] ?? 0;
      const shape = twin.shapes[input] ?? [];
      const fits = tensors.filter(
        (tensor) => tensor.index !== input && sameShape(tensor.shape, shape) && tensor.dtype === twin.dtypes[input],
      );
      if (fits.length > 0) return { layer: step.layer, config: undefined, inputs: [random.pick(fits).index] };
      if (random.chance(0.25)) return { layer: step.layer, config: undefined, inputs: [random.pick(tensors).index] };
    }
  }

  // A merge of tensors of one shape (Concatenate: equal but on one axis); sometimes of a tensor with itself.
  if (choice < 0.36 && floats.length > 0) {
    const kind = random.pick(['Add', 'Multiply', 'Average', 'Concatenate', 'Concatenate'] as const);
    const pairs = floats.flatMap((a) =>
      floats
        .filter((b) => b.index > a.index && b.shape.length === a.shape.length)
        .map((b) => ({ a, b, axes: differingAxes(a.shape, b.shape) })),
    );
    const wild = random.chance(0.08);
    if (kind === 'Concatenate') {
      const fitting = pairs.filter((pair) => pair.axes.length <= 1 && pair.a.shape.length > 0);
      const pair =
        fitting.length > 0 && !wild ? random.pick(fitting) : pairs.length > 0 ? random.pick(pairs) : undefined;
      if (pair !== undefined) {
        const rank = pair.a.shape.length;
        const [differing] = pair.axes;
        const axis = wild
          ? random.int(-3, 3)
          : differing === undefined
            ? random.pick([-1, random.int(1, rank)])
            : random.pick([differing, differing - rank - 1]);
        return { layer: 0, config: { layer: 'Concatenate', axis }, inputs: [pair.a.index, pair.b.index] };
      }
    } else {
      const equal = pairs.filter((pair) => pair.axes.length === 0);
      if (equal.length > 0 && !wild) {
        const pair = random.pick(equal);
        const third = floats.find((tensor) => tensor.index > pair.b.index && sameShape(tensor.shape, pair.a.shape));
        const extra = third !== undefined && random.chance(0.3) ? [third.index] : [];
        return { layer: 0, config: { layer: kind }, inputs: [pair.a.index, pair.b.index, ...extra] };
      }
      if (wild && pairs.length > 0) {
        const pair = random.pick(pairs);
        return { layer: 0, config: { layer: kind }, inputs: [pair.a.index, pair.b.index] };
      }
      if (random.chance(0.3)) {
        const tensor = random.pick(floats);
        return { layer: 0, config: { layer: kind }, inputs: [tensor.index, tensor.index] };
      }
    }
  }

  // A single-input layer, on a tensor nothing reads yet (usually the latest) or on any earlier one (a branch).
  const pool = random.chance(0.65) && fresh.length > 0 ? fresh : tensors;
  const target = random.chance(0.6) && pool.includes(latest) ? latest : random.pick(pool);
  if (random.chance(0.05)) {
    const kind = random.pick(allKinds);
    return {
      layer: 0,
      config: layerOfKind(random, kind, target.shape, target.shape[target.shape.length - 1]),
      inputs: [target.index],
    };
  }
  if (target.dtype === 'int32') {
    const config = random.chance(0.88)
      ? layerOfKind(random, 'Embedding', target.shape, undefined)
      : fittingLayer(random, target.shape);
    return { layer: 0, config, inputs: [target.index] };
  }
  return { layer: 0, config: fittingLayer(random, target.shape), inputs: [target.index] };
}

// --- kerats at run time ------------------------------------------------------------------------------------

type Call = (inputs: readonly AnyTensor[]) => AnyTensor;

/** The kerats layer for a config, as a function of its input tensors. */
export function keratsLayer(config: LayerConfig): Call {
  const one =
    (layer: (input: AnyTensor) => AnyTensor): Call =>
    (inputs) => {
      const [input] = inputs;
      if (input === undefined) throw new Error('a single-input layer needs an input');
      return layer(input);
    };
  switch (config.layer) {
    case 'Dense': {
      const layer = Dense(config.units, config.activation === undefined ? {} : { activation: config.activation });
      return one((x) => layer(x));
    }
    case 'Conv2D': {
      const layer = Conv2D(config.filters, config.kernel, { strides: config.strides, padding: config.padding });
      return one((x) => layer(x));
    }
    case 'Conv1D': {
      const layer = Conv1D(config.filters, config.kernel, { strides: config.strides, padding: config.padding });
      return one((x) => layer(x));
    }
    case 'MaxPooling2D': {
      const layer = MaxPooling2D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      });
      return one((x) => layer(x));
    }
    case 'AveragePooling2D': {
      const layer = AveragePooling2D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      });
      return one((x) => layer(x));
    }
    case 'MaxPooling1D': {
      const layer = MaxPooling1D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      });
      return one((x) => layer(x));
    }
    case 'GlobalAveragePooling2D': {
      const layer = GlobalAveragePooling2D();
      return one((x) => layer(x));
    }
    case 'Flatten': {
      const layer = Flatten();
      return one((x) => layer(x));
    }
    case 'Embedding': {
      const layer = Embedding(config.inputDim, config.outputDim, { maskZero: config.maskZero });
      return one((x) => layer(x));
    }
    case 'LSTM': {
      const layer = LSTM(config.units, { returnSequences: config.returnSequences });
      return one((x) => layer(x));
    }
    case 'GRU': {
      const layer = GRU(config.units, { returnSequences: config.returnSequences, resetAfter: false });
      return one((x) => layer(x));
    }
    case 'SimpleRNN': {
      const layer = SimpleRNN(config.units, { returnSequences: config.returnSequences });
      return one((x) => layer(x));
    }
    case 'Bidirectional': {
      const options = { returnSequences: config.returnSequences };
      const merge = { mergeMode: config.mergeMode };
      if (config.inner === 'LSTM') {
        const layer = Bidirectional(LSTM(config.units, options), merge);
        return one((x) => layer(x));
      }
      const layer = Bidirectional(GRU(config.units, { ...options, resetAfter: false }), merge);
      return one((x) => layer(x));
    }
    case 'TimeDistributed': {
      const layer = TimeDistributed(Dense(config.units));
      return one((x) => layer(x));
    }
    case 'Reshape': {
      const layer = Reshape(config.target);
      return one((x) => layer(x));
    }
    case 'BatchNormalization': {
      const layer = BatchNormalization({ axis: config.axis });
      return one((x) => layer(x));
    }
    case 'Dropout': {
      const layer = Dropout(config.rate);
      return one((x) => layer(x));
    }
    case 'Activation': {
      const layer = Activation(config.activation);
      return one((x) => layer(x));
    }
    case 'Concatenate': {
      const layer = Concatenate({ axis: config.axis });
      return (inputs) => layer(inputs);
    }
    case 'Add': {
      const layer = Add();
      return (inputs) => layer(inputs);
    }
    case 'Multiply': {
      const layer = Multiply();
      return (inputs) => layer(inputs);
    }
    case 'Average': {
      const layer = Average();
      return (inputs) => layer(inputs);
    }
  }
}

/** The kerats input tensors of a graph. */
export function keratsInputs(graph: Graph): AnyTensor[] {
  return graph.inputs.map((spec) => Input(spec.shape, { dtype: spec.dtype }));
}

// --- kerats as source text ---------------------------------------------------------------------------------

const json = (value: unknown): string => JSON.stringify(value);
const options = (entries: Record<string, unknown>): string =>
  json(Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)));

/** The kerats expression that makes a layer. */
export function layerSource(c: LayerConfig): string {
  switch (c.layer) {
    case 'Dense':
      return c.activation === undefined
        ? `Dense(${c.units})`
        : `Dense(${c.units}, ${options({ activation: c.activation })})`;
    case 'Conv2D':
      return `Conv2D(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding })})`;
    case 'Conv1D':
      return `Conv1D(${c.filters}, ${c.kernel}, ${options({ strides: c.strides, padding: c.padding })})`;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'MaxPooling1D':
      return `${c.layer}(${json(c.pool)}, ${options({ strides: c.strides, padding: c.padding })})`;
    case 'GlobalAveragePooling2D':
    case 'Flatten':
    case 'Add':
    case 'Multiply':
    case 'Average':
      return `${c.layer}()`;
    case 'Embedding':
      return `Embedding(${c.inputDim}, ${c.outputDim}, ${options({ maskZero: c.maskZero })})`;
    case 'LSTM':
    case 'SimpleRNN':
      return `${c.layer}(${c.units}, ${options({ returnSequences: c.returnSequences })})`;
    case 'GRU':
      return `GRU(${c.units}, ${options({ returnSequences: c.returnSequences, resetAfter: false })})`;
    case 'Bidirectional': {
      const inner = { returnSequences: c.returnSequences, ...(c.inner === 'GRU' ? { resetAfter: false } : {}) };
      return `Bidirectional(${c.inner}(${c.units}, ${options(inner)}), ${options({ mergeMode: c.mergeMode })})`;
    }
    case 'TimeDistributed':
      return `TimeDistributed(Dense(${c.units}))`;
    case 'Reshape':
      return `Reshape(${json(c.target)})`;
    case 'BatchNormalization':
      return `BatchNormalization(${options({ axis: c.axis })})`;
    case 'Dropout':
      return `Dropout(${c.rate})`;
    case 'Activation':
      return `Activation('${c.activation}')`;
    case 'Concatenate':
      return `Concatenate(${options({ axis: c.axis })})`;
  }
}

export const sourceImports =
  "import { Activation, Add, Average, AveragePooling2D, BatchNormalization, Bidirectional, Concatenate, Conv1D, Conv2D, Dense, Dropout, Embedding, Flatten, GlobalAveragePooling2D, GRU, Input, LSTM, MaxPooling1D, MaxPooling2D, Model, Multiply, Reshape, SimpleRNN, TimeDistributed, type SymbolicTensor } from '../src/index.ts';";
export const equalsType =
  'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;';

export interface Declared {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

/**
 * The graph as a kerats function, one line per input, step and the model: line `inputs.length + s + 1` (after the
 * `function` line) is step `s`. A step's layer is made on the line of its first call. With `declared`, each
 * step's line also asserts that its tensor's type is the one kerats computed at run time; `steps` cuts the
 * graph after a refused step; `model` adds the Model call.
 */
export function graphSource(
  graph: Graph,
  name: string,
  declared: readonly (Declared | undefined)[],
  steps: number,
  model: boolean,
): string[] {
  const first = firstCalls(graph);
  const tensor = (index: number): string => (index < graph.inputs.length ? `i${index}` : `t${index}`);
  const lines = [`export function ${name}() {`];
  for (const [index, spec] of graph.inputs.entries())
    lines.push(`  const i${index} = Input(${json(spec.shape)}, { dtype: '${spec.dtype}' });`);
  for (const [index, step] of graph.steps.slice(0, steps).entries()) {
    const config = graph.layers[step.layer];
    if (config === undefined) continue;
    const make = first.get(step.layer) === index ? `const l${step.layer} = ${layerSource(config)}; ` : '';
    const args = step.inputs.map(tensor);
    const call = mergeLayers.has(config.layer) ? `l${step.layer}([${args.join(', ')}])` : `l${step.layer}(${args[0]})`;
    const out = tensor(graph.inputs.length + index);
    const type = declared[index];
    const check =
      type === undefined
        ? ''
        : ` const c${index}: Equals<typeof ${out}, SymbolicTensor<${json(type.shape)}, '${type.dtype}', never>> = true;`;
    lines.push(`  ${make}const ${out} = ${call};${check}`);
  }
  if (model) {
    const inputs = usedInputs(graph).map(tensor);
    const outputs = sinks(graph).map(tensor);
    lines.push(`  return Model({ inputs: [${inputs.join(', ')}], outputs: [${outputs.join(', ')}] });`);
  }
  lines.push('}');
  return lines;
}

// --- plain tfjs-layers -------------------------------------------------------------------------------------

// Cheap initializers: the comparison is of shapes and parameter counts (LSTM's orthogonal one costs milliseconds).
const cheap = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
const cheapRecurrent = { ...cheap, recurrentInitializer: 'zeros' } as const;
const pair = (window: Window): number | [number, number] =>
  typeof window === 'number' ? window : [window[0], window[1]];

function tfjsLayer(c: LayerConfig): tf.layers.Layer {
  switch (c.layer) {
    case 'Dense':
      return tf.layers.dense({
        units: c.units,
        ...(c.activation === undefined ? {} : { activation: c.activation }),
        ...cheap,
      });
    case 'Conv2D':
      return tf.layers.conv2d({
        filters: c.filters,
        kernelSize: pair(c.kernel),
        strides: pair(c.strides),
        padding: c.padding,
        ...cheap,
      });
    case 'Conv1D':
      return tf.layers.conv1d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        ...cheap,
      });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({
        poolSize: pair(c.pool),
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: pair(c.strides) }),
      });
    case 'AveragePooling2D':
      return tf.layers.averagePooling2d({
        poolSize: pair(c.pool),
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: pair(c.strides) }),
      });
    case 'MaxPooling1D':
      return tf.layers.maxPooling1d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'GlobalAveragePooling2D':
      return tf.layers.globalAveragePooling2d({});
    case 'Flatten':
      return tf.layers.flatten();
    case 'Embedding':
      return tf.layers.embedding({
        inputDim: c.inputDim,
        outputDim: c.outputDim,
        maskZero: c.maskZero,
        embeddingsInitializer: 'zeros',
      });
    case 'LSTM':
      return tf.layers.lstm({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'GRU':
      return tf.layers.gru({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'SimpleRNN':
      return tf.layers.simpleRNN({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'Bidirectional': {
      const args = { units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent };
      return tf.layers.bidirectional({
        layer: c.inner === 'LSTM' ? tf.layers.lstm(args) : tf.layers.gru(args),
        mergeMode: c.mergeMode,
      });
    }
    case 'TimeDistributed':
      return tf.layers.timeDistributed({ layer: tf.layers.dense({ units: c.units, ...cheap }) });
    case 'Reshape':
      return tf.layers.reshape({ targetShape: [...c.target] });
    case 'BatchNormalization':
      return tf.layers.batchNormalization({ axis: c.axis });
    case 'Dropout':
      return tf.layers.dropout({ rate: c.rate });
    case 'Activation':
      return tf.layers.activation({ activation: c.activation });
    case 'Concatenate':
      return tf.layers.concatenate({ axis: c.axis });
    case 'Add':
      return tf.layers.add();
    case 'Multiply':
      return tf.layers.multiply();
    case 'Average':
      return tf.layers.average();
  }
}

export type TfjsStep =
  | { readonly ok: true; readonly shape: readonly Dim[] }
  | { readonly ok: false; readonly error: string };

/** The graph in plain tfjs-layers, built step by step; a shared layer is one tfjs layer applied twice. */
export class TfjsGraph {
  readonly shapes: (readonly Dim[])[] = [];
  readonly dtypes: DType[] = [];
  readonly results: TfjsStep[] = [];
  private readonly symbolic: tf.SymbolicTensor[] = [];
  private readonly inputTensors: tf.SymbolicTensor[];
  private readonly layers = new Map<number, tf.layers.Layer>();

  constructor(inputs: readonly GraphInput[]) {
    this.inputTensors = inputs.map((spec) => tf.input({ shape: [...spec.shape], dtype: spec.dtype }));
    for (const [index, spec] of inputs.entries()) {
      const tensor = this.inputTensors[index];
      if (tensor !== undefined) this.symbolic.push(tensor);
      this.shapes.push(spec.shape);
      this.dtypes.push(spec.dtype);
    }
  }

  /** Applies a step. A size below 1 (tfjs builds `[0, 0, 8]` silently) counts as a refusal. */
  add(step: Step, config: LayerConfig): TfjsStep {
    const result = this.apply(step, config);
    this.results.push(result);
    return result;
  }

  private apply(step: Step, config: LayerConfig): TfjsStep {
    try {
      let layer = this.layers.get(step.layer);
      if (layer === undefined) {
        layer = tfjsLayer(config);
        this.layers.set(step.layer, layer);
      }
      const inputs = step.inputs.map((index) => this.symbolic[index]).filter((tensor) => tensor !== undefined);
      const output = layer.apply(mergeLayers.has(config.layer) ? inputs : (inputs[0] ?? []));
      if (!(output instanceof tf.SymbolicTensor)) return { ok: false, error: 'no single output' };
      const [, ...shape] = output.shape;
      if (shape.some((size) => size !== null && !(size >= 1)))
        return { ok: false, error: `silently built [${shape.join(', ')}]` };
      this.symbolic.push(output);
      this.shapes.push(shape);
      this.dtypes.push(output.dtype === 'int32' ? 'int32' : 'float32');
      return { ok: true, shape };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Parameters of the layer of each index (built layers only). */
  params(index: number): number | undefined {
    const layer = this.layers.get(index);
    return layer === undefined || layer.inboundNodes.length === 0 ? undefined : layer.countParams();
  }

  /** The tfjs model of the whole graph, as tf.model builds it, or why it cannot. */
  model(graph: Graph): { readonly ok: true; readonly params: number } | { readonly ok: false; readonly error: string } {
    try {
      const model = tf.model({
        inputs: usedInputs(graph)
          .map((index) => this.symbolic[index])
          .filter((tensor) => tensor !== undefined),
        outputs: sinks(graph)
          .map((index) => this.symbolic[index])
          .filter((tensor) => tensor !== undefined),
      });
      return { ok: true, params: model.countParams() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The plain tfjs model's predictions (zero weights: for their shapes), or undefined if tfjs cannot run it. */
  predict(graph: Graph, inputs: readonly tf.Tensor[]): tf.Tensor[] | undefined {
    if (this.symbolic.length !== graph.inputs.length + graph.steps.length) return undefined;
    try {
      const model = tf.model({
        inputs: usedInputs(graph)
          .map((index) => this.symbolic[index])
          .filter((tensor) => tensor !== undefined),
        outputs: sinks(graph)
          .map((index) => this.symbolic[index])
          .filter((tensor) => tensor !== undefined),
      });
      const outputs = model.predict([...inputs]);
      return Array.isArray(outputs) ? outputs : [outputs];
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const layer of this.layers.values())
      try {
        if (layer.inboundNodes.length > 0) layer.dispose();
      } catch {
        // A layer shared by two calls, or held by a model, may already be released.
      }
  }
}
