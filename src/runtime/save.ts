// Saving and loading, without losing what a user saved.
//
// A saved model is a directory in the tfjs-layers format (model.json and a weights file, loadable by
// tf.loadLayersModel), whose model.json also carries kerats' own description of the graph, the compile settings
// and a manifest of the optimizer's state (in a second file). A save writes the new weight files under fresh
// names beside the old ones, flushes them, then replaces model.json in one rename, the commit point, and only then
// deletes the old files; a crash or kill at any moment leaves either the previous save or the new one.
//
// Loading trusts nothing it reads: sizes are bounded, names are checked, every layer is rebuilt through the same
// checks as a user's call, and the weight files must hold exactly the bytes the graph needs before any weight
// is allocated.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { JsonValue, LayerHandle } from '../dsl/layer.ts';
import { Input } from '../dsl/layers/input.ts';
import { KerasModel } from '../dsl/model.ts';
import { rebuildLayer } from '../dsl/registry.ts';
import type { AnyTensor } from '../dsl/tensor.ts';
import { describe, fail } from '../errors.ts';
import { syncDirectory, writeDurably } from '../files.ts';
import { isRecord } from '../json.ts';

const modelFile = 'model.json';
const format = 1;
/** model.json larger than this is refused before it is parsed. */
const maxModelJson = 64 * 1024 * 1024;
const maxLayers = 100_000;

interface SavedLayer {
  readonly name: string;
  readonly className: string;
  readonly config: { readonly [key: string]: JsonValue };
}

export interface SavedGraph {
  readonly name: string;
  readonly inputs: readonly {
    readonly name: string;
    readonly shape: readonly (number | null)[];
    readonly dtype: string;
  }[];
  readonly layers: readonly SavedLayer[];
  /** Each call: the layer, and the tensors it read, as [layer name, call index]. */
  readonly nodes: readonly { readonly layer: string; readonly inputs: readonly (readonly [string, number])[] }[];
  readonly outputs: readonly (readonly [string, number])[];
}

/** The kerats part of model.json (under userDefinedMetadata.kerats). */
interface KeratsMetadata {
  readonly format: number;
  readonly graph: SavedGraph;
  readonly compile: JsonValue | null;
  readonly optimizer: { readonly path: string; readonly weights: tf.io.WeightsManifestEntry[] } | null;
  readonly epochsDone: number;
}

export function graphOf(model: KerasModel): SavedGraph {
  const nodeIndex = (tensor: AnyTensor): readonly [string, number] => [
    tensor.node.layer.name,
    tensor.node.layer.nodes.indexOf(tensor.node),
  ];
  const calls = model.nodes.filter((node) => node.inputs.length > 0);
  return {
    name: model.name,
    inputs: model.inputs.map((input) => ({ name: input.node.layer.name, shape: [...input.shape], dtype: input.dtype })),
    layers: model.layers
      .filter((layer) => !model.inputs.some((input) => input.node.layer === layer))
      .map((layer) => ({ name: layer.name, className: layer.className, config: layer.spec.config })),
    nodes: calls.map((node) => ({ layer: node.layer.name, inputs: node.inputs.map(nodeIndex) })),
    outputs: model.outputs.map(nodeIndex),
  };
}

