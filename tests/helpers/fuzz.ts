// The graph-level differential fuzzer: each generated graph (graphs.ts) is built with kerats at run time, with
// plain tfjs-layers, and compiled as kerats source; the three must agree (accepted or refused, at the same step
// with the same sentence; the shape of every step; parameter counts). A sample of the accepted graphs is run:
// predict, save -> loadModel -> predict, one epoch of fit. Every graph gets one class; every disagreement is a
// finding with a key (kind / aspect / layer) that a list of known defects can name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type AnyTensor, clearSession, type KerasModel, KeratsError, loadModel, Model } from '../../src/index.ts';
import { prepare } from '../../src/runtime/data.ts';
import { checkSource, root, type ts } from './compiler.ts';
import {
  type Declared,
  equalsType,
  type Graph,
  generate,
  graphSource,
  keratsInputs,
  keratsLayer,
  type LayerConfig,
  Random,
  sinks,
  sourceImports,
  TfjsGraph,
  usedInputs,
} from './graphs.ts';

/** What can go wrong, worst first. A graph's class is its worst finding, or one of the passing classes. */
export const failingClasses = [
  'unnamed error',
  'silent corruption',
  'shape or dtype disagreement',
  'acceptance disagreement',
  'parameter count disagreement',
  'refused at run time',
  'non-finite values',
] as const;
export type FailingClass = (typeof failingClasses)[number];

export const passingClasses = [
  'behaves as declared',
  'refused when run: no size fits its null dimensions (a kerats sentence)',
  'accepted, agreed (not executed)',
  'refused at build with a kerats sentence',
] as const;
export type GraphClass = FailingClass | (typeof passingClasses)[number];

export interface Finding {
  readonly kind: FailingClass;
  /** What was compared: 'value vs tfjs', 'type vs value', 'predict', 'save/load', ... */
  readonly aspect: string;
  /** The class of the layer at fault (or 'Model', 'fit', ...). */
  readonly layer: string;
  readonly detail: string;
}

/** `kind / aspect / layer`: what a known-defect list names. */
export const findingKey = (finding: Finding): string => `${finding.kind} / ${finding.aspect} / ${finding.layer}`;

export interface GraphResult {
  readonly graph: Graph;
  readonly class: GraphClass;
  readonly findings: readonly Finding[];
  readonly executed: boolean;
  /** How kerats and tfjs-layers agreed at build ('' when they did not). */
  readonly agreement: string;
  /** The graph as a kerats file, to reproduce it. */
  readonly source: string;
  /** For a graph refused when run: the sentence kerats refused the last size tried with. */
  readonly refusal?: string;
}

// --- kerats at run time ------------------------------------------------------------------------------------

type KeratsBuild =
  | {
      readonly ok: true;
      readonly declared: readonly Declared[];
      readonly model: KerasModel;
      readonly params: ReadonlyMap<number, number>;
    }
  | {
      readonly ok: false;
      readonly declared: readonly Declared[];
      /** The step that threw; `steps.length` for the Model call. */
      readonly step: number;
      readonly named: boolean;
      readonly message: string;
    };

function keratsBuild(graph: Graph): KeratsBuild {
  clearSession();
  const declared: Declared[] = [];
  const layers = new Map<number, (inputs: readonly AnyTensor[]) => AnyTensor>();
  const params = new Map<number, number>();
  let step = 0;
  try {
    const tensors = keratsInputs(graph);
    for (const [index, current] of graph.steps.entries()) {
      step = index;
      const config = graph.layers[current.layer];
      if (config === undefined) throw new Error(`step ${index} has no layer`);
      let layer = layers.get(current.layer);
      if (layer === undefined) {
        layer = keratsLayer(config);
        layers.set(current.layer, layer);
      }
      const inputs = current.inputs.map((tensor) => tensors[tensor]).filter((tensor) => tensor !== undefined);
      const output = layer(inputs);
      tensors.push(output);
      declared.push({ shape: output.shape, dtype: output.dtype });
      const { trainable, nonTrainable } = output.node.layer.countParams();
      params.set(current.layer, trainable + nonTrainable);
    }
    step = graph.steps.length;
    const model = Model({
      inputs: usedInputs(graph).flatMap((index) => tensors[index] ?? []),
      outputs: sinks(graph).flatMap((index) => tensors[index] ?? []),
      onWarning: () => {},
    });
    return { ok: true, declared, model, params };
  } catch (error) {
    const named = error instanceof KeratsError;
    return { ok: false, declared, step, named, message: error instanceof Error ? error.message : String(error) };
  }
}

