// Saving and loading: round trips, the tfjs format, every kind of bad file, and kill -9 in the middle of a save.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Add,
  clearSession,
  Dense,
  Embedding,
  Flatten,
  Input,
  KeratsError,
  LSTM,
  loadModel,
  Model,
  Reshape,
  useBackend,
} from '../src/index.ts';
import { root } from './helpers/compiler.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-save-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});
/** Every saving process a test started, killed at the end whatever happened (they loop until killed). */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function small(name = 'm') {
  clearSession();
  const ids = Input([6], { dtype: 'int32', name: 'ids' });
  const hidden = LSTM(4)(Embedding(20, 3)(ids));
  return Model({ inputs: ids, outputs: Dense(2, { activation: 'softmax' })(hidden), name });
}

const ids = () =>
  tf.tensor2d(
    [
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
      [0, 0, 1, 1, 2, 2],
    ],
    [3, 6],
    'int32',
  );
const labels = () =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 0],
  ]);

async function failure(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (error instanceof KeratsError) return error.message;
    throw error;
  }
  throw new Error('expected a KeratsError');
}

describe('save and load', () => {
  it('round-trips the graph, the weights, the compile settings and the optimizer state', async () => {
    const model = small().compile({
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    await model.fit(ids(), labels(), { epochs: 2, verbose: 0 });
    const directory = join(work, 'round-trip');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.summaryLines()).toEqual(model.summaryLines());
    const [before] = await model.predict(ids());
    const [after] = await loaded.predict(ids());
    expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
    // Training goes on where it stopped: the same next step on both.
    await model.fit(ids(), labels(), { epochs: 1, verbose: 0, shuffle: false });
    await loaded.fit(ids(), labels(), { epochs: 1, verbose: 0, shuffle: false });
    const [next] = await model.predict(ids());
    const [nextLoaded] = await loaded.predict(ids());
    const [a, b] = [Array.from(next?.dataSync() ?? []), Array.from(nextLoaded?.dataSync() ?? [])];
    for (const [index, value] of a.entries()) expect(b[index]).toBeCloseTo(value, 5);
  });

  it('writes the tfjs-layers format, which tfjs loads by itself', async () => {
    const model = small();
    const directory = join(work, 'tfjs');
    await model.save(directory);
    const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    const [group] = json.weightsManifest;
    const data = readFileSync(join(directory, group.paths[0]));
    const weightData = new ArrayBuffer(data.byteLength);
    new Uint8Array(weightData).set(data);
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
    );
    const expected = (await model.predict(ids()))[0];
    const actual = plain.predict(ids());
    expect(actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : []).toEqual(
      Array.from(expected?.dataSync() ?? []),
    );
  });

  it('keeps one set of files: the previous save is removed once the new one is in place', async () => {
    const model = small();
    const directory = join(work, 'files');
    await model.save(directory);
    await model.save(directory);
    expect(readdirSync(directory).sort()).toEqual(expect.arrayContaining(['model.json']));
    expect(readdirSync(directory).filter((file) => file.startsWith('weights.'))).toHaveLength(1);
  });
});