/** Writes a file and flushes it to disk before returning. */
function bytesOf(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** Saves the model (weights, graph, compile settings, optimizer state) to `directory`, atomically. */
export async function saveModel(model: KerasModel, directory: string): Promise<void> {
  const trainer = model.runtime;
  const stamp = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  await mkdir(directory, { recursive: true });
  const weights = trainer.graph.layersModel.weights.map((weight) => ({
    name: weight.originalName,
    tensor: weight.read(),
  }));
  const encoded = await tf.io.encodeWeights(weights);
  const weightsPath = `weights.${stamp}.bin`;
  await writeDurably(join(directory, weightsPath), bytesOf(encoded.data));
  let optimizer: KeratsMetadata['optimizer'] = null;
  const compiled = trainer.compiled;
  if (compiled !== undefined) {
    const state = await compiled.optimizer.getWeights();
    if (state.length > 0) {
      const encodedState = await tf.io.encodeWeights(state);
      const path = `optimizer.${stamp}.bin`;
      await writeDurably(join(directory, path), bytesOf(encodedState.data));
      optimizer = { path, weights: encodedState.specs };
    }
  }
  const compile: JsonValue | null =
    compiled === undefined
      ? null
      : {
          optimizer:
            compiled.learningRate === undefined
              ? compiled.optimizerName
              : { name: compiled.optimizerName, learningRate: compiled.learningRate },
          loss: compiled.losses,
          lossWeights: compiled.weights,
          metrics: compiled.metrics,
        };
  const metadata: KeratsMetadata = {
    format,
    graph: graphOf(model),
    compile,
    optimizer,
    epochsDone: trainer.epochsDone,
  };
  const topology = trainer.graph.layersModel.toJSON(undefined, false);
  const json = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    weightsManifest: [{ paths: [weightsPath], weights: encoded.specs }],
    userDefinedMetadata: { kerats: metadata },
  };
  const temporary = join(directory, `${modelFile}.${stamp}.tmp`);
  await writeDurably(temporary, JSON.stringify(json));
  await rename(temporary, join(directory, modelFile)); // the commit point
  await syncDirectory(directory);
  // Only now is the previous save unreferenced.
  const keep = new Set([modelFile, weightsPath, ...(optimizer ? [optimizer.path] : [])]);
  for (const entry of await readdir(directory))
    if (!keep.has(entry) && /^(weights|optimizer)\.[a-z0-9-]+\.bin$|^model\.json\.[a-z0-9-]+\.tmp$/.test(entry))
      await rm(join(directory, entry), { force: true });
}

// --- loading ---------------------------------------------------------------------------------------------------

function problem(path: string, text: string): never {
  return fail({ code: 'model-file', layer: 'loadModel', path, problem: text });
}

async function readBounded(path: string, limit: number, what: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return problem(path, `${what} is missing`);
  }
  if (size > limit) return problem(path, `${what} is ${size} bytes, more than the ${limit} allowed`);
  return readFile(path);
}

const fileName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

function manifestEntries(path: string, value: unknown): tf.io.WeightsManifestEntry[] {
  if (!Array.isArray(value)) return problem(path, 'the weights manifest is not a list');
  return value.map((entry: unknown, index) => {
    if (
      !isRecord(entry) ||
      typeof entry.name !== 'string' ||
      !Array.isArray(entry.shape) ||
      (entry.dtype !== 'float32' && entry.dtype !== 'int32')
    )
      return problem(path, `weights manifest entry ${index} is not { name, shape, dtype: float32 | int32 }`);
    const shape = entry.shape.map((dim: unknown) =>
      Number.isSafeInteger(dim) && typeof dim === 'number' && dim >= 0
        ? dim
        : problem(path, `weight '${entry.name}' has a bad shape ${describe(entry.shape)}`),
    );
    return { name: entry.name, shape, dtype: entry.dtype };
  });
}

function byteLength(entries: readonly tf.io.WeightsManifestEntry[]): number {
  return entries.reduce((total, entry) => total + entry.shape.reduce((size, dim) => size * dim, 1) * 4, 0);
}

async function readWeights(
  directory: string,
  path: unknown,
  entries: tf.io.WeightsManifestEntry[],
  what: string,
): Promise<tf.NamedTensorMap> {
  if (typeof path !== 'string' || !fileName.test(path))
    return problem(join(directory, modelFile), `${what} file name ${describe(path)} is not a plain file name`);
  const expected = byteLength(entries);
  const full = join(directory, path);
  const data = await readBounded(full, expected, `the ${what} file`);
  if (data.byteLength !== expected)
    return problem(
      full,
      `the ${what} file has ${data.byteLength} bytes, but its manifest describes ${expected}; it is truncated or corrupt`,
    );
  const buffer = new ArrayBuffer(data.byteLength);
  new Uint8Array(buffer).set(data);
  return tf.io.decodeWeights(buffer, entries);
}