// --- What differs on purpose (docs/design.md, "Where kerats and tfjs-layers differ") -------------------------

/**
 * Refusals where kerats is deliberately stricter than tfjs-layers: Embedding takes int32 ids only; Add, Multiply
 * and Average take equal shapes only; Reshape checks the element count when the graph is built; Concatenate
 * checks its axis; a window larger than its input is an error (tfjs builds sizes below 1, counted as refusals).
 */
function stricterThanTfjs(config: LayerConfig, message: string): boolean {
  return (
    (config.layer === 'Embedding' && message.includes('expects int32 input')) ||
    (['Add', 'Multiply', 'Average'].includes(config.layer) &&
      message.includes('needs equal sizes, or 1 on either side')) ||
    (config.layer === 'Reshape' && message.includes('cannot reshape')) ||
    (config.layer === 'Concatenate' && message.includes('does not exist for inputs')) ||
    // A shared TimeDistributed called again on a rank-1 tensor: tfjs does not check a later call's rank.
    (config.layer === 'TimeDistributed' && message.includes('expects input of rank 2 or more'))
  );
}

/** Refusals only the runtime can make (docs/design.md, rule 9): the type of a layer does not carry its weights. */
const runtimeOnly = (message: string): boolean => message.includes('its weights were built by its first call');

/** A shared layer called again on a tensor whose feature size is unknown: tfjs does not check it against the weights. */
const reusedOnUnknown = (graph: Graph, step: number, message: string): boolean =>
  graph.steps.findIndex((other) => other.layer === graph.steps[step]?.layer) < step &&
  message.includes('must be known');

/**
 * Steps whose size tfjs leaves unknown where kerats knows it: Reshape's -1 (tfjs fills it in only when it runs),
 * a merge of an unknown size with a known one, and whatever is computed from those.
 */
function knowsMore(graph: Graph): boolean[] {
  const more: boolean[] = graph.inputs.map(() => false);
  for (const step of graph.steps) {
    const config = graph.layers[step.layer];
    const own = ['Reshape', 'Add', 'Multiply', 'Average', 'Concatenate'].includes(config?.layer ?? '');
    more.push(own || step.inputs.some((tensor) => more[tensor] === true));
  }
  return more;
}

// --- Comparing ---------------------------------------------------------------------------------------------

const show = (shape: readonly (number | null)[]): string => `[${shape.map(String).join(', ')}]`;

interface Compared {
  readonly findings: Finding[];
  readonly accepted: boolean;
  /** How kerats and tfjs-layers agreed, when they did. */
  readonly agreement: string;
}

