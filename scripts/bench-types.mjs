// npm run bench:types: how much type checking kerats costs, on both TypeScript compilers, written to
// docs/benchmarks.md (between the "types" markers). Measured in one run, side by side:
//   (a) the eight examples in kerats (seen through its declaration files, as a user sees it); (b) the same eight models in plain tfjs-layers;
//   (c) a generated 1,000-layer chain and a model with 300 branches;
//   and the re-check of an examples file after an edit, through the TypeScript 5.9 language service.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench', '.generated');
const repeats = Number(process.env.KERATS_BENCH_REPEATS ?? 3);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// Users see kerats through its declaration files (npm run build), as they see tfjs: without `paths`, 'kerats'
// resolves through package.json's exports to dist/src/index.d.ts.
const { paths: _paths, ...base } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
function project(name, files) {
  const path = join(work, `tsconfig.${name}.json`);
  writeFileSync(path, JSON.stringify({ compilerOptions: { ...base, noEmit: true }, files }, null, 2));
  return path;
}

// (c) generated models.
const chainLines = ["import { Activation, Dense, Dropout, Input, Model } from 'kerats';", 'const t0 = Input([64]);'];
for (let index = 1; index <= 1000; index++) {
  const layer = index % 10 === 0 ? 'Dropout(0.1)' : index % 10 === 5 ? "Activation('relu')" : 'Dense(64)';
  chainLines.push(`const t${index} = ${layer}(t${index - 1});`);
}
chainLines.push('export const model = Model({ inputs: t0, outputs: t1000 });');
writeFileSync(join(work, 'chain.ts'), `${chainLines.join('\n')}\n`);

const branchLines = [
  "import { Concatenate, Dense, Input, Model } from 'kerats';",
  "const x = Input([32], { name: 'x' });",
];
for (let index = 0; index < 300; index++) branchLines.push(`const b${index} = Dense(${(index % 7) + 1})(x);`);
branchLines.push(
  `const merged = Concatenate()([${Array.from({ length: 300 }, (_, index) => `b${index}`).join(', ')}]);`,
);
branchLines.push('export const model = Model({ inputs: x, outputs: Dense(1)(merged) });');
writeFileSync(join(work, 'branches.ts'), `${branchLines.join('\n')}\n`);

