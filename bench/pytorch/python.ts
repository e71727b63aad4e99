// Finding a Python that imports torch, for the PyTorch twins of the reference models (bench.py here).
import { execFile, execFileSync } from 'node:child_process';

/**
 * KERATS_PYTHON if set, else the first of python3 and /usr/bin/python3 that imports torch (Debian's python3-torch
 * installs for /usr/bin/python3, which a pyenv or venv python3 does not see); undefined when none does.
 */
export function torchPython(): string | undefined {
  const chosen = process.env.KERATS_PYTHON;
  const candidates = chosen ? [chosen] : ['python3', '/usr/bin/python3'];
  return candidates.find((python) => {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs bench.py with `args` and returns its last line of output, parsed (bench.py prints one JSON object). */
export function runPytorch(python: string, script: string, args: readonly string[], timeout: number): Promise<unknown> {
  return new Promise((resolve) => {
    execFile(python, [script, ...args], { timeout, maxBuffer: 1 << 20 }, (error, stdout) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
      } catch {
        resolve({
          error: error?.killed
            ? `did not finish in ${timeout / 1000} s`
            : (error?.message.split('\n')[0] ?? 'no result'),
        });
      }
    });
  });
}
