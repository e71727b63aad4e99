// A user's own errors reach the user: their message and stack, exit code 1, nothing of kerats' dependencies.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers/compiler.ts';

const fixture = join(root, 'tests', 'fixtures', 'throw-after-wasm.mjs');

describe('after the wasm backend has started', () => {
  it('an uncaught error prints its own message and stack and exits with code 1', () => {
    const result = spawnSync(process.execPath, [fixture, 'throw'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: my own mistake');
    expect(result.stderr).toMatch(/at userCode \(.*throw-after-wasm\.mjs:\d+:\d+\)/);
    // Emscripten's handler printed the minified line of tfjs-backend-wasm it rethrew from (about 39 KB).
    expect(result.stderr).not.toContain('tf-backend-wasm');
    expect(result.stderr.length).toBeLessThan(2000);
  });

  it('an unhandled rejection does the same', () => {
    const result = spawnSync(process.execPath, [fixture, 'reject'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: my rejected promise');
    expect(result.stderr).not.toContain('tf-backend-wasm');
    expect(result.stderr.length).toBeLessThan(2000);
  });
});
