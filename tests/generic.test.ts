// The helpers generic over their input (type-tests/generic.test-d.ts) at run time: each program builds, with the
// shapes Keras gives, and a wiring mistake inside a block throws the rule's sentence when the model is built.
// Imported statically, so that `tsc` over tests/ type-checks the helpers with TypeScript 7 and 5.9.
import { describe, expect, it } from 'vitest';
import { clearSession, KeratsError } from '../src/index.ts';
import { genericPrograms, identityMistake, wrongIdentity } from '../type-tests/generic.test-d.ts';

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
