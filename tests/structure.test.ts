// Dependencies flow one way: src/shapes (type-level algebra) -> src/dsl (describing models) -> src/runtime
// (training, saving, backends). The public KerasModel (src/model.ts) is the one place that joins the two.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/compiler.ts';

const src = join(root, 'src');

function files(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(directory, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(directory, entry.name)]
        : [],
  );
}

/** The files under src/ that a file imports (relative imports, static or dynamic, type-only included). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => relative(src, resolve(dirname(file), specifier)));
}

function violations(layer: string, forbidden: readonly string[]): string[] {
  return files(join(src, layer)).flatMap((file) =>
    imports(file)
      .filter((target) => forbidden.some((prefix) => target === prefix || target.startsWith(`${prefix}/`)))
      .map((target) => `${relative(src, file)} imports ${target}`),
  );
}

describe('one-way structure', () => {
  it('src/dsl imports nothing from src/runtime, nor the public model that joins them', () => {
    expect(violations('dsl', ['runtime', 'model.ts', 'cli', 'plot'])).toEqual([]);
  });

  it('src/shapes imports nothing from src/dsl or src/runtime', () => {
    expect(violations('shapes', ['dsl', 'runtime', 'model.ts', 'cli', 'plot'])).toEqual([]);
  });

  it('src/runtime does not import the public model (it works on the description)', () => {
    expect(violations('runtime', ['model.ts', 'cli'])).toEqual([]);
  });

  it('the check sees imports (it found the old dsl -> runtime ones)', () => {
    expect(imports(join(src, 'model.ts'))).toContain(join('runtime', 'training.ts'));
  });
});

describe('typed end to end', () => {
  // Reflect.apply's fallback overload returns `any`, so a registry calling factories through it is untyped.
  // `as any` in code, not in a comment ("as any other layer"); the directives are comments.
  const escapes = [/Reflect\.apply\(/, /^\s*[^/*\s].*\bas any\b/, /@ts-ignore/, /@ts-nocheck/];

  it('src/ has no Reflect.apply, `as any`, @ts-ignore or @ts-nocheck', () => {
    const found = files(src).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          escapes.some((pattern) => pattern.test(line)) ? [`${relative(src, file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('the check sees an escape when there is one', () => {
    for (const line of ['Reflect.apply(Dense, undefined, [units])', '  const x = y as any;', '// @ts-ignore'])
      expect(escapes.some((pattern) => pattern.test(line))).toBe(true);
    expect(escapes.some((pattern) => pattern.test('// treated as any other layer'))).toBe(false);
  });
});