function compareBuilds(graph: Graph, ours: KeratsBuild, tfjs: TfjsGraph): Compared {
  const findings: Finding[] = [];
  const more = knowsMore(graph);
  const layerOf = (step: number): LayerConfig | undefined => graph.layers[graph.steps[step]?.layer ?? -1];
  const className = (step: number): string => layerOf(step)?.layer ?? 'Model';
  for (const [index, declared] of ours.declared.entries()) {
    const theirs = tfjs.results[index];
    if (theirs === undefined || !theirs.ok) continue;
    const tensor = graph.inputs.length + index;
    const expected = declared.shape.map((size, axis) =>
      more[tensor] === true && theirs.shape[axis] === null ? null : size,
    );
    if (show(expected) !== show(theirs.shape))
      findings.push({
        kind: 'shape or dtype disagreement',
        aspect: 'value vs tfjs',
        layer: className(index),
        detail: `step ${index}: kerats ${show(declared.shape)}, tfjs ${show(theirs.shape)}`,
      });
  }
  const tfjsRefused = tfjs.results.findIndex((result) => !result.ok);
  // tfjs cannot see a size kerats knows (after a Reshape with -1, say): its refusal there, or its acceptance of
  // a window kerats can see is too large, is that difference, not a disagreement.
  const keratsShape = (tensor: number): readonly (number | null)[] | undefined =>
    tensor < graph.inputs.length ? graph.inputs[tensor]?.shape : ours.declared[tensor - graph.inputs.length]?.shape;
  const blind = (step: number): boolean =>
    (graph.steps[step]?.inputs ?? []).some((tensor) =>
      (tfjs.shapes[tensor] ?? []).some(
        (size, axis) => size === null && typeof keratsShape(tensor)?.[axis] === 'number',
      ),
    );
  // tfjs' Concatenate wants the other axes equal as written (null only with null); kerats, as Keras, takes an
  // unknown size to be the known one it meets, and lowers the merge with that size pinned.
  const unknownAgainstKnown = (step: number): boolean => {
    const shapes = (graph.steps[step]?.inputs ?? []).map((tensor) => tfjs.shapes[tensor] ?? []);
    return (
      layerOf(step)?.layer === 'Concatenate' &&
      shapes.some((shape) =>
        shape.some((size, axis) => size === null && shapes.some((other) => typeof other[axis] === 'number')),
      )
    );
  };
  if (ours.ok) {
    const partial = tfjsRefused >= 0 && (blind(tfjsRefused) || unknownAgainstKnown(tfjsRefused));
    if (tfjsRefused >= 0 && !partial) {
      const theirs = tfjs.results[tfjsRefused];
      findings.push({
        kind: 'acceptance disagreement',
        aspect: 'kerats accepts, tfjs refuses',
        layer: className(tfjsRefused),
        detail: `step ${tfjsRefused}: tfjs: ${theirs !== undefined && !theirs.ok ? theirs.error : ''}`,
      });
      return { findings, accepted: false, agreement: '' };
    }
    const model = partial ? { ok: true as const, params: 0 } : tfjs.model(graph);
    if (!model.ok)
      findings.push({
        kind: 'acceptance disagreement',
        aspect: 'kerats accepts, tfjs refuses',
        layer: 'Model',
        detail: model.error,
      });
    for (const [layer, count] of ours.params) {
      const theirs = tfjs.params(layer);
      if (theirs !== count && !(partial && theirs === undefined))
        findings.push({
          kind: 'parameter count disagreement',
          aspect: 'value vs tfjs',
          layer: graph.layers[layer]?.layer ?? '?',
          detail: `layer l${layer}: kerats ${count}, tfjs ${theirs}`,
        });
    }
    const agreement = partial ? 'both accept (tfjs stops where it cannot see a size kerats knows)' : 'both accept';
    return { findings, accepted: true, agreement };
  }
  const config = layerOf(ours.step);
  if (!ours.named) {
    findings.push({
      kind: 'unnamed error',
      aspect: 'build',
      layer: className(ours.step),
      detail: `step ${ours.step}: ${ours.message}`,
    });
    return { findings, accepted: false, agreement: '' };
  }
  const agreement =
    tfjsRefused === ours.step
      ? 'both refuse the same call'
      : blind(ours.step)
        ? 'kerats refuses a size tfjs cannot see'
        : reusedOnUnknown(graph, ours.step, ours.message)
          ? 'kerats refuses a shared layer on an unknown size (tfjs does not check)'
          : config !== undefined && stricterThanTfjs(config, ours.message)
            ? 'kerats refuses, stricter than tfjs on purpose'
            : runtimeOnly(ours.message)
              ? 'kerats refuses a shared layer whose weights do not fit'
              : '';
  if (agreement === '')
    findings.push({
      kind: 'acceptance disagreement',
      aspect: 'kerats refuses, tfjs accepts',
      layer: className(ours.step),
      detail: `step ${ours.step}: ${ours.message}`,
    });
  return { findings, accepted: false, agreement };
}

