// npm run bench:train: training speed, written to docs/benchmarks.md (between the "training" markers).
// For each reference model and each backend that loads here: samples per second for kerats and for the same
// model written by hand in plain tfjs-layers on stock tfjs (its own fit, stock kernels), measured side by side
// in one run, each in a fresh process; the ratio of the two; and the GFLOP/s kerats achieves.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, type KerasModel, probeBackends } from 'kerats';
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

function measure(
  implementation: 'kerats' | 'kerats2' | 'plain',
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
        try {
          const parsed: unknown = JSON.parse(line);
          if (
            typeof parsed === 'object' &&
            parsed !== null &&
            'samplesPerSecond' in parsed &&
            typeof parsed.samplesPerSecond === 'number'
          )
            return resolve({ samplesPerSecond: parsed.samplesPerSecond });
          if (typeof parsed === 'object' && parsed !== null && 'error' in parsed)
            return resolve({ error: String(parsed.error) });
        } catch {}
        resolve({
          error: error?.killed
            ? `did not finish ${batches + 1} batches of 32 in ${limit / 1000} s`
            : (error?.message.split('\n')[0] ?? 'no result'),
        });
      },
    );
  });
}

const only = process.argv.slice(2);
const backends = (await probeBackends()).filter((probe) => probe.available).map((probe) => probe.backend);
const rows: string[] = [];
const notes: string[] = [];
for (const [name, { model, conv }] of Object.entries(models)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const flops = model.flops() * 3; // a training step: forward, and a backward pass of about twice its cost
  const results = new Map<string, Result>();
  for (const backend of backends) {
    // Stock cpu kernels take tens of seconds per batch for convolutions and embeddings: one timed batch there.
    const slow = backend === 'cpu';
    const keratsResult = await measure('kerats', name, backend, slow ? 2 : 6);
    const parallelResult = await measure('kerats2', name, backend, slow ? 2 : 6);
    const plainResult = await measure('plain', name, backend, slow ? 1 : 6);
    results.set(`kerats/${backend}`, keratsResult);
    results.set(`plain/${backend}`, plainResult);
    const speed = (result: Result) =>
      'samplesPerSecond' in result ? result.samplesPerSecond.toFixed(1) : `fails: ${result.error}`;
    const ratio =
      'samplesPerSecond' in keratsResult && 'samplesPerSecond' in plainResult
        ? (keratsResult.samplesPerSecond / plainResult.samplesPerSecond).toFixed(2)
        : '-';
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
  '<!-- training:end -->',
].join('\n');

const target = join(root, 'docs', 'benchmarks.md');
let document =
  '# Benchmarks\n\nWritten by the benchmark scripts; each section is replaced whole when its script runs.\n';
try {
  document = readFileSync(target, 'utf8');
} catch {}
document = /<!-- training:start[\s\S]*?training:end -->/.test(document)
  ? document.replace(/<!-- training:start[\s\S]*?training:end -->/, section)
  : `${document.trimEnd()}\n\n${section}\n`;
writeFileSync(target, document);
console.log(section);
