// Saving and loading, without losing what a user saved.
//
// A saved model is a directory in the tfjs-layers format (model.json and a weights file, loadable by
// tf.loadLayersModel), whose model.json also carries kerats' own description of the graph, the compile settings
// and a manifest of the optimizer's state (in a second file). Each save is self-contained: it writes its files
// under names of its own (weights.k<pid>-<time>-<random>.bin), flushes them, then replaces model.json in one
// rename, the commit point. Only then does it delete the files of the save it replaced, and only files that
// kerats named so (a user's weights.best.bin is never touched). Saves to one directory from one process run one
// after another; saves from several processes need no lock: whichever rename comes last wins, and its files are
// never deleted by the others (see docs/design.md, "Saving"). A crash or kill at any moment leaves either the
// previous save or a new one.
//
// Loading trusts nothing it reads: files are read only if they are regular files (no links, FIFOs or devices),
// sizes are bounded, names are checked, every layer is rebuilt through the same checks as a user's call, and
// the weight files must hold exactly the bytes the graph needs before any weight is allocated.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import type { Functional } from '../dsl/model.ts';
import { positiveInteger } from '../dsl/options.ts';
import type { CustomLayers } from '../dsl/registry.ts';
import { graphOf, list, type MakeModel, rebuildGraph, type SavedGraph } from '../dsl/saved-graph.ts';
import { describe, fail } from '../errors.ts';
import { type ReadProblem, RegularFile, readRegularFile, syncDirectory, writeDurably } from '../files.ts';
import { isRecord } from '../json.ts';
import { trainerOf } from './training.ts';

const modelFile = 'model.json';
const format = 1;
/** model.json larger than this is refused before it is parsed. */
const maxModelJson = 64 * 1024 * 1024;
/** What one load may read into tensors (weights and optimizer state together) unless the caller allows more. */
const defaultMaxBytes = 2 ** 31;

/** The kerats part of model.json (under userDefinedMetadata.kerats). */
interface KeratsMetadata {
  readonly format: number;
  readonly graph: SavedGraph;
  readonly compile: JsonValue | null;
  readonly optimizer: { readonly path: string; readonly weights: tf.io.WeightsManifestEntry[] } | null;
  readonly epochsDone: number;
}

function bytesOf(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** A tensor with its name in the weights file. */
interface Named {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** Everything one save writes, taken when save() is called, so that training on meanwhile changes none of it. */
interface Snapshot {
  readonly weights: Named[];
  readonly optimizer: Named[];
  readonly metadata: Omit<KeratsMetadata, 'optimizer'>;
  readonly topology: ReturnType<tf.LayersModel['toJSON']>;
}

async function snapshotOf(model: Functional): Promise<Snapshot> {
  for (const layer of model.layers)
    if (layer.spec.unsavable !== undefined)
      fail({ code: 'unsavable', layer: layer.className, name: layer.name, reason: layer.spec.unsavable });
  const trainer = trainerOf(model);
  // tf.clone shares the data; an optimizer step assigns new data to the variables and leaves the clones as they were.
  const weights = trainer.graph.layersModel.weights.map((weight) => ({
    name: weight.originalName,
    tensor: tf.clone(weight.read()),
  }));
  const compiled = trainer.compiled;
  const compile: JsonValue | null = compiled === undefined ? null : compiled.settings;
  const metadata = { format, graph: graphOf(model), compile, epochsDone: trainer.epochsDone };
  const topology = trainer.graph.layersModel.toJSON(undefined, false);
  let optimizer: Named[] = [];
  try {
    const state = compiled === undefined ? [] : await compiled.optimizer.getWeights();
    optimizer = state.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
  } catch (error) {
    tf.dispose(weights.map((weight) => weight.tensor));
    throw error;
  }
  return { weights, optimizer, metadata, topology };
}

/** The save running (or queued last) for each directory of this process. */
const pending = new Map<string, Promise<void>>();

/**
 * Saves the model (weights, graph, compile settings, optimizer state) to `directory`, atomically. Saves to one
 * directory run one after another, in the order they were called; each saves the model as it was when called.
 */
export function saveModel(model: Functional, directory: string): Promise<void> {
  const key = resolve(directory);
  const snapshot = snapshotOf(model);
  snapshot.catch(() => {}); // its failure is reported by `done`, below, not as an unhandled rejection
  const previous = pending.get(key) ?? Promise.resolve();
  const write = async (): Promise<void> => {
    const taken = await snapshot;
    try {
      await writeSave(taken, key);
    } finally {
      tf.dispose([...taken.weights, ...taken.optimizer].map((entry) => entry.tensor));
    }
  };
  const done = previous.then(write, write);
  const settled = done.then(
    () => {},
    () => {},
  );
  pending.set(key, settled);
  void settled.then(() => {
    if (pending.get(key) === settled) pending.delete(key);
  });
  return done;
}

/** The names kerats gives the files of a save: `<kind>.k<pid>-<time>-<random>.<bin|tmp>`. */
const ownName = /^(?:weights|optimizer|model\.json)\.k(\d{1,10})-[0-9a-z]{1,12}-[0-9a-f]{8}\.(?:bin|tmp)$/;
/** The names of kerats 0.1's saves, deleted only when the replaced model.json names them. */
const olderName = /^(?:weights|optimizer)\.[0-9a-z]{1,12}-[0-9a-f]{8}\.bin$/;

/** The weight files the current model.json of `directory` names, if kerats wrote it (else none). */
async function filesOfCurrentSave(directory: string): Promise<string[]> {
  const data = await readRegularFile(join(directory, modelFile), maxModelJson);
  if (!Buffer.isBuffer(data)) return [];
  try {
    const json: unknown = JSON.parse(data.toString('utf8'));
    if (!isRecord(json) || !isRecord(json.userDefinedMetadata) || !isRecord(json.userDefinedMetadata.kerats)) return [];
    const optimizer = json.userDefinedMetadata.kerats.optimizer;
    const manifest = Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
    const paths: unknown[] = [
      ...manifest.flatMap((group: unknown) => (isRecord(group) && Array.isArray(group.paths) ? group.paths : [])),
      isRecord(optimizer) ? optimizer.path : undefined,
    ];
    return paths.filter(
      (path): path is string => typeof path === 'string' && (ownName.test(path) || olderName.test(path)),
    );
  } catch {
    return [];
  }
}

/** Whether the process that wrote a file is gone (so the file is left over from a crash or a kill). */
function writerIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'ESRCH';
  }
}