/** The compiler's view of one graph: its diagnostics by line within the graph's function. */
function compareCompiler(
  graph: Graph,
  ours: KeratsBuild,
  diagnostics: readonly { readonly line: number; readonly text: string }[],
): Finding[] {
  const findings: Finding[] = [];
  const stepOfLine = (line: number): number => line - graph.inputs.length - 1;
  const className = (step: number): string => graph.layers[graph.steps[step]?.layer ?? -1]?.layer ?? 'Model';
  const refusedStep = ours.ok ? undefined : ours.step;
  const expectError = !ours.ok && ours.named && !runtimeOnly(ours.message);
  let matched = false;
  for (const diagnostic of diagnostics) {
    const step = stepOfLine(diagnostic.line);
    const text = diagnostic.text.split('\n')[0] ?? diagnostic.text;
    if (expectError && step === refusedStep && !ours.ok && diagnostic.text.includes(ours.message)) {
      matched = true;
      continue;
    }
    if (text.startsWith("Type 'true' is not assignable to type 'false'"))
      findings.push({
        kind: 'shape or dtype disagreement',
        aspect: 'type vs value',
        layer: className(step),
        detail: `step ${step}: the compiler's type is not kerats' runtime ${show(ours.declared[step]?.shape ?? [])} ${ours.declared[step]?.dtype}`,
      });
    else if (step === refusedStep && expectError)
      findings.push({
        kind: 'acceptance disagreement',
        aspect: 'different sentence',
        layer: className(step),
        detail: `step ${step}: kerats: ${ours.ok ? '' : ours.message}; compiler: ${diagnostic.text}`,
      });
    else
      findings.push({
        kind: 'acceptance disagreement',
        aspect: 'compiler refuses, kerats accepts',
        layer: className(step),
        detail: `step ${step}: ${diagnostic.text}`,
      });
  }
  if (expectError && !matched && !findings.some((finding) => finding.aspect === 'different sentence') && !ours.ok)
    findings.push({
      kind: 'acceptance disagreement',
      aspect: 'compiler accepts, kerats refuses',
      layer: className(ours.step),
      detail: `step ${ours.step}: ${ours.message}`,
    });
  return findings;
}

// --- Running -----------------------------------------------------------------------------------------------

/**
 * Sizes tried, in order, for a graph's null dimensions when it runs (the same size for all of them): the first
 * that kerats accepts is used, as a user feeds data that fits. Each refused size must be one the plain tfjs twin
 * cannot run either.
 */
const unknownSizes = [8, 6, 12, 9, 16, 5, 24, 4, 3, 2, 1];
const samples = 6;

function randomData(
  random: Random,
  shape: readonly (number | null)[],
  dtype: 'float32' | 'int32',
  ids: number,
  unknownSize: number,
): tf.Tensor {
  const dims = [samples, ...shape.map((size) => size ?? unknownSize)];
  const count = dims.reduce((product, size) => product * size, 1);
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from({ length: count }, () => random.int(0, ids - 1)),
      dims,
      'int32',
    );
  return tf.tensor(
    Float32Array.from({ length: count }, () => random.next() * 2 - 1),
    dims,
    'float32',
  );
}

/** The largest id each int32 input may hold: below every Embedding's inputDim that reads it. */
function idLimit(graph: Graph, input: number): number {
  const limits = graph.steps.flatMap((step) => {
    const config = graph.layers[step.layer];
    return step.inputs.includes(input) && config?.layer === 'Embedding' ? [config.inputDim] : [];
  });
  return Math.min(5, ...limits);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
}

function maxDifference(
  first: Float32Array | Int32Array | Uint8Array,
  second: Float32Array | Int32Array | Uint8Array,
): number {
  if (first.length !== second.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const [index, value] of first.entries()) {
    const other = second[index] ?? Number.NaN;
    // NaN where the original has NaN is the same output (the NaN itself is a finding of its own).
    const difference = Number.isNaN(value) && Number.isNaN(other) ? 0 : Math.abs(value - other) / (1 + Math.abs(value));
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
  }
  return worst;
}

async function predictions(model: KerasModel, inputs: readonly tf.Tensor[]): Promise<tf.Tensor[]> {
  return model.predict([...inputs]);
}

