// The helpers generic over their input (type-tests/generic.test-d.ts) at run time: each program builds, with the
// shapes Keras gives, and a wiring mistake inside a block throws the rule's sentence when the model is built.
// Imported statically, so that `tsc` over tests/ type-checks the helpers with TypeScript 7 and 5.9.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearSession, KeratsError } from '../src/index.ts';
import { genericPrograms, identityMistake, wrongIdentity } from '../type-tests/generic.test-d.ts';
import { check, root, virtualHost } from './helpers/compiler.ts';

describe('helpers generic over their input', () => {
  for (const { name, expected, build } of genericPrograms)
    it(name, () => {
      clearSession();
      const model = build();
      expect(model.outputs.map((output) => output.shape)).toEqual(expected);
    });

  it("a block's wiring mistake throws the rule's sentence, the one its type carries", () => {
    clearSession();
    expect(wrongIdentity).toThrow(KeratsError);
    expect(wrongIdentity).toThrow(identityMistake);
  });
});

describe('docs/helpers.md', () => {
  const page = readFileSync(join(root, 'docs', 'helpers.md'), 'utf8');
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const compiled = (transform: (block: string) => string) => {
    const files = new Map(blocks.map((block, index) => [join(root, `__helpers_${index}.ts`), transform(block)]));
    return check([...files.keys()], virtualHost(files)).diagnostics.map((diagnostic) => diagnostic.text);
  };

  it('each code block compiles against the public API (its @ts-expect-error lines included)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(compiled((block) => block)).toEqual([]);
  });

  it('without its @ts-expect-error line, the one error is the sentence the page shows', () => {
    const errors = compiled((block) => block.replace(/^\/\/ @ts-expect-error.*\n/m, ''));
    expect(errors).toHaveLength(1);
    const shown = /```\n(Add: .*)\n```/.exec(page)?.[1];
    expect(shown).toBe(identityMistake);
    expect(errors[0]).toContain(identityMistake);
  });
});
