// The valid-program corpus (type-tests/programs.test-d.ts) runs: each program builds at run time, with no error, and its
// outputs have the shapes Keras gives. Imported statically, so that `tsc` over tests/ type-checks every program
// with TypeScript 7 and 5.9, where any error (a false one) fails the build.
import { describe, expect, it } from 'vitest';
import { clearSession } from '../src/index.ts';
import { programs } from '../type-tests/programs.test-d.ts';

describe('valid programs', () => {
  it('are at least 40', () => {
    expect(programs.length).toBeGreaterThanOrEqual(40);
    expect(new Set(programs.map((program) => program.name)).size).toBe(programs.length);
  });

  for (const { name, expected, build } of programs)
    it(name, () => {
      clearSession();
      const model = build();
      expect(model.outputs.map((output) => output.shape)).toEqual(expected);
    });
});