async function writeSave(snapshot: Snapshot, directory: string): Promise<void> {
  const stamp = `k${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, data: Uint8Array | string): Promise<void> => {
    written.push(name);
    await writeDurably(join(directory, name), data);
  };
  try {
    const encoded = await tf.io.encodeWeights(snapshot.weights);
    const weightsPath = `weights.${stamp}.bin`;
    await write(weightsPath, bytesOf(encoded.data));
    let optimizer: KeratsMetadata['optimizer'] = null;
    if (snapshot.optimizer.length > 0) {
      const encodedState = await tf.io.encodeWeights(snapshot.optimizer);
      const path = `optimizer.${stamp}.bin`;
      await write(path, bytesOf(encodedState.data));
      optimizer = { path, weights: encodedState.specs };
    }
    const metadata: KeratsMetadata = { ...snapshot.metadata, optimizer };
    const json = {
      modelTopology: snapshot.topology,
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      weightsManifest: [{ paths: [weightsPath], weights: encoded.specs }],
      userDefinedMetadata: { kerats: metadata },
    };
    const temporary = `${modelFile}.${stamp}.tmp`;
    await write(temporary, JSON.stringify(json));
    const replaced = await filesOfCurrentSave(directory);
    await rename(join(directory, temporary), join(directory, modelFile)); // the commit point
    written.length = 0;
    await syncDirectory(directory);
    // Only now is the replaced save unreferenced. Files of saves that died before their commit go too, once
    // their process is gone; a save still running elsewhere keeps its own. The writers are checked before
    // model.json is read again: a writer found gone can no longer commit, so what model.json names then is all
    // of theirs that must stay.
    const leftOver = (await readdir(directory)).filter((entry) => {
      const pid = ownName.exec(entry)?.[1];
      return pid !== undefined && writerIsGone(Number(pid));
    });
    const keep = new Set([
      weightsPath,
      ...(optimizer ? [optimizer.path] : []),
      ...(await filesOfCurrentSave(directory)),
    ]);
    for (const entry of new Set([...replaced, ...leftOver]))
      if (!keep.has(entry)) await rm(join(directory, entry), { force: true });
  } catch (error) {
    for (const name of written) await rm(join(directory, name), { force: true });
    throw error;
  }
}

// --- loading ---------------------------------------------------------------------------------------------------

function problem(path: string, text: string): never {
  return fail({ code: 'model-file', layer: 'loadModel', path, problem: text });
}

function unreadable(path: string, what: string, reason: ReadProblem, limit: number): never {
  switch (reason.kind) {
    case 'missing':
      return problem(path, `${what} is missing`);
    case 'link':
      return problem(path, `${what} is a symbolic link; kerats reads only regular files inside the directory`);
    case 'not-a-file':
      return problem(path, `${what} is not a regular file (a directory, a FIFO or a device)`);
    case 'too-large':
      return problem(path, `${what} is ${reason.size} bytes, more than the ${limit} allowed`);
  }
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

/** Bytes of float32 or int32 values of these shapes: a manifest's entries, or a graph's weights. */
function byteLength(entries: readonly { readonly shape: readonly number[] }[]): number {
  return entries.reduce((total, entry) => total + entry.shape.reduce((size, dim) => size * dim, 1) * 4, 0);
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

export interface LoadOptions {
  /**
   * The most bytes of weights and optimizer state one load may read into memory, together. A model.json can
   * declare any size; files larger than this are refused before anything is allocated. Default 2 GiB.
   */
  readonly maxBytes?: number;
  /**
   * The user's layers, by class name (what defineLayer returned), and Lambda functions, by their names: Keras's
   * `custom_objects`. A save holds a layer's class name and config, not its code.
   */
  readonly customLayers?: CustomLayers;
}

/** A weights file named by model.json, opened, with its manifest. */
interface WeightFile {
  readonly path: string;
  readonly what: string;
  readonly file: RegularFile;
  readonly entries: tf.io.WeightsManifestEntry[];
}

/** A saved directory's model.json, read and parsed, with its weight files open (and so safe from deletion). */
interface OpenedSave {
  readonly path: string;
  readonly json: { readonly [key: string]: unknown };
  readonly meta: Metadata;
  readonly weights: WeightFile;
  readonly optimizer: WeightFile | null;
}

async function readModelJson(path: string): Promise<Buffer> {
  const data = await readRegularFile(path, maxModelJson);
  return Buffer.isBuffer(data) ? data : unreadable(path, 'model.json', data, maxModelJson);
}

function parseModelJson(path: string, data: Buffer): { json: { readonly [key: string]: unknown }; meta: Metadata } {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return problem(path, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) return problem(path, 'is not a JSON object');
  return { json, meta: parseMetadata(path, json) };
}

async function openWeightFile(
  directory: string,
  name: unknown,
  entries: tf.io.WeightsManifestEntry[],
  what: string,
): Promise<WeightFile | ReadProblem> {
  if (typeof name !== 'string' || !fileName.test(name))
    return problem(join(directory, modelFile), `${what} file name ${describe(name)} is not a plain file name`);
  const path = join(directory, name);
  const file = await RegularFile.open(path);
  return file instanceof RegularFile ? { path, what, file, entries } : file;
}

async function closeAll(files: readonly (WeightFile | ReadProblem | null)[]): Promise<void> {
  for (const file of files) if (file !== null && 'file' in file) await file.file.close();
}

/**
 * Reads model.json and opens the files it names. A save from another process may replace the model between the
 * two (and delete the files the old model.json names): then model.json has changed, and it is read again.
 */
async function openSave(directory: string): Promise<OpenedSave> {
  // Each retry follows a save that committed meanwhile; only saves in a tight loop elsewhere need more than one.
  const maxAttempts = 100;
  const path = join(directory, modelFile);
  for (let attempt = 1; ; attempt++) {
    const data = await readModelJson(path);
    const { json, meta } = parseModelJson(path, data);
    const manifest = weightsManifest(path, json);
    const weights = await openWeightFile(directory, manifest.path, manifest.weights, 'the weights');
    const optimizer =
      meta.optimizer === null
        ? null
        : await openWeightFile(directory, meta.optimizer.path, meta.optimizer.weights, 'the optimizer state');
    const failed = [weights, optimizer].find((file): file is ReadProblem => file !== null && 'kind' in file);
    if (failed === undefined && 'file' in weights && (optimizer === null || 'file' in optimizer))
      return { path, json, meta, weights, optimizer };
    await closeAll([weights, optimizer]);
    const replaced = failed?.kind === 'missing' && attempt < maxAttempts && !(await readModelJson(path)).equals(data);
    if (!replaced && failed !== undefined) {
      const [name, what] =
        failed === weights ? [manifest.path, 'the weights file'] : [meta.optimizer?.path, 'the optimizer state file'];
      return unreadable(join(directory, String(name)), what, failed, Number.MAX_SAFE_INTEGER);
    }
  }
}

/** Every size checked against the graph and the files, before anything is allocated. */
function checkSizes(model: Functional, save: OpenedSave, maxBytes: number): void {
  const expected = byteLength(model.layers.flatMap((layer) => layer.weights));
  const declared = byteLength(save.weights.entries);
  if (declared !== expected)
    problem(save.path, `its weights hold ${declared / 4} values, but the graph needs ${expected / 4}`);
  let total = 0;
  for (const file of [save.weights, save.optimizer]) {
    if (file === null) continue;
    const described = byteLength(file.entries);
    if (file.file.size !== described)
      problem(
        file.path,
        `${file.what} file has ${file.file.size} bytes, but its manifest describes ${described}; it is truncated or corrupt`,
      );
    total += described;
  }
  if (total > maxBytes)
    problem(
      save.path,
      `its weights and optimizer state are ${total} bytes, more than the ${maxBytes} one load may read; pass loadModel(directory, { maxBytes }) to allow more`,
    );
}

async function decode(file: WeightFile): Promise<tf.NamedTensorMap> {
  const data = await file.file.read();
  if (data.byteLength !== file.file.size)
    return problem(file.path, `${file.what} file shrank while it was read; it is being rewritten by something else`);
  const buffer = new ArrayBuffer(data.byteLength);
  new Uint8Array(buffer).set(data);
  return tf.io.decodeWeights(buffer, file.entries);
}

/** Sets the model's weights, optimizer state and epoch count from an opened save whose sizes were checked. */
async function restore(model: Functional, save: OpenedSave): Promise<void> {
  const trainer = trainerOf(model);
  const decoded = await decode(save.weights);
  try {
    for (const weight of trainer.graph.layersModel.weights) {
      const value = decoded[weight.originalName];
      if (value === undefined) return problem(save.path, `the weights file has no '${weight.originalName}'`);
      if (value.shape.join(',') !== weight.shape.join(','))
        return problem(
          save.path,
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
  const compiledNow = save.meta.compile !== null && trainer.compileSaved(save.meta.compile);
  const compiled = trainer.compiled;
  if (compiledNow && compiled !== undefined && save.optimizer !== null) {
    const state = await decode(save.optimizer);
    await compiled.optimizer.setWeights(
      save.optimizer.entries.map((entry) => ({
        name: entry.name,
        tensor: state[entry.name] ?? problem(save.path, `optimizer state '${entry.name}' is missing`),
      })),
    );
  }
  trainer.epochsDone = save.meta.epochsDone;
}

/** `dir` or `dir/model.json`: the directory of a save. */
async function saveDirectory(path: string): Promise<string> {
  if (basename(path) !== modelFile) return path;
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() === false ? dirname(path) : path;
}

/**
 * Loads a saved model (see src/model.ts, loadModel): the graph is rebuilt by `make`, then weights, compile
 * settings and optimizer state are restored into it.
 */
export async function loadSaved<M extends Functional>(
  path: string,
  options: LoadOptions,
  make: MakeModel<M>,
): Promise<M> {
  const maxBytes = positiveInteger('loadModel', 'maxBytes', options.maxBytes ?? defaultMaxBytes);
  const save = await openSave(await saveDirectory(path));
  try {
    const model = rebuildGraph(save.path, save.meta.graph, make, options.customLayers);
    checkSizes(model, save, maxBytes);
    await restore(model, save);
    return model;
  } finally {
    await closeAll([save.weights, save.optimizer]);
  }
}

/** Restores weights, optimizer state and epoch count saved from this same model (to resume training). */
export async function restoreCheckpoint(model: Functional, directory: string): Promise<void> {
  const save = await openSave(await saveDirectory(directory));
  try {
    const saved = list(save.path, save.meta.graph.layers, 'layers');
    const current = graphOf(model).layers;
    // Which layers are frozen may change between a checkpoint and its resumption (fine-tuning).
    const described = (layer: unknown): string =>
      isRecord(layer) ? JSON.stringify([layer.name, layer.className, layer.config]) : JSON.stringify(layer);
    const differs = current.findIndex((layer, index) => described(layer) !== described(saved[index]));
    if (differs !== -1 || saved.length !== current.length) {
      const mine = current[differs]?.name ?? `${current.length} layers`;
      const theirs = isRecord(saved[differs]) ? describe(saved[differs].name) : `${saved.length} layers`;
      return problem(
        save.path,
        `was saved from a different model: its layers differ from this one's (this model has ${mine} where the save has ${theirs}); a model built again in the same process gets new layer names, so call clearSession() before building it, or name its layers`,
      );
    }
    checkSizes(model, save, Number.MAX_SAFE_INTEGER);
    await restore(model, save);
  } finally {
    await closeAll([save.weights, save.optimizer]);
  }
}