/** Compares a saved and reloaded model's predictions with the original's; returns what differs. */
async function roundTrip(
  model: KerasModel,
  inputs: readonly tf.Tensor[],
  before: readonly tf.Tensor[],
  when: string,
): Promise<Finding[]> {
  const directory = mkdtempSync(join(tmpdir(), 'kerats-fuzz-'));
  try {
    await model.save(directory);
    const loaded = await loadModel(directory);
    const findings: Finding[] = [];
    for (const [index, output] of loaded.outputs.entries()) {
      const original = model.outputs[index];
      if (original === undefined || show(original.shape) !== show(output.shape) || original.dtype !== output.dtype)
        findings.push({
          kind: 'silent corruption',
          aspect: `save/load ${when}`,
          layer: 'loadModel',
          detail: `output ${index}: saved ${original === undefined ? 'nothing' : show(original.shape)}, loaded ${show(output.shape)} ${output.dtype}`,
        });
    }
    const after = await predictions(loaded, inputs);
    for (const [index, tensor] of before.entries()) {
      const other = after[index];
      const difference =
        other === undefined ? Number.POSITIVE_INFINITY : maxDifference(tensor.dataSync(), other.dataSync());
      if (!(difference <= 1e-5))
        findings.push({
          kind: 'silent corruption',
          aspect: `save/load ${when}`,
          layer: model.outputs[index]?.node.layer.className ?? '?',
          detail: `output ${index}: predictions differ by ${difference} after save -> loadModel`,
        });
    }
    tf.dispose(after);
    return findings;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

type TwinRun = { readonly runs: true } | { readonly runs: false; readonly belowOne: boolean; readonly detail: string };

/**
 * Whether the plain tfjs twin runs with every null size `size`, or how it fails: built with those sizes (a window
 * below 1 shows there, and the twin is then not run), then run on zeros (tfjs' Reshape, among others, checks
 * sizes only when it runs).
 */
function twinRun(graph: Graph, size: number): TwinRun {
  const shapes = graph.inputs.map((input) => input.shape.map((dim) => dim ?? size));
  const concrete = new TfjsGraph(
    graph.inputs.map((input, index) => ({ shape: shapes[index] ?? [], dtype: input.dtype })),
  );
  try {
    for (const [index, step] of graph.steps.entries()) {
      const config = graph.layers[step.layer];
      if (config === undefined) break;
      const result = concrete.add(step, config);
      if (!result.ok)
        return {
          runs: false,
          belowOne: result.error.startsWith('silently built'),
          detail: `step ${index} (${config.layer}): ${result.error}`,
        };
    }
    const used = usedInputs(graph);
    const data = used.map((index) => tf.zeros([1, ...(shapes[index] ?? [])], graph.inputs[index]?.dtype));
    const outputs = concrete.predict(graph, data);
    tf.dispose([...data, ...(outputs ?? [])]);
    return outputs === undefined ? { runs: false, belowOne: false, detail: 'tfjs fails when it runs' } : { runs: true };
  } finally {
    concrete.dispose();
  }
}

/** kerats' refusal of data with every null size `size` (checked only: nothing runs), if it refuses. */
function keratsRefusal(model: KerasModel, size: number): string | undefined {
  const data = model.inputs.map((input) => tf.zeros([1, ...input.shape.map((dim) => dim ?? size)], input.dtype));
  try {
    prepare('predict', model, data).owned.dispose();
    return undefined;
  } catch (error) {
    if (error instanceof KeratsError && error.data.code === 'data-sizes') return error.message;
    throw error;
  } finally {
    tf.dispose(data);
  }
}

type SizeChoice = { readonly size: number } | { readonly finding: Finding } | { readonly noSize: string };

/**
 * The size for a graph's null dimensions: the first of unknownSizes kerats accepts. A size kerats accepts and the
 * tfjs twin builds into a size below 1 is not run (tfjs' wasm backend returns NaN in a shape with -1 and writes out
 * of bounds); a size kerats refuses and the twin runs is a false refusal.
 */
function chooseSize(graph: Graph, model: KerasModel): SizeChoice {
  if (!graph.inputs.some((input) => input.shape.includes(null))) return { size: 1 };
  let refusal = '';
  for (const size of unknownSizes) {
    const twin = twinRun(graph, size);
    const refused = keratsRefusal(model, size);
    if (refused === undefined) {
      if (!twin.runs && twin.belowOne)
        return {
          finding: {
            kind: 'shape or dtype disagreement',
            aspect: 'predict vs declared',
            layer: 'predict',
            detail: `with every null size ${size}, ${twin.detail}, and kerats accepts the data; not run`,
          },
        };
      return { size };
    }
    if (twin.runs)
      return {
        finding: {
          kind: 'acceptance disagreement',
          aspect: 'run-time sizes',
          layer: 'predict',
          detail: `with every null size ${size}, kerats refuses what tfjs runs: ${refused}`,
        },
      };
    refusal = refused;
  }
  return { noSize: refusal };
}

/** What running a graph found; `unfit`: the sentence kerats refused every size tried with (nothing ran). */
interface Execution {
  readonly findings: readonly Finding[];
  readonly unfit?: string;
}

async function execute(graph: Graph, model: KerasModel, tfjs: TfjsGraph): Promise<Execution> {
  const random = new Random(graph.seed ^ 0x5eed);
  const findings: Finding[] = [];
  const choice = chooseSize(graph, model);
  if ('finding' in choice) return { findings: [choice.finding] };
  if ('noSize' in choice) return { findings: [], unfit: choice.noSize };
  const inputs = model.inputs.map((input, index) =>
    randomData(random, input.shape, input.dtype, idLimit(graph, usedInputs(graph)[index] ?? 0), choice.size),
  );
  const stage = { name: 'predict' };
  const held: tf.Tensor[] = [...inputs];
  try {
    const outputs = await predictions(model, inputs);
    held.push(...outputs);
    const reference = tfjs.predict(graph, inputs);
    // Plain tfjs runs a Concatenate on every negative axis as the last (kerats lowers the axis it names).
    const tfjsMisjoins = graph.layers.some((config) => config.layer === 'Concatenate' && config.axis < -1);
    if (reference !== undefined) held.push(...reference);
    for (const [index, declared] of model.outputs.entries()) {
      const output = outputs[index];
      const layer = declared.node.layer.className;
      const [batch, ...shape] = output?.shape ?? [];
      const fits =
        output !== undefined &&
        batch === samples &&
        shape.length === declared.shape.length &&
        declared.shape.every((size, axis) => (size === null ? (shape[axis] ?? 0) >= 1 : size === shape[axis]));
      if (!fits || output?.dtype !== declared.dtype)
        findings.push({
          kind: 'shape or dtype disagreement',
          aspect: 'predict vs declared',
          layer,
          detail: `output ${index}: declared [batch, ${declared.shape.join(', ')}] ${declared.dtype}, predict gave ${output === undefined ? 'nothing' : `${show(output.shape)} ${output.dtype}`}`,
        });
      const theirs = reference?.[index];
      if (output !== undefined && theirs !== undefined && !tfjsMisjoins && show(theirs.shape) !== show(output.shape))
        findings.push({
          kind: 'shape or dtype disagreement',
          aspect: 'predict vs tfjs predict',
          layer,
          detail: `output ${index}: kerats ${show(output.shape)}, tfjs ${show(theirs.shape)}`,
        });
      if (output !== undefined && !output.dataSync().every(Number.isFinite))
        findings.push({
          kind: 'non-finite values',
          aspect: 'predict',
          layer,
          detail: `output ${index} holds NaN or Infinity`,
        });
    }
    stage.name = 'save/load before fit';
    findings.push(...(await roundTrip(model, inputs, outputs, 'before fit')));
    stage.name = 'fit';
    const targets = outputs.map((output, index) =>
      model.outputs[index]?.dtype === 'int32'
        ? tf.randomUniform(output.shape, 0, 5, 'int32', graph.seed)
        : tf.randomUniform(output.shape, 0, 1, 'float32', graph.seed),
    );
    held.push(...targets);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fit([...inputs], [...targets], { epochs: 1, batchSize: 4, verbose: 0 });
    const loss = history.history.loss?.[0];
    if (loss === undefined || !Number.isFinite(loss))
      findings.push({ kind: 'non-finite values', aspect: 'fit', layer: 'fit', detail: `the epoch's loss is ${loss}` });
    stage.name = 'save/load after fit';
    const trained = await predictions(model, inputs);
    held.push(...trained);
    findings.push(...(await roundTrip(model, inputs, trained, 'after fit')));
  } catch (error) {
    findings.push({
      kind: error instanceof KeratsError ? 'refused at run time' : 'unnamed error',
      aspect: stage.name,
      layer: error instanceof KeratsError ? error.data.layer : stage.name,
      detail: describeError(error),
    });
  } finally {
    tf.dispose(held);
  }
  return { findings };
}

// --- The whole run -----------------------------------------------------------------------------------------

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** The fraction of accepted graphs that are run (predict, save/load, fit). */
  readonly executeFraction: number;
  /** Graphs compiled together in one program. */
  readonly batch?: number;
  readonly onProgress?: (done: number) => void;
}

const classOf = (findings: readonly Finding[], accepted: boolean, executed: boolean, unfit: boolean): GraphClass =>
  failingClasses.find((kind) => findings.some((finding) => finding.kind === kind)) ??
  (!accepted
    ? 'refused at build with a kerats sentence'
    : unfit
      ? 'refused when run: no size fits its null dimensions (a kerats sentence)'
      : executed
        ? 'behaves as declared'
        : 'accepted, agreed (not executed)');

/** How much of a graph its source shows: every step and the Model call, or up to the call kerats refused. */
const extent = (graph: Graph, ours: KeratsBuild): [steps: number, model: boolean] =>
  ours.ok || ours.step >= graph.steps.length ? [graph.steps.length, true] : [ours.step + 1, false];

/** Graph `index` of a run seeded `seed` has seed `seed + index`, so one graph can be regenerated alone. */
export async function fuzz(options: FuzzOptions): Promise<GraphResult[]> {
  const results: GraphResult[] = [];
  const batch = options.batch ?? 250;
  const sampler = new Random(options.seed ^ 0xe8ec);
  let previous: ts.Program | undefined;
  for (let start = 0; start < options.count; start += batch) {
    const size = Math.min(batch, options.count - start);
    const built = Array.from({ length: size }, (_, offset) => {
      const { graph, tfjs } = generate(options.seed + start + offset);
      const ours = keratsBuild(graph);
      return { graph, tfjs, ours, compared: compareBuilds(graph, ours, tfjs) };
    });
    // One program for the batch: a function per graph.
    const file = join(root, 'tests', `__generated_fuzz_${start}.ts`);
    const lines = [sourceImports, equalsType];
    const starts: number[] = [];
    for (const { graph, ours } of built) {
      starts.push(lines.length + 1);
      lines.push(...graphSource(graph, `g${graph.seed}`, ours.declared, ...extent(graph, ours)));
    }
    const checked = checkSource(file, lines.join('\n'), previous);
    previous = checked.program;
    for (const [offset, entry] of built.entries()) {
      const first = starts[offset] ?? 0;
      const last = starts[offset + 1] ?? Number.POSITIVE_INFINITY;
      const diagnostics = checked.diagnostics
        .filter((diagnostic) => diagnostic.line >= first && diagnostic.line < last)
        .map((diagnostic) => ({ line: diagnostic.line - first, text: diagnostic.text }));
      const findings = [...entry.compared.findings];
      if (entry.ours.ok || entry.ours.named) findings.push(...compareCompiler(entry.graph, entry.ours, diagnostics));
      const run = entry.ours.ok && findings.length === 0 && sampler.next() < options.executeFraction;
      let unfit: string | undefined;
      if (run && entry.ours.ok)
        try {
          const execution = await execute(entry.graph, entry.ours.model, entry.tfjs);
          findings.push(...execution.findings);
          unfit = execution.unfit;
        } catch (error) {
          findings.push({ kind: 'unnamed error', aspect: 'execute', layer: 'execute', detail: describeError(error) });
        }
      entry.tfjs.dispose();
      const accepted = entry.ours.ok && entry.compared.accepted;
      const source = [
        sourceImports.replace('../src/index.ts', 'kerats'),
        equalsType,
        ...graphSource(entry.graph, `g${entry.graph.seed}`, entry.ours.declared, ...extent(entry.graph, entry.ours)),
      ].join('\n');
      results.push({
        graph: entry.graph,
        class: classOf(findings, accepted, run, unfit !== undefined),
        ...(unfit === undefined ? {} : { refusal: unfit }),
        findings,
        executed: run,
        agreement: entry.compared.agreement,
        source,
      });
      options.onProgress?.(results.length);
    }
  }
  return results;
}

/** Graphs per class, in the table's order. */
export function tally(results: readonly GraphResult[]): Map<GraphClass, number> {
  const counts = new Map<GraphClass, number>([...passingClasses, ...failingClasses].map((name) => [name, 0]));
  for (const result of results) counts.set(result.class, (counts.get(result.class) ?? 0) + 1);
  return counts;
}

/** Graphs per finding key (a graph counts once per key). */
export function tallyFindings(results: readonly GraphResult[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const result of results)
    for (const key of new Set(result.findings.map(findingKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}
