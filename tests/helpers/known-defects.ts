// Defects the graph fuzzer finds on main, tolerated by tests/fuzz.test.ts until their fixes land (issue 8,
// "Keep it found"). Each entry matches a finding by its key (kind / aspect / layer, `*` for any layer), by what
// the finding says, and by the graph holding the layer at fault. When a fix lands, delete its entry: the test
// then fails on any graph that shows the defect again.
import { type Finding, findingKey } from './fuzz.ts';
import type { Graph } from './graphs.ts';

export interface KnownDefect {
  /** The issue-8 item it belongs to (the branch fixing it, where there is one). */
  readonly item: string;
  /** The defect, in a few words (one defect may have several entries: one per way it shows). */
  readonly name: string;
  readonly key: string;
  readonly detail: RegExp;
  /** The graphs it can occur in. */
  readonly graph: (graph: Graph) => boolean;
}

// Every defect the fuzzer found is fixed (issue 8); a new one goes here, with the item that will fix it, only while
// its fix is on its way.
export const knownDefects: readonly KnownDefect[] = [];

const matches = (pattern: string, key: string): boolean =>
  pattern.endsWith(' / *') ? key.startsWith(pattern.slice(0, -1)) : pattern === key;

/** The known defect a finding of this graph is, if any. */
export function knownDefect(finding: Finding, graph: Graph): KnownDefect | undefined {
  const key = findingKey(finding);
  return knownDefects.find(
    (defect) => matches(defect.key, key) && defect.detail.test(finding.detail) && defect.graph(graph),
  );
}