const examples = readdirSync(join(root, 'examples'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `../../examples/${file}`);
const plain = readdirSync(join(root, 'bench', 'plain-tfjs'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `../plain-tfjs/${file}`);
const projects = {
  'kerats examples (a)': project('examples', examples),
  'plain tfjs-layers (b)': project('plain', plain),
  '1,000-layer chain (c)': project('chain', ['chain.ts']),
  '300 branches (c)': project('branches', ['branches.ts']),
};

const compilers = {
  [`TypeScript ${require('typescript/package.json').version}`]: [join(root, 'node_modules', '.bin', 'tsc')],
  [`TypeScript ${require('typescript-5/package.json').version}`]: [
    process.execPath,
    require.resolve('typescript-5/lib/tsc.js'),
  ],
};

/** Runs one compiler on one project with --extendedDiagnostics; returns the figures it reports. */
function measure(command, config) {
  const [program, ...prefix] = command;
  let output;
  try {
    output = execFileSync(program, [...prefix, '--extendedDiagnostics', '-p', config], { encoding: 'utf8', cwd: root });
  } catch (error) {
    throw new Error(`type checking ${config} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
  const figure = (label) => {
    const match = output.match(new RegExp(`^${label}:\\s+([\\d.]+)`, 'm'));
    return match ? Number(match[1]) : Number.NaN;
  };
  return { check: figure('Check time'), total: figure('Total time'), instantiations: figure('Instantiations') };
}

/** The median of `repeats` measurements, taken in turn across projects so that drift hits all alike. */
function medians(command) {
  const runs = Object.fromEntries(Object.keys(projects).map((name) => [name, []]));
  for (let round = 0; round < repeats; round++)
    for (const [name, config] of Object.entries(projects)) runs[name].push(measure(command, config));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      {
        check: median(list.map((run) => run.check)),
        total: median(list.map((run) => run.total)),
        instantiations: median(list.map((run) => run.instantiations)),
      },
    ]),
  );
}

/** Time to re-check an examples file after an edit, through the TypeScript 5.9 language service. */
function languageServiceRecheck() {
  const ts = require('typescript-5');
  const file = join(root, 'examples', 'cnn.ts');
  const original = readFileSync(file, 'utf8');
  const versions = new Map();
  const texts = new Map([[file, original]]);
  const options = ts.convertCompilerOptionsFromJson(base, root).options;
  const host = {
    getScriptFileNames: () => examples.map((path) => join(work, path)),
    getScriptVersion: (path) => String(versions.get(path) ?? 0),
    getScriptSnapshot: (path) => {
      const text = texts.get(path) ?? ts.sys.readFile(path);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: (path) => texts.has(path) || ts.sys.fileExists(path),
    readFile: (path) => texts.get(path) ?? ts.sys.readFile(path),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  service.getSemanticDiagnostics(file); // the first check loads everything: not what an edit costs
  const times = [];
  for (let edit = 0; edit < 9; edit++) {
    texts.set(file, original.replace('Dense(512,', `Dense(${512 + edit + 1},`));
    versions.set(file, edit + 1);
    const start = performance.now();
    const diagnostics = service.getSemanticDiagnostics(file);
    times.push(performance.now() - start);
    if (diagnostics.length > 0) throw new Error(ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n'));
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const results = Object.fromEntries(Object.entries(compilers).map(([name, command]) => [name, medians(command)]));
const recheck = languageServiceRecheck();

const seconds = (value) => `${value.toFixed(2)} s`;
const lines = [
  '<!-- types:start (written by `npm run bench:types`; do not edit by hand) -->',
  '## Type checking',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version};`,
  `each figure is the median of ${repeats} runs of \`tsc --extendedDiagnostics\`, the projects taken in turn.`,
  '',
];
for (const [compiler, figures] of Object.entries(results)) {
  lines.push(
    `### ${compiler}`,
    '',
    '| project | check time | total time | instantiations |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const [name, figure] of Object.entries(figures))
    lines.push(
      `| ${name} | ${seconds(figure.check)} | ${seconds(figure.total)} | ${figure.instantiations.toLocaleString('en-US')} |`,
    );
  const a = figures['kerats examples (a)'];
  const b = figures['plain tfjs-layers (b)'];
  const chain = figures['1,000-layer chain (c)'];
  const branches = figures['300 branches (c)'];
  lines.push(
    '',
    `- (a) / (b) total time: ${(a.total / b.total).toFixed(2)} (goal: at most 1.00); check time: ${(a.check / b.check).toFixed(2)} (goal: at most 2.00).`,
    `- (c) chain: ${seconds(chain.total)} total, ${chain.instantiations.toLocaleString('en-US')} instantiations; branches: ${seconds(branches.total)}, ${branches.instantiations.toLocaleString('en-US')} (goal: under 2 s and 1,000,000 each).`,
    '',
  );
}
lines.push(
  `Re-check of \`examples/cnn.ts\` after an edit, TypeScript ${require('typescript-5/package.json').version} language service: ${recheck.toFixed(1)} ms (median of 9 edits; goal: under 150 ms).`,
  '<!-- types:end -->',
);

const target = join(root, 'docs', 'benchmarks.md');
let document;
try {
  document = readFileSync(target, 'utf8');
} catch {
  document = '# Benchmarks\n\nWritten by the benchmark scripts; each section is replaced whole when its script runs.\n';
}
const section = lines.join('\n');
document = /<!-- types:start[\s\S]*?types:end -->/.test(document)
  ? document.replace(/<!-- types:start[\s\S]*?types:end -->/, section)
  : `${document.trimEnd()}\n\n${section}\n`;
writeFileSync(target, document);
rmSync(work, { recursive: true, force: true });
console.log(section);