describe('loadModel refuses bad files with a clear error', () => {
  let good = '';
  let json: object = {};
  let weightsFile = '';
  beforeAll(async () => {
    good = join(work, 'good');
    await small().save(good);
    json = JSON.parse(readFileSync(join(good, 'model.json'), 'utf8'));
    weightsFile = readdirSync(good).find((file) => file.startsWith('weights.')) ?? '';
  });

  /** A copy of the good save, with model.json and the weights changed by `edit`. */
  function variant(name: string, edit: (copy: { json: object; weights: Buffer }) => void): string {
    const directory = join(work, name);
    rmSync(directory, { recursive: true, force: true });
    execFileSync('cp', ['-r', good, directory]);
    const copy = { json: structuredClone(json), weights: readFileSync(join(good, weightsFile)) };
    edit(copy);
    writeFileSync(join(directory, 'model.json'), JSON.stringify(copy.json));
    writeFileSync(join(directory, weightsFile), copy.weights);
    return directory;
  }

  // Plain JSON, edited by path (Reflect.get reads a property of whatever JSON.parse made).
  const graph = (copy: { json: object }) =>
    Reflect.get(Reflect.get(Reflect.get(copy.json, 'userDefinedMetadata'), 'kerats'), 'graph');
  const group = (copy: { json: object }) => Reflect.get(copy.json, 'weightsManifest')[0];

  it('a missing directory or model.json', async () => {
    expect(await failure(() => loadModel(join(work, 'nowhere')))).toBe(
      `loadModel: ${join(work, 'nowhere', 'model.json')}: model.json is missing`,
    );
  });

  it('model.json that is not JSON', async () => {
    const directory = variant('garbage', () => {});
    writeFileSync(join(directory, 'model.json'), '{"modelTopology": [1, 2');
    expect(await failure(() => loadModel(directory))).toMatch(/model\.json: is not valid JSON \(/);
  });

  it('a truncated weights file', async () => {
    const directory = variant('truncated', (copy) => {
      copy.weights = copy.weights.subarray(0, copy.weights.length - 10);
    });
    expect(await failure(() => loadModel(directory))).toMatch(
      /the weights file has \d+ bytes, but its manifest describes \d+; it is truncated or corrupt$/,
    );
  });

  it('a manifest that does not match the graph', async () => {
    const directory = variant('mismatch', (copy) => {
      const first = group(copy).weights[0];
      first.shape = [first.shape[0], first.shape[1] + 1];
    });
    expect(await failure(() => loadModel(directory))).toMatch(/its weights hold \d+ values, but the graph needs \d+$/);
  });

  it('a weights path that leaves the directory', async () => {
    const directory = variant('traversal', (copy) => {
      group(copy).paths = ['../../etc/passwd'];
    });
    expect(await failure(() => loadModel(directory))).toMatch(
      /weights file name '..\/..\/etc\/passwd' is not a plain file name$/,
    );
  });

  it('a layer whose config is hostile: an absurd size, an unknown class, a bad value', async () => {
    const huge = variant('huge', (copy) => {
      const dense = graph(copy).layers.find((layer: { className: string }) => layer.className === 'Dense');
      dense.config.units = 1_000_000_000;
    });
    // Refused from the sizes alone, before a billion weights are allocated.
    expect(await failure(() => loadModel(huge))).toMatch(/its weights hold \d+ values, but the graph needs \d+$/);
    const unknown = variant('unknown-class', (copy) => {
      graph(copy).layers[0].className = 'EvalLayer';
    });
    expect(await failure(() => loadModel(unknown))).toMatch(
      /layer 'embedding': its class 'EvalLayer' is not one of kerats' layers; pass the class as loadModel\(path, \{ customLayers: \{ EvalLayer \} \}\)/,
    );
    const negative = variant('negative', (copy) => {
      const embedding = graph(copy).layers.find((layer: { className: string }) => layer.className === 'Embedding');
      embedding.config.inputDim = -5;
    });
    expect(await failure(() => loadModel(negative))).toBe('Embedding: inputDim must be a positive integer, got -5');
  });

  it('a graph that reads a tensor nothing produced', async () => {
    const directory = variant('dangling', (copy) => {
      graph(copy).nodes[1].inputs = [['ghost', 0]];
    });
    expect(await failure(() => loadModel(directory))).toMatch(
      /a call reads \['ghost', 0\], which no earlier call produced$/,
    );
  });

  it('deeply nested JSON, and a model.json without kerats metadata', async () => {
    const deep = variant('deep', () => {});
    writeFileSync(join(deep, 'model.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(await failure(() => loadModel(deep))).toMatch(/model\.json: (is not valid JSON|is not a JSON object)/);
    const plain = variant('plain', (copy) => {
      Reflect.deleteProperty(copy.json, 'userDefinedMetadata');
    });
    expect(await failure(() => loadModel(plain))).toMatch(
      /has no kerats graph \(userDefinedMetadata\.kerats\); was it saved by kerats\?$/,
    );
  });
});

describe('kill -9 in the middle of a save', () => {
  it(
    'leaves a save that loads, holding one of the two weight sets, every time',
    async () => {
      const directory = join(work, 'killed');
      const runs = Number(process.env.KERATS_KILL_RUNS ?? 12);
      const seen = new Set<number>();
      for (let run = 0; run < runs; run++) {
        const child = spawn(process.execPath, [join(root, 'tests', 'fixtures', 'save-loop.mjs'), directory], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        children.add(child);
        await new Promise<void>((resolve, reject) => {
          child.stdout.once('data', () => resolve());
          child.once('exit', (code) => reject(new Error(`the saving process exited early (${code})`)));
        });
        // Let it save a few times, then kill it at an arbitrary moment.
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 400));
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const model = await loadModel(directory);
        const values = new Set(Array.from(model.toLayersModel().weights[0]?.read().dataSync() ?? []));
        expect(values.size).toBe(1);
        const [value] = values;
        expect([1, 2]).toContain(value);
        if (value !== undefined) seen.add(value);
        const [bias] = Array.from(model.toLayersModel().weights[1]?.read().dataSync() ?? []);
        expect(bias).toBe(value);
      }
      expect(seen.size).toBeGreaterThan(0);
    },
    30_000 + 3_000 * Number(process.env.KERATS_KILL_RUNS ?? 12),
  );
});

/** The kernel and bias values of the save-loop fixture's model: one value each, equal, 1 or 2. */
function loopValues(model: { toLayersModel(): tf.LayersModel }): number[] {
  return model.toLayersModel().weights.flatMap((weight) => [...new Set(Array.from(weight.read().dataSync()))]);
}

function startSaveLoop(directory: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'tests', 'fixtures', 'save-loop.mjs'), directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the saving process exited (${code}): ${stderr}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('saves that overlap', () => {
  it('in one process: run in call order, each saving the weights of its call, losing nothing', async () => {
    const directory = join(work, 'overlap');
    const model = small();
    const [first] = model.toLayersModel().weights;
    const runs = Number(process.env.KERATS_OVERLAP_RUNS ?? 30);
    for (let run = 0; run < runs; run++) {
      first?.write(
        tf.fill(
          first.shape.map((dim) => dim ?? 1),
          run,
        ),
      );
      const early = model.save(directory);
      // Changed before the first save has written anything: the first save still holds `run`.
      first?.write(
        tf.fill(
          first.shape.map((dim) => dim ?? 1),
          run + 0.5,
        ),
      );
      await Promise.all([early, model.save(directory), model.save(directory)]);
      const loaded = await loadModel(directory);
      expect(new Set(loaded.toLayersModel().weights[0]?.read().dataSync())).toEqual(new Set([run + 0.5]));
    }
    const files = readdirSync(directory);
    expect(files.filter((file) => file.startsWith('weights.'))).toHaveLength(1);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('a save, as it is written, holds the weights of the moment it was called', async () => {
    const directory = join(work, 'snapshot');
    const model = small();
    const [first] = model.toLayersModel().weights;
    first?.write(
      tf.fill(
        first.shape.map((dim) => dim ?? 1),
        7,
      ),
    );
    const saving = model.save(directory);
    first?.write(
      tf.fill(
        first.shape.map((dim) => dim ?? 1),
        8,
      ),
    );
    await saving;
    const loaded = await loadModel(directory);
    expect(new Set(loaded.toLayersModel().weights[0]?.read().dataSync())).toEqual(new Set([7]));
  });

  it('never removes a file it did not write, even one named like its own (weights.best.bin)', async () => {
    const directory = join(work, 'user-files');
    mkdirSync(directory, { recursive: true });
    const mine = ['weights.best.bin', 'weights.bin', 'optimizer.old.bin', 'notes.txt', 'model.json.bak.tmp'];
    for (const file of mine) writeFileSync(join(directory, file), `user's ${file}`);
    const model = small();
    for (let round = 0; round < 3; round++) await Promise.all([model.save(directory), model.save(directory)]);
    for (const file of mine) expect(readFileSync(join(directory, file), 'utf8')).toBe(`user's ${file}`);
    expect(readdirSync(directory).filter((file) => file.startsWith('weights.k'))).toHaveLength(1);
  });

  it(
    'in two processes at once, while a third reads: every read loads, no saver fails',
    async () => {
      const directory = join(work, 'two-processes');
      const runs = Number(process.env.KERATS_OVERLAP_RUNS ?? 4);
      for (let run = 0; run < runs; run++) {
        const savers = await Promise.all([startSaveLoop(directory), startSaveLoop(directory)]);
        let loads = 0;
        try {
          // The first run starts on an empty directory: wait for the first commit.
          while (!existsSync(join(directory, 'model.json'))) await new Promise((resolve) => setTimeout(resolve, 10));
          const until = Date.now() + 600 + Math.random() * 600;
          while (Date.now() < until) {
            const values = loopValues(await loadModel(directory));
            expect(new Set(values).size).toBe(1);
            expect([1, 2]).toContain(values[0]);
            loads++;
          }
          // A saver that failed (a raw ENOENT, say) would have exited.
          for (const saver of savers) expect(saver.exitCode).toBeNull();
        } finally {
          await Promise.all(savers.map(kill));
        }
        expect(loads).toBeGreaterThan(0);
        expect(new Set(loopValues(await loadModel(directory))).size).toBe(1);
      }
      // The next save clears what the killed savers left half-written.
      const survivor = await loadModel(directory);
      await survivor.save(directory);
      const files = readdirSync(directory);
      expect(files.filter((file) => file.startsWith('weights.'))).toHaveLength(1);
      expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    },
    30_000 + 6_000 * Number(process.env.KERATS_OVERLAP_RUNS ?? 4),
  );
});

describe('what a save records', () => {
  it('a shared layer whose later call sits deeper keeps its wiring through save and load', async () => {
    clearSession();
    const x = Input([4], { name: 'x' });
    const shared = Dense(4, { name: 'shared' });
    const near = shared(Dense(4)(Dense(4)(x))); // call 0, one step from the output
    const far = Dense(4)(Dense(4)(Dense(4)(shared(x)))); // call 1, four steps from it
    const model = Model({ inputs: x, outputs: Add()([near, far]) });
    const directory = join(work, 'shared-depths');
    await model.save(directory);
    const loaded = await loadModel(directory);
    const data = tf.randomNormal([5, 4]);
    const [before] = await model.predict(data);
    const [after] = await loaded.predict(data);
    expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
  });

  it('an input that no output reads is saved and loaded as an input', async () => {
    clearSession();
    const used = Input([3], { name: 'used' });
    const unused = Input([2], { name: 'unused' });
    const directory = join(work, 'unused-input');
    await Model({ inputs: [used, unused], outputs: Dense(1)(used) }).save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.inputs.map((input) => input.node.layer.name)).toEqual(['used', 'unused']);
    const [out] = await loaded.predict([tf.ones([2, 3]), tf.ones([2, 2])]);
    expect(out?.shape).toEqual([2, 1]);
  });

  it('a Reshape with -1 saves and loads (tfjs must not rewrite the config kerats hands it)', async () => {
    clearSession();
    const x = Input([4, 6], { name: 'x' });
    const reshape = Reshape([-1, 3]);
    const model = Model({ inputs: x, outputs: Dense(2)(reshape(x)) });
    const directory = join(work, 'reshape-wildcard');
    await model.save(directory);
    expect(reshape.core.spec.config).toEqual({ targetShape: [-1, 3] });
    const loaded = await loadModel(directory);
    const data = tf.randomNormal([2, 4, 6]);
    const [before] = await model.predict(data);
    const [after] = await loaded.predict(data);
    expect(after?.shape).toEqual([2, 8, 2]);
    expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
  });

  it('a merge that learns an unknown size saves and loads, in kerats and in plain tfjs', async () => {
    clearSession();
    const a = Input([null, 3], { name: 'a' });
    const b = Input([5, 3], { name: 'b' });
    const model = Model({ inputs: [a, b], outputs: Dense(2)(Flatten()(Add()([a, b]))) });
    const directory = join(work, 'merge-unknown');
    await model.save(directory);
    const data = [tf.randomNormal([2, 5, 3]), tf.randomNormal([2, 5, 3])] as const;
    const [before] = await model.predict(data);
    const [after] = await (await loadModel(directory)).predict(data);
    expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
    const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    const [group] = json.weightsManifest;
    const bytes = readFileSync(join(directory, group.paths[0]));
    const weightData = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(weightData).set(bytes);
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
    );
    const actual = plain.predict([...data]);
    expect(actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : []).toEqual(
      Array.from(before?.dataSync() ?? []),
    );
  });

  it('loadModel takes the directory or its model.json', async () => {
    const directory = join(work, 'by-file');
    await small().save(directory);
    const loaded = await loadModel(join(directory, 'model.json'));
    expect(loaded.name).toBe('m');
  });
});

describe('hostile save directories', () => {
  let good = '';
  beforeAll(async () => {
    good = join(work, 'hostile-good');
    await small().save(good);
  });
  const copy = (name: string): string => {
    const directory = join(work, name);
    rmSync(directory, { recursive: true, force: true });
    execFileSync('cp', ['-r', good, directory]);
    return directory;
  };
  const weightsOf = (directory: string): string =>
    readdirSync(directory).find((file) => file.startsWith('weights.')) ?? '';

  it('a 3 KB model.json declaring a 1 GiB Dense (manifest to match) is refused before anything is allocated', async () => {
    const directory = copy('declares-a-gigabyte');
    const path = join(directory, 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const dense = json.userDefinedMetadata.kerats.graph.layers.find(
      (layer: { className: string }) => layer.className === 'Dense',
    );
    dense.config.units = 65_536;
    for (const entry of json.weightsManifest[0].weights)
      if (entry.name.startsWith(`${dense.name}/`))
        entry.shape = entry.name.endsWith('kernel') ? [4, 65_536 * 1024] : [65_536 * 1024];
    dense.config.units = 65_536 * 1024;
    writeFileSync(path, JSON.stringify(json));
    const bytes = tf.memory().numBytes;
    const started = Date.now();
    expect(await failure(() => loadModel(directory))).toMatch(
      /the weights file has \d+ bytes, but its manifest describes \d+; it is truncated or corrupt$/,
    );
    expect(tf.memory().numBytes - bytes).toBeLessThan(1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('weights larger than maxBytes are refused, naming the option', async () => {
    const directory = copy('max-bytes');
    expect(await failure(() => loadModel(directory, { maxBytes: 100 }))).toMatch(
      /model\.json: its weights and optimizer state are \d+ bytes, more than the 100 one load may read; pass loadModel\(directory, \{ maxBytes \}\) to allow more$/,
    );
    expect(await failure(() => loadModel(directory, { maxBytes: 0 }))).toBe(
      'loadModel: maxBytes must be a positive integer, got 0',
    );
  });

  it('a FIFO as model.json or weights is refused at once, not read forever', async () => {
    const directory = copy('fifo');
    const weights = weightsOf(directory);
    rmSync(join(directory, weights));
    execFileSync('mkfifo', [join(directory, weights)]);
    expect(await failure(() => loadModel(directory))).toBe(
      `loadModel: ${join(directory, weights)}: the weights file is not a regular file (a directory, a FIFO or a device)`,
    );
    rmSync(join(directory, 'model.json'));
    execFileSync('mkfifo', [join(directory, 'model.json')]);
    expect(await failure(() => loadModel(directory))).toBe(
      `loadModel: ${join(directory, 'model.json')}: model.json is not a regular file (a directory, a FIFO or a device)`,
    );
  }, 10_000);

  it('a symbolic link, to a device or to a good file outside the directory, is not followed', async () => {
    const directory = copy('links');
    const weights = weightsOf(directory);
    rmSync(join(directory, weights));
    symlinkSync(join(good, weights), join(directory, weights));
    expect(await failure(() => loadModel(directory))).toBe(
      `loadModel: ${join(directory, weights)}: the weights file is a symbolic link; kerats reads only regular files inside the directory`,
    );
    rmSync(join(directory, 'model.json'));
    symlinkSync('/dev/zero', join(directory, 'model.json'));
    expect(await failure(() => loadModel(directory))).toMatch(/model\.json: model\.json is a symbolic link/);
  }, 10_000);

  it('a graph nested 100,000 deep gets a sentence, not a stack overflow', async () => {
    const directory = copy('deep-graph');
    const path = join(directory, 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.userDefinedMetadata.kerats.graph.outputs = 'NESTED';
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    writeFileSync(path, JSON.stringify(json).replace('"NESTED"', `[${nested}]`));
    expect(await failure(() => loadModel(directory))).toMatch(
      /a tensor reference \[\[\[\[\.\.\.\]\]\]\] is not \[layer, call\] or \[layer, call, output\]$/,
    );
  });
});
