// npm run bench:train: training speed, written to docs/benchmarks.md (between the "training" markers).
// For each reference model and each backend that loads here: samples per second for kerats and for the same
// model written by hand in plain tfjs-layers on stock tfjs (its own fit, stock kernels), measured side by side
// in one run, each in a fresh process; the ratio of the two; and the GFLOP/s kerats achieves. Then, where a Python
// with torch is found, kerats on the embedded default against the same model in PyTorch (bench/pytorch), one and
// two threads each, measurements alternating, medians of KERATS_BENCH_REPEATS (default 3).
// Then the CNN from an async iterable against the same CNN on in-memory tensors, taken in turn, medians of
// KERATS_BENCH_REPEATS (its own section). KERATS_BENCH_SECTIONS=datasets (or training) runs and writes one section.
// A quick check that everything runs: KERATS_BENCH_BATCHES=1 KERATS_BENCH_REPEATS=1 KERATS_BENCH_BACKENDS=wasm.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, type KerasModel, probeBackends } from 'kerats';
import { runPytorch, torchPython } from '../bench/pytorch/python.ts';
import * as bilstm from '../examples/bilstm.ts';
import * as cnn from '../examples/cnn.ts';
import * as mlp from '../examples/mlp.ts';
import * as multipleInputs from '../examples/multiple-inputs.ts';
import * as multipleOutputs from '../examples/multiple-outputs.ts';
import * as rnn from '../examples/rnn.ts';
import * as sharedFeature from '../examples/shared-feature-extraction.ts';
import * as sharedInput from '../examples/shared-input.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const one = join(here, 'bench-train-one.js');
const limit = Number(process.env.KERATS_BENCH_TIMEOUT ?? 150) * 1000;
const repeats = Math.max(1, Number(process.env.KERATS_BENCH_REPEATS ?? 3));
/** Batches per timed epoch: the given count, unless KERATS_BENCH_BATCHES sets one for every measurement. */
const batchesOr = (count: number) => Number(process.env.KERATS_BENCH_BATCHES ?? count);
const onlyBackends = process.env.KERATS_BENCH_BACKENDS?.split(',');
const [startLoad = 0] = loadavg();
const sections = process.env.KERATS_BENCH_SECTIONS?.split(',') ?? ['training', 'datasets'];
/** The models measured from an async iterable too (bench-train-one's iterableRuns). */
const iterableModels = ['cnn'];

const models: Record<string, { model: KerasModel; conv: boolean }> = {
  mlp: { model: mlp.model, conv: false },
  cnn: { model: cnn.model, conv: true },
  rnn: { model: rnn.model, conv: false },
  bilstm: { model: bilstm.model, conv: false },
  'shared-input': { model: sharedInput.model, conv: true },
  'shared-feature-extraction': { model: sharedFeature.model, conv: false },
  'multiple-inputs': { model: multipleInputs.model, conv: true },
  'multiple-outputs': { model: multipleOutputs.model, conv: false },
};

type Result = { samplesPerSecond: number } | { error: string };

/** A measurement's printed object as a Result; `params`, when given, must match what it reports. */
function result(parsed: unknown, params?: number): Result | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  if ('error' in parsed) return { error: String(parsed.error) };
  if (!('samplesPerSecond' in parsed) || typeof parsed.samplesPerSecond !== 'number') return undefined;
  if (params !== undefined && (!('params' in parsed) || parsed.params !== params))
    return { error: `${'params' in parsed ? String(parsed.params) : 'no'} parameters, kerats has ${params}` };
  return { samplesPerSecond: parsed.samplesPerSecond };
}

function measure(
  implementation: 'kerats' | 'kerats2' | 'kerats-iterable' | 'plain',
  name: string,
  backend: BackendName,
  batches: number,
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [one, implementation, name, backend, String(batches)],
      { timeout: limit, maxBuffer: 1 << 20 },
      (error, stdout) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        let parsed: Result | undefined;
        try {
          parsed = result(JSON.parse(line));
        } catch {}
        if (parsed) return resolve(parsed);
        resolve({
          error: error?.killed
            ? `did not finish ${batches + 1} batches of 32 in ${limit / 1000} s`
            : (error?.message.split('\n')[0] ?? 'no result'),
        });
      },
    );
  });
}

