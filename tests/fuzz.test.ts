// A bounded slice of the graph-level differential fuzzer (npm run fuzz runs more; docs/reliability.md): a few hundred
// generated models, each built with kerats, with plain tfjs-layers and through the compiler, a sample of them run
// (predict, save -> loadModel -> predict, one epoch of fit). Every finding must be a known defect
// (tests/helpers/known-defects.ts); a known defect the slice no longer meets is printed, as a hint to delete it.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/index.ts';
import { findingKey, fuzz, type GraphResult, tally } from './helpers/fuzz.ts';
import { knownDefect, knownDefects } from './helpers/known-defects.ts';

const seed = Number(process.env.KERATS_FUZZ_SEED ?? 20261202);
const count = Number(process.env.KERATS_FUZZ_COUNT ?? 300);
const executeFraction = Number(process.env.KERATS_FUZZ_EXECUTE ?? 0.12);

describe(`graph fuzzer: ${count} generated models from seed ${seed}`, () => {
  let results: readonly GraphResult[] = [];
  beforeAll(async () => {
    await useBackend('wasm');
    results = await fuzz({ count, seed, executeFraction });
  }, 120_000);

  it('finds no defect outside the known list', () => {
    const unknown = results.flatMap((result) =>
      result.findings
        .filter((finding) => knownDefect(finding, result.graph) === undefined)
        .map((finding) => `${findingKey(finding)}: ${finding.detail}\n${result.source}`),
    );
    expect(unknown.slice(0, 3), `${unknown.length} findings outside tests/helpers/known-defects.ts`).toEqual([]);
    const met = new Set(
      results.flatMap((result) => result.findings.map((finding) => knownDefect(finding, result.graph))),
    );
    for (const defect of knownDefects)
      if (!met.has(defect))
        console.info(`known defect not met by this slice (fixed?): ${defect.item}: ${defect.key} ${defect.detail}`);
  });

  it('exercises acceptance, refusal and execution', () => {
    const counts = tally(results);
    expect(counts.get('behaves as declared')).toBeGreaterThan(count / 50);
    expect(counts.get('accepted, agreed (not executed)')).toBeGreaterThan(count / 4);
    expect(counts.get('refused at build with a kerats sentence')).toBeGreaterThan(count / 20);
    const graphs = results.map((result) => result.graph);
    expect(graphs.some((graph) => new Set(graph.steps.map((step) => step.layer)).size < graph.steps.length)).toBe(true);
    expect(graphs.some((graph) => graph.steps.some((step) => step.inputs.length > 1))).toBe(true);
    expect(graphs.some((graph) => graph.inputs.some((input) => input.shape.includes(null)))).toBe(true);
  });
});
