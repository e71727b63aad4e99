// Vitest global setup: builds dist/ once, before any test file runs, for the tests that run compiled JavaScript
// in other processes (the CLI, worker threads, the kill -9 save loop). One build, so no test reads a file while
// another test's build rewrites it.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
}