/** The same model in PyTorch with `threads` threads; it must have kerats' parameter count. */
async function measurePytorch(python: string, name: string, batches: number, threads: number, params: number) {
  const script = join(root, 'bench', 'pytorch', 'bench.py');
  const parsed = await runPytorch(python, script, [name, String(batches), String(threads)], limit);
  return result(parsed, params) ?? { error: 'no result' };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The median of the successful measurements, or the first failure if any failed. */
function medianOf(results: readonly Result[]): Result {
  const failed = results.find((each) => 'error' in each);
  if (failed) return failed;
  return { samplesPerSecond: median(results.map((each) => ('samplesPerSecond' in each ? each.samplesPerSecond : 0))) };
}

const speed = (result: Result) =>
  'samplesPerSecond' in result ? result.samplesPerSecond.toFixed(1) : `fails: ${result.error}`;
const ratioOf = (over: Result, under: Result) =>
  'samplesPerSecond' in over && 'samplesPerSecond' in under
    ? (over.samplesPerSecond / under.samplesPerSecond).toFixed(2)
    : '-';

const only = process.argv.slice(2);
const backends = (await probeBackends())
  .filter((probe) => probe.available && (onlyBackends === undefined || onlyBackends.includes(probe.backend)))
  .map((probe) => probe.backend);
// Against PyTorch, kerats runs on the embedded default (wasm), or on the first backend here if wasm is not.
const versusBackend = backends.includes('wasm') ? 'wasm' : backends[0];
const python = torchPython();
const torchVersion =
  python === undefined
    ? undefined
    : execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
const versusRows: string[] = [];
const rows: string[] = [];
const notes: string[] = [];
for (const [name, { model, conv }] of Object.entries(models)) {
  if (!sections.includes('training') || (only.length > 0 && !only.includes(name))) continue;
  const flops = model.flops() * 3; // a training step: forward, and a backward pass of about twice its cost
  const results = new Map<string, Result>();
  for (const backend of backends) {
    // Stock cpu kernels take tens of seconds per batch for convolutions and embeddings: one timed batch there.
    const slow = backend === 'cpu';
    const keratsResult = await measure('kerats', name, backend, batchesOr(slow ? 2 : 6));
    const parallelResult = await measure('kerats2', name, backend, batchesOr(slow ? 2 : 6));
    const plainResult = await measure('plain', name, backend, batchesOr(slow ? 1 : 6));
    results.set(`kerats/${backend}`, keratsResult);
    results.set(`kerats2/${backend}`, parallelResult);
    results.set(`plain/${backend}`, plainResult);
    const ratio = ratioOf(keratsResult, plainResult);
    const gflops =
      'samplesPerSecond' in keratsResult ? ((keratsResult.samplesPerSecond * flops) / 1e9).toFixed(2) : '-';
    const speedUp =
      'samplesPerSecond' in keratsResult && 'samplesPerSecond' in parallelResult
        ? (parallelResult.samplesPerSecond / keratsResult.samplesPerSecond).toFixed(2)
        : '-';
    rows.push(
      `| ${name} | ${backend} | ${speed(keratsResult)} | ${speed(parallelResult)} (${speedUp}x) | ${speed(plainResult)} | ${ratio} | ${gflops} |`,
    );
    console.log(rows.at(-1));
  }
  if (versusBackend !== undefined) {
    // Alternating kerats and PyTorch, so that a change in the machine's load falls on both alike.
    const measured: Record<'kerats' | 'pytorch' | 'kerats2' | 'pytorch2', Result[]> = {
      kerats: [],
      pytorch: [],
      kerats2: [],
      pytorch2: [],
    };
    if (python === undefined) {
      measured.kerats.push(results.get(`kerats/${versusBackend}`) ?? { error: 'not measured' });
      measured.kerats2.push(results.get(`kerats2/${versusBackend}`) ?? { error: 'not measured' });
    } else {
      const batches = batchesOr(6);
      const params = model.countParams();
      for (let round = 0; round < repeats; round++) {
        measured.kerats.push(await measure('kerats', name, versusBackend, batches));
        measured.pytorch.push(await measurePytorch(python, name, batches, 1, params));
        measured.kerats2.push(await measure('kerats2', name, versusBackend, batches));
        measured.pytorch2.push(await measurePytorch(python, name, batches, 2, params));
      }
    }
    const [one, two] = [medianOf(measured.kerats), medianOf(measured.kerats2)];
    const [torchOne, torchTwo] =
      python === undefined ? [undefined, undefined] : [medianOf(measured.pytorch), medianOf(measured.pytorch2)];
    const cells = (kerats: Result, pytorch: Result | undefined) =>
      pytorch === undefined
        ? `${speed(kerats)} | not available | -`
        : `${speed(kerats)} | ${speed(pytorch)} | ${ratioOf(kerats, pytorch)}`;
    versusRows.push(`| ${name} | ${cells(one, torchOne)} | ${cells(two, torchTwo)} |`);
    console.log(versusRows.at(-1));
  }
  const keratsWasm = results.get('kerats/wasm');
  const stockCpu = results.get('plain/cpu');
  if (conv && keratsWasm && 'samplesPerSecond' in keratsWasm)
    notes.push(
      stockCpu && 'samplesPerSecond' in stockCpu
        ? `- ${name}: kerats on wasm is ${(keratsWasm.samplesPerSecond / stockCpu.samplesPerSecond).toFixed(0)}x stock tfjs on cpu.`
        : `- ${name}: stock tfjs on cpu ${stockCpu && 'error' in stockCpu ? stockCpu.error : 'was not measured'}; kerats on wasm: ${keratsWasm.samplesPerSecond.toFixed(1)} samples/s.`,
    );
}

const section = [
  '<!-- training:start (written by `npm run bench:train`; do not edit by hand) -->',
  '## Training speed',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, batch 32,`,
  `each figure in a fresh process after one warm-up batch; backends that load here: ${backends.join(', ')}.`,
  '"plain" is the same model written by hand in tfjs-layers (bench/plain-tfjs), trained by tfjs\'s own fit on stock',
  'kernels. "2 threads" is fit({ workers: 2 }): data-parallel over a worker thread (src/runtime/parallel.ts),',
  'with its speed-up over one thread. GFLOP/s (one thread) counts a training step as three forward passes.',
  '',
  '| model | backend | kerats samples/s | kerats, 2 threads | plain tfjs samples/s | kerats / plain | kerats GFLOP/s |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  ...notes,
  '',
  '### Against PyTorch',
  '',
  python === undefined
    ? 'PyTorch: not available (no python3 here imports torch; install it, e.g. `apt-get install python3-torch`, or name one in KERATS_PYTHON).'
    : `PyTorch ${torchVersion} on CPU (${python}): the same eight models in bench/pytorch, layer for layer, with kerats' parameter counts,`,
  ...(python === undefined
    ? []
    : [
        `the same losses, Adam at the same learning rates, batch 32, random data of the same shapes. kerats on ${versusBackend ?? '-'}.`,
        `Each figure is the median of ${repeats} measurement${repeats === 1 ? '' : 's'}, each in a fresh process after one warm-up batch, kerats and PyTorch`,
        "taken in turn. 1 thread: kerats' fit on one thread against torch.set_num_threads(1); 2 threads: fit({ workers: 2 })",
        'against torch.set_num_threads(2), both cores allowed for both.',
      ]),
  '',
  '| model | kerats, 1 thread | PyTorch, 1 thread | kerats / PyTorch | kerats, 2 threads | PyTorch, 2 threads | kerats / PyTorch |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...versusRows,
  '<!-- training:end -->',
].join('\n');

// The CNN from an async iterable and from in-memory tensors, taken in turn, so that a change in the machine's
// load falls on both alike.
const iterableBackend = versusBackend;
const iterableRows: string[] = [];
for (const name of iterableModels) {
  if (!sections.includes('datasets') || iterableBackend === undefined || (only.length > 0 && !only.includes(name)))
    continue;
  const measured: Record<'memory' | 'iterable', Result[]> = { memory: [], iterable: [] };
  for (let round = 0; round < repeats; round++) {
    measured.memory.push(await measure('kerats', name, iterableBackend, batchesOr(6)));
    measured.iterable.push(await measure('kerats-iterable', name, iterableBackend, batchesOr(6)));
  }
  const [memory, iterable] = [medianOf(measured.memory), medianOf(measured.iterable)];
  iterableRows.push(
    `| ${name} | ${iterableBackend} | ${speed(memory)} | ${speed(iterable)} | ${ratioOf(iterable, memory)} |`,
  );
  console.log(iterableRows.at(-1));
}

const datasetsSection = [
  '<!-- datasets:start (written by `npm run bench:train`; do not edit by hand) -->',
  '## Training from an async iterable',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, batch 32, one thread`,
  `(load average ${startLoad.toFixed(1)} when the run began: on a busy machine the figures are low, the ratio is what counts).`,
  '"In memory" is fit(x, y) on tensors; "async iterable" is fit(dataset) on an async generator that yields each batch',
  'as fresh tensors (slices of the same data), each checked as in-memory data is and disposed after its step',
  `(src/runtime/datasets.ts). Each figure is the median of ${repeats} measurement${repeats === 1 ? '' : 's'}, each in a fresh process after one warm-up`,
  'batch, the two taken in turn. Goal: the iterable within 10% of in-memory data (a ratio of at least 0.90).',
  '',
  '| model | backend | in memory samples/s | async iterable samples/s | iterable / in memory |',
  '| --- | --- | ---: | ---: | ---: |',
  ...iterableRows,
  '<!-- datasets:end -->',
].join('\n');

const target = join(root, 'docs', 'benchmarks.md');
let document =
  '# Benchmarks\n\nWritten by the benchmark scripts; each section is replaced whole when its script runs.\n';
try {
  document = readFileSync(target, 'utf8');
} catch {}
/** Replaces the section between `<!-- name:start` and `name:end -->`, or adds it at the end. */
const replaceSection = (text: string, name: string, content: string) => {
  const pattern = new RegExp(`<!-- ${name}:start[\\s\\S]*?${name}:end -->`);
  return pattern.test(text) ? text.replace(pattern, () => content) : `${text.trimEnd()}\n\n${content}\n`;
};
if (sections.includes('training')) {
  document = replaceSection(document, 'training', section);
  console.log(section);
}
if (sections.includes('datasets')) {
  document = replaceSection(document, 'datasets', datasetsSection);
  console.log(datasetsSection);
}
writeFileSync(target, document);
