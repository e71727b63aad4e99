// A user's declaration files can name every type kerats' exports have: the fixture (layers, tensors, models and
// helpers, exported) compiles against the built package with the defaults of `tsc --init`, on TypeScript 7 and
// 5.9. Without the exports, TypeScript stops it with TS2883 ("cannot be named without a reference to ...").
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe("a user's exported layers, tensors and models", () => {
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
