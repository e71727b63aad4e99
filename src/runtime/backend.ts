// Choosing where tensors live. kerats runs on one TensorFlow.js engine; each backend registers on it:
// 'gpu' (tfjs-node-gpu, CUDA), 'native' (tfjs-node, libtensorflow on CPU), 'wasm' (the embedded default, from
// npm alone) and 'cpu' (plain JavaScript). 'auto' takes the first that loads, in that order.
import * as tf from '@tensorflow/tfjs';
import { registerGradientKernels } from './kernels.ts';

export type BackendName = 'gpu' | 'native' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export const backendNames: readonly BackendName[] = ['gpu', 'native', 'wasm', 'cpu'];

/** Why a backend could not be loaded here, and what to do about it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    readonly remedy: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}. ${remedy}`);
  }
}

const remedies: Record<BackendName, string> = {
  gpu: 'Install @tensorflow/tfjs-node-gpu@4.22.0 on a machine with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1 (its install downloads libtensorflow, so it needs internet access); see docs/gpu.md',
  native:
    'Install @tensorflow/tfjs-node@4.22.0 (its install downloads libtensorflow, so it needs internet access), or use the wasm backend',
  wasm: 'Reinstall with npm ci: @tensorflow/tfjs-backend-wasm ships its .wasm files in the npm package',
  cpu: 'The cpu backend is part of @tensorflow/tfjs; reinstall with npm ci',
};

/** tfjs's own name for each kerats backend. */
const engineNames: Record<BackendName, string> = { gpu: 'tensorflow', native: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let current: BackendName | undefined;

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The optional packages, imported by a name the compiler does not resolve: they may not be installed. */
const nativePackages: Record<'gpu' | 'native', string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  native: '@tensorflow/tfjs-node',
};

/** Imports the package that registers a backend. Native packages bind libtensorflow when imported. */
async function load(backend: BackendName): Promise<void> {
  switch (backend) {
    case 'gpu':
    case 'native':
      await import(nativePackages[backend]);
      return;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      return;
    case 'cpu':
      return;
  }
}

/**
 * Runs `start` and then removes the process-wide error handlers it installed. tfjs-backend-wasm's Emscripten
 * glue adds handlers that rethrow from inside the handler, so a user's later uncaught error was printed after
 * 39 KB of minified source and exited with code 7 instead of 1; without them, the user's error and stack reach
 * the user as Node prints them.
 */
async function withoutInstalledHandlers<T>(start: () => Promise<T>): Promise<T> {
  const uncaught = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException'))
      if (!uncaught.has(listener)) process.removeListener('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection'))
      if (!rejections.has(listener)) process.removeListener('unhandledRejection', listener);
  }
}

/** Loads and activates one backend; throws BackendUnavailableError with what to do. */
async function activate(backend: BackendName): Promise<void> {
  await withoutInstalledHandlers(() => start(backend));
  registerGradientKernels(engineNames[backend]);
  current = backend;
}

async function start(backend: BackendName): Promise<void> {
  try {
    await load(backend);
  } catch (error) {
    throw new BackendUnavailableError(backend, `its package did not load (${describeError(error)})`, remedies[backend]);
  }
  let ok = false;
  try {
    ok = await tf.setBackend(engineNames[backend]);
    await tf.ready();
  } catch (error) {
    throw new BackendUnavailableError(backend, `it did not start (${describeError(error)})`, remedies[backend]);
  }
  if (!ok) throw new BackendUnavailableError(backend, 'TensorFlow.js could not initialise it', remedies[backend]);
  if (backend === 'gpu' && !(await hasCuda()))
    throw new BackendUnavailableError(backend, 'libtensorflow sees no CUDA device', remedies.gpu);
}

/** Whether the native engine found a GPU (tfjs-node-gpu falls back to the CPU silently otherwise). */
async function hasCuda(): Promise<boolean> {
  return Reflect.get(tf.backend(), 'isUsingGpuDevice') === true;
}

/** Reads the choice from the environment: KERATS_BACKEND, default 'auto'. */
export function backendFromEnvironment(): BackendChoice {
  // Set but empty counts as unset, as shells make it easy to write KERATS_BACKEND= .
  const value = process.env.KERATS_BACKEND || 'auto';
  if (value === 'auto' || backendNames.some((name) => name === value)) return parseBackend(value);
  throw new Error(`KERATS_BACKEND must be one of auto, ${backendNames.join(', ')}; got '${value}'`);
}

/** Parses a backend name from a flag or variable. */
export function parseBackend(value: string): BackendChoice {
  if (value === 'auto') return 'auto';
  const found = backendNames.find((name) => name === value);
  if (found === undefined) throw new Error(`backend must be one of auto, ${backendNames.join(', ')}; got '${value}'`);
  return found;
}

/**
 * Activates a backend and returns its name. 'auto' tries gpu, native, wasm, cpu in turn; `onSkip` hears why
 * each one before the chosen one was skipped. An explicit request for a missing backend throws, saying what to do.
 */
export async function useBackend(
  choice: BackendChoice = backendFromEnvironment(),
  onSkip?: (error: BackendUnavailableError) => void,
): Promise<BackendName> {
  if (choice !== 'auto') {
    if (current !== choice) await activate(choice);
    return choice;
  }
  if (current !== undefined) return current;
  for (const backend of backendNames) {
    try {
      await activate(backend);
      return backend;
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      onSkip?.(error);
    }
  }
  throw new Error('no TensorFlow.js backend could be loaded');
}

/** The backend in use, activating the default one first if none is. */
export async function currentBackend(): Promise<BackendName> {
  return current ?? useBackend();
}

/** Which backends load here, and why the others do not. Loading leaves the current backend as it was. */
export async function probeBackends(): Promise<{ backend: BackendName; available: boolean; detail: string }[]> {
  const before = current;
  const results = [];
  for (const backend of backendNames) {
    try {
      await activate(backend);
      results.push({ backend, available: true, detail: `loads (TensorFlow.js backend '${tf.getBackend()}')` });
    } catch (error) {
      results.push({ backend, available: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  if (before !== undefined) await activate(before);
  else current = undefined;
  return results;
}
