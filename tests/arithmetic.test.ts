// The type-level arithmetic against BigInt, over generated operands from 0 to 2^53 - 1: every result exact, or
// Overflow exactly when the true result exceeds 2^53 - 1.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, root, virtualHost } from './helpers/compiler.ts';

const max = 2n ** 53n - 1n;
const seed = Number(process.env.KERATS_SEED ?? 20261129);
// Operands of every length, from one digit to sixteen.
const operand = fc
  .integer({ min: 0, max: 15 })
  .chain((digits) =>
    fc.bigInt({ min: 0n, max: 10n ** BigInt(digits + 1) - 1n }).map((value) => (value > max ? max : value)),
  );
const positive = operand.map((value) => (value === 0n ? 1n : value));

type Operation = {
  readonly type: string;
  readonly expected: (a: bigint, b: bigint) => bigint | 'never' | 'lt' | 'eq' | 'gt';
};

const operations: readonly Operation[] = [
  { type: 'Add', expected: (a, b) => a + b },
  { type: 'Sub', expected: (a, b) => (b > a ? 'never' : a - b) },
  { type: 'Mul', expected: (a, b) => a * b },
  { type: 'FloorDiv', expected: (a, b) => a / b },
  { type: 'CeilDiv', expected: (a, b) => (a + b - 1n) / b },
  { type: 'Mod', expected: (a, b) => a % b },
  { type: 'Compare', expected: (a, b) => (a < b ? 'lt' : a > b ? 'gt' : 'eq') },
];

const show = (result: bigint | string): string =>
  typeof result === 'bigint' ? (result > max ? 'Overflow' : `${result}`) : result === 'never' ? 'never' : `'${result}'`;

describe('type-level arithmetic', () => {
  const pairs = fc.sample(fc.tuple(operand, positive), {
    numRuns: Number(process.env.KERATS_ARITHMETIC_RUNS ?? 150),
    seed,
  });
  const file = join(root, 'tests', '__generated_arithmetic.ts');
  const lines = [
    "import type { Add, CeilDiv, Compare, FloorDiv, Mod, Mul, Overflow, Sub } from '../src/shapes/arithmetic.ts';",
    'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
    ...pairs.flatMap(([a, b], index) =>
      operations.map(
        ({ type, expected }) =>
          `export const c${index}_${type}: Equals<${type}<${a}, ${b}>, ${show(expected(a, b))}> = true;`,
      ),
    ),
  ];

  it(`${lines.length - 2} operations agree with BigInt`, () => {
    const { diagnostics } = check([file], virtualHost(new Map([[file, lines.join('\n')]])));
    expect(diagnostics.map((diagnostic) => `${lines[diagnostic.line - 1]}\n  ${diagnostic.text}`)).toEqual([]);
    expect(lines.some((line) => line.includes('Overflow> = true'))).toBe(true);
  });
});
