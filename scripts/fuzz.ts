// npm run fuzz -- --count N --seed S --execute-fraction F: the graph-level differential fuzzer
// (tests/helpers/fuzz.ts, described in docs/reliability.md). Prints the graphs per class, the findings per
// key, and the first examples of each failing class with their source; exits 1 on any unnamed error, silent
// corruption or disagreement (known defects included: this is the whole truth, the test is the ratchet).
import { parseArgs } from 'node:util';
import { useBackend } from '../src/index.ts';
import { failingClasses, findingKey, fuzz, type GraphResult, tally } from '../tests/helpers/fuzz.ts';
import { knownDefect } from '../tests/helpers/known-defects.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20261202' },
    'execute-fraction': { type: 'string', default: '0.25' },
    examples: { type: 'string', default: '3' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const executeFraction = Number(values['execute-fraction']);
const examples = Number(values.examples);
if (
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(seed) ||
  !(executeFraction >= 0 && executeFraction <= 1)
) {
  console.error('usage: npm run fuzz -- [--count N] [--seed S] [--execute-fraction F] [--examples K]');
  process.exit(2);
}

await useBackend('wasm');
const started = Date.now();
const results = await fuzz({
  count,
  seed,
  executeFraction,
  onProgress: (done) => {
    if (done % 250 === 0) console.error(`${done}/${count} graphs, ${Math.round((Date.now() - started) / 1000)} s`);
  },
});
const seconds = (Date.now() - started) / 1000;

const executed = results.filter((result) => result.executed);
console.log(
  `kerats graph fuzzer: ${count} graphs from seed ${seed}, execute fraction ${executeFraction}, ${seconds.toFixed(0)} s`,
);
console.log('');
console.log('| class | graphs |');
console.log('|---|---:|');
for (const [name, graphs] of tally(results)) console.log(`| ${name} | ${graphs} |`);
console.log(`| executed (of the accepted and agreed) | ${executed.length} |`);
console.log(
  `| executed and behaving as declared | ${executed.filter((result) => result.class === 'behaves as declared').length} |`,
);
console.log('');
const agreements = new Map<string, number>();
for (const result of results)
  if (result.agreement !== '') agreements.set(result.agreement, (agreements.get(result.agreement) ?? 0) + 1);
console.log('| kerats and tfjs-layers at build | graphs |');
console.log('|---|---:|');
for (const [agreement, graphs] of [...agreements].sort((a, b) => b[1] - a[1]))
  console.log(`| ${agreement} | ${graphs} |`);
console.log('');

// Findings by key and by the known defect each is (a graph counts once per row).
const rows = new Map<string, Set<number>>();
for (const result of results)
  for (const finding of result.findings) {
    const known = knownDefect(finding, result.graph);
    const row = `| ${findingKey(finding)} | ${known === undefined ? 'no' : `${known.item}: ${known.name}`} |`;
    rows.set(row, (rows.get(row) ?? new Set()).add(result.graph.seed));
  }
if (rows.size > 0) {
  console.log('| finding (kind / aspect / layer) | known defect (issue-8 item) | graphs |');
  console.log('|---|---|---:|');
  for (const [row, graphs] of [...rows].sort((a, b) => b[1].size - a[1].size)) console.log(`${row} ${graphs.size} |`);
  console.log('');
}

const show = (result: GraphResult): string =>
  [
    `graph ${result.graph.seed}:`,
    ...(result.refusal === undefined ? [] : [`  ${result.refusal}`]),
    ...result.findings.map((finding) => `  ${findingKey(finding)}: ${finding.detail}`),
    '```ts',
    result.source,
    '```',
  ].join('\n');
const unfit = results.filter((result) => result.class.startsWith('refused when run'));
if (unfit.length > 0) {
  console.log(`## refused when run: ${unfit.length} graphs; the first ${Math.min(examples, unfit.length)}`);
  console.log('');
  for (const result of unfit.slice(0, examples)) console.log(`${show(result)}\n`);
}
for (const kind of failingClasses) {
  const failing = results.filter((result) => result.class === kind);
  if (failing.length === 0) continue;
  console.log(`## ${kind}: ${failing.length} graphs; the first ${Math.min(examples, failing.length)}`);
  console.log('');
  for (const result of failing.slice(0, examples)) console.log(`${show(result)}\n`);
}

// The findings no known defect covers: what tests/fuzz.test.ts would fail on, first examples per key.
const unknown = new Map<string, GraphResult[]>();
for (const result of results)
  for (const finding of result.findings)
    if (knownDefect(finding, result.graph) === undefined) {
      const key = findingKey(finding);
      const list = unknown.get(key) ?? [];
      if (!list.includes(result)) unknown.set(key, [...list, result]);
    }
if (unknown.size > 0) {
  console.log('## Findings no known defect covers (tests/helpers/known-defects.ts)');
  console.log('');
  for (const [key, list] of unknown) {
    console.log(`### ${key}: ${list.length} graphs; the first ${Math.min(examples, list.length)}`);
    console.log('');
    for (const result of list.slice(0, examples)) console.log(`${show(result)}\n`);
  }
}

const failures = results.filter((result) => failingClasses.some((kind) => kind === result.class));
process.exitCode = failures.length > 0 ? 1 : 0;