interface Metadata {
  readonly graph: { readonly [key: string]: unknown };
  readonly compile: unknown;
  readonly optimizer: { readonly path: unknown; readonly weights: tf.io.WeightsManifestEntry[] } | null;
  readonly epochsDone: number;
}

function parseMetadata(path: string, json: { readonly [key: string]: unknown }): Metadata {
  const meta = isRecord(json.userDefinedMetadata) ? json.userDefinedMetadata.kerats : undefined;
  if (!isRecord(meta))
    return problem(path, 'has no kerats graph (userDefinedMetadata.kerats); was it saved by kerats?');
  if (meta.format !== format)
    return problem(path, `is kerats format ${describe(meta.format)}; this kerats reads format ${format}`);
  if (!isRecord(meta.graph)) return problem(path, 'its kerats graph is not an object');
  const epochsDone =
    typeof meta.epochsDone === 'number' && Number.isSafeInteger(meta.epochsDone) && meta.epochsDone >= 0
      ? meta.epochsDone
      : 0;
  const optimizer = isRecord(meta.optimizer)
    ? { path: meta.optimizer.path, weights: manifestEntries(path, meta.optimizer.weights) }
    : null;
  return { graph: meta.graph, compile: meta.compile ?? null, optimizer, epochsDone };
}

function list(path: string, value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) return problem(path, `its graph's ${what} is not a list`);
  if (value.length > maxLayers) return problem(path, `its graph has more than ${maxLayers} ${what}`);
  return value;
}

function text(path: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,200}$/.test(value))
    return problem(path, `${what} ${describe(value)} is not a name`);
  return value;
}

/** Rebuilds the kerats model from its saved graph, through the same checks as a user's code. */
export function rebuildGraph(path: string, graph: { readonly [key: string]: unknown }): KerasModel {
  const produced = new Map<string, AnyTensor[]>();
  const reference = (value: unknown): AnyTensor => {
    if (!Array.isArray(value) || value.length !== 2)
      return problem(path, `a tensor reference ${describe(value)} is not [layer, call]`);
    const [layer, call] = value;
    const tensor = typeof layer === 'string' && typeof call === 'number' ? produced.get(layer)?.[call] : undefined;
    return tensor ?? problem(path, `a call reads ${describe(value)}, which no earlier call produced`);
  };
  const inputs = list(path, graph.inputs, 'inputs').map((saved) => {
    if (!isRecord(saved) || !Array.isArray(saved.shape) || (saved.dtype !== 'float32' && saved.dtype !== 'int32'))
      return problem(path, `an input ${describe(saved)} is not { name, shape, dtype }`);
    const shape = saved.shape.map((dim: unknown) =>
      dim === null || typeof dim === 'number'
        ? dim
        : problem(path, `input shape ${describe(saved.shape)} is not a list of sizes`),
    );
    const tensor = Input(shape, { dtype: saved.dtype, name: text(path, saved.name, 'an input name') });
    produced.set(tensor.node.layer.name, [tensor]);
    return tensor;
  });
  const layers = new Map<string, LayerHandle>();
  for (const saved of list(path, graph.layers, 'layers')) {
    const name = text(path, isRecord(saved) ? saved.name : undefined, 'a layer name');
    if (layers.has(name) || produced.has(name)) return problem(path, `the layer name '${name}' appears twice`);
    layers.set(name, rebuildLayer(saved, `loadModel: ${path}: layer '${name}'`));
  }
  for (const saved of list(path, graph.nodes, 'calls')) {
    if (!isRecord(saved)) return problem(path, `a call ${describe(saved)} is not { layer, inputs }`);
    const name = text(path, saved.layer, 'a called layer');
    const layer = layers.get(name) ?? problem(path, `a call uses layer '${name}', which the graph does not define`);
    const output = layer.core.call(list(path, saved.inputs, 'call inputs').map(reference));
    produced.set(name, [...(produced.get(name) ?? []), output]);
  }
  const outputs = list(path, graph.outputs, 'outputs').map(reference);
  const name = graph.name === undefined ? undefined : text(path, graph.name, 'the model name');
  return new KerasModel({ inputs, outputs, ...(name === undefined ? {} : { name }), onWarning: () => {} });
}

