// A user's declaration files can name every type kerats' exports have: the fixture (layers, tensors, models and
// helpers, exported) compiles against the built package with the defaults of `tsc --init`, on TypeScript 7 and
// 5.9. Without the exports, TypeScript stops it with TS2883 ("cannot be named without a reference to ...").
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './helpers/compiler.ts';

const project = mkdtempSync(join(tmpdir(), 'kerats-user-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function compile(compiler: readonly string[]): string {
  const result = spawnSync(process.execPath, [...compiler, '-p', project], { cwd: project, encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.trim() || `exit ${result.status}`;
}

/** The types declared `export` in a file (its public vocabulary, whether or not index.ts re-exports it). */
function exportedTypes(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^export (?:interface|type) ([A-Za-z0-9_]+)/gm)].map(
    (match) => match[1] ?? '',
  );
}

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'internal'
        ? []
        : sources(join(directory, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(directory, entry.name)]
        : [],
  );
}

describe("a user's exported layers, tensors and models", () => {
  it('every type src/dsl, src/shapes and the error messages export is exported from the package entry', () => {
    const entry = readFileSync(join(root, 'src', 'index.ts'), 'utf8');
    const files = [
      ...sources(join(root, 'src', 'dsl')),
      ...sources(join(root, 'src', 'shapes')),
      join(root, 'src', 'errors.ts'),
    ];
    const missing = files.flatMap((file) =>
      exportedTypes(file)
        .filter((name) => !new RegExp(`\\b${name}\\b`).test(entry))
        .map((name) => `${name} (${file.slice(root.length + 1)})`),
    );
    expect(missing).toEqual([]);
  });

  it('compile with declaration files on, under the defaults of tsc --init, on TypeScript 7 and 5.9', () => {
    expect(existsSync(join(root, 'dist', 'src', 'index.d.ts')), 'run npm run build first').toBe(true);
    const tsc7 = [join(root, 'node_modules', 'typescript', 'bin', 'tsc')];
    expect(compile([...tsc7, '--init'])).toContain('tsconfig.json');
    writeFileSync(join(project, 'package.json'), '{ "name": "user", "type": "module" }\n');
    mkdirSync(join(project, 'node_modules', '@tensorflow'), { recursive: true });
    symlinkSync(root, join(project, 'node_modules', 'kerats'), 'dir');
    symlinkSync(
      join(root, 'node_modules', '@tensorflow', 'tfjs'),
      join(project, 'node_modules', '@tensorflow', 'tfjs'),
      'dir',
    );
    copyFileSync(join(root, 'tests', 'fixtures', 'user-project', 'exports.ts'), join(project, 'exports.ts'));
    expect(compile(tsc7)).toBe('exit 0');
    expect(compile([join(root, 'scripts', 'tsc5.mjs')])).toBe('exit 0');
  });
});
