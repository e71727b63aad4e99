// The must-not-compile corpus (type-tests/must-not-compile.test-d.ts): tsd proves each case fails to compile;
// this test checks what the compiler says, and that running the same code throws the same sentence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeratsError } from '../src/index.ts';
import { cases } from '../type-tests/corpus.ts';
import { check, root, ts } from './helpers/compiler.ts';

const corpus = join(root, 'type-tests', 'must-not-compile.test-d.ts');
// Registers the cases. Imported by path, so that `tsc` over tests/ does not type-check the corpus (which must fail).
await import(corpus);
const { program, diagnostics } = check([corpus]);
const source = program.getSourceFile(corpus);

interface Span {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

function spans(file: ts.SourceFile): Span[] {
  const found: Span[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'mustNotCompile') {
      const [message, body] = node.arguments;
      if (message !== undefined && ts.isStringLiteralLike(message) && body !== undefined)
        found.push({ message: message.text, start: body.getStart(file), end: body.getEnd() });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const registered = source === undefined ? [] : spans(source);
const inCorpus = diagnostics.filter((diagnostic) => diagnostic.file === corpus);

describe('must-not-compile corpus', () => {
  it('has at least 30 distinct mistakes, and nothing else in the file fails', () => {
    expect(new Set(registered.map((span) => span.message)).size).toBeGreaterThanOrEqual(30);
    expect(registered).toHaveLength(cases.length);
    const stray = inCorpus.filter(
      (diagnostic) => !registered.some((span) => diagnostic.start >= span.start && diagnostic.start < span.end),
    );
    expect(stray).toEqual([]);
  });

  for (const [index, span] of registered.entries()) {
    describe(span.message, () => {
      const found = inCorpus.filter((diagnostic) => diagnostic.start >= span.start && diagnostic.start < span.end);

      it('fails to compile with exactly one error, whose text is the message', () => {
        expect(found, 'one diagnostic, at the call that is wrong').toHaveLength(1);
        expect(found[0]?.text).toContain(span.message);
      });

      it('names the layer, and the shapes it is about', () => {
        const layer = span.message.split(':')[0] ?? '';
        expect(layer).toMatch(/^[A-Z][A-Za-z0-9]+$/);
        const shapes = span.message.match(/\[[^\]]*\]/g) ?? [];
        for (const shape of shapes) expect(found[0]?.text).toContain(shape);
      });

      it('throws the same sentence at run time', () => {
        const entry = cases[index];
        expect(entry?.message).toBe(span.message);
        let thrown: unknown;
        try {
          entry?.run();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(KeratsError);
        expect(thrown instanceof Error ? thrown.message : thrown).toBe(entry?.runtimeMessage);
      });
    });
  }
});