/** The weights manifest of model.json: one group, one file (what kerats writes). */
function weightsManifest(
  path: string,
  json: { readonly [key: string]: unknown },
): { readonly path: unknown; readonly weights: tf.io.WeightsManifestEntry[] } {
  const manifest = json.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    manifest.length !== 1 ||
    !isRecord(manifest[0]) ||
    !Array.isArray(manifest[0].paths) ||
    manifest[0].paths.length !== 1
  )
    return problem(path, 'its weightsManifest is not one group with one weights file');
  return { path: manifest[0].paths[0], weights: manifestEntries(path, manifest[0].weights) };
}

/**
 * Sets the model's weights (and optimizer state and epoch count, if saved) from a saved directory whose graph
 * has the same weights. The file sizes are checked against the model before anything is read into tensors.
 */
async function restore(
  model: KerasModel,
  directory: string,
  json: { readonly [key: string]: unknown },
  meta: Metadata,
): Promise<void> {
  const path = join(directory, modelFile);
  const manifest = weightsManifest(path, json);
  const expected = model.layers.flatMap((layer) => layer.weights);
  const expectedBytes = expected.reduce(
    (total, weight) => total + weight.shape.reduce((size, dim) => size * dim, 1) * 4,
    0,
  );
  if (byteLength(manifest.weights) !== expectedBytes)
    return problem(
      path,
      `its weights hold ${byteLength(manifest.weights) / 4} values, but the graph needs ${expectedBytes / 4}`,
    );
  const trainer = model.runtime;
  const decoded = await readWeights(directory, manifest.path, manifest.weights, 'weights');
  try {
    for (const weight of trainer.graph.layersModel.weights) {
      const value = decoded[weight.originalName];
      if (value === undefined) return problem(path, `the weights file has no '${weight.originalName}'`);
      if (value.shape.join(',') !== weight.shape.join(','))
        return problem(
          path,
          `weight '${weight.originalName}' is [${value.shape.join(', ')}] in the file, but [${weight.shape.join(', ')}] in the graph`,
        );
    }
    for (const weight of trainer.graph.layersModel.weights) {
      const value = decoded[weight.originalName];
      if (value !== undefined) weight.write(value);
    }
  } finally {
    tf.dispose(Object.values(decoded));
  }
  // The trainer checks the saved settings as it checks a caller's.
  if (meta.compile !== null) trainer.compile(meta.compile);
  const compiled = trainer.compiled;
  if (compiled !== undefined && meta.optimizer !== null) {
    const state = await readWeights(directory, meta.optimizer.path, meta.optimizer.weights, 'optimizer state');
    await compiled.optimizer.setWeights(
      meta.optimizer.weights.map((entry) => ({
        name: entry.name,
        tensor: state[entry.name] ?? problem(path, `optimizer state '${entry.name}' is missing`),
      })),
    );
  }
  trainer.epochsDone = meta.epochsDone;
}

async function readModelJson(
  directory: string,
): Promise<{ json: { readonly [key: string]: unknown }; meta: Metadata }> {
  const path = join(directory, modelFile);
  const data = await readBounded(path, maxModelJson, 'model.json');
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return problem(path, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) return problem(path, 'is not a JSON object');
  return { json, meta: parseMetadata(path, json) };
}

/** Loads a model saved by `model.save(directory)`: graph, weights, compile settings and optimizer state. */
export async function loadModel(directory: string): Promise<KerasModel> {
  const { json, meta } = await readModelJson(directory);
  const model = rebuildGraph(join(directory, modelFile), meta.graph);
  await restore(model, directory, json, meta);
  return model;
}

/** Restores weights, optimizer state and epoch count saved from this same model (to resume training). */
export async function restoreCheckpoint(model: KerasModel, directory: string): Promise<void> {
  const { json, meta } = await readModelJson(directory);
  const saved = JSON.stringify(meta.graph.layers);
  const current = JSON.stringify(graphOf(model).layers);
  if (saved !== current)
    return problem(join(directory, modelFile), 'was saved from a different model: its layers differ from this one');
  await restore(model, directory, json, meta);
}
