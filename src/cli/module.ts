// Loading a user's model file for the command line: type-check it first (a wiring mistake is the compiler's
// message, not a crash), then import it (TypeScript runs through tsx, so no build step), then find its models.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import * as module from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fail } from '../errors.ts';
import { KerasModel } from '../model.ts';

export interface ModelModule {
  /** The path as the user wrote it, for messages. */
  readonly path: string;
  readonly exports: { readonly [name: string]: unknown };
}

/** At most this many compiler messages are shown; the count says how many there were. */
const shownDiagnostics = 10;

function nearestTsconfig(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** The options used where the file has no tsconfig.json of its own: strict, modern ESM, .ts imports allowed. */
const defaultOptions = {
  strict: true,
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  allowImportingTsExtensions: true,
  skipLibCheck: true,
};

function runCompiler(config: string): Promise<{ code: number | null; output: string }> {
  const require = module.createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', failed);
    child.on('close', (code) => done({ code, output }));
  });
}

/**
 * The compiler's messages, one per error (an error's continuation lines kept with it), paths made relative to
 * the working directory as a user would type them.
 */
function diagnostics(output: string, from: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const previous = found.length - 1;
    if (/^\s/.test(line) && previous >= 0) found[previous] += `\n${line}`;
    else
      found.push(line.replace(/^(\S[^(]*)\(/, (_, path: string) => `${relative(process.cwd(), resolve(from, path))}(`));
  }
  return found;
}

/**
 * Type-checks `file` with its project's tsconfig.json (the nearest one above it), or strict defaults. The check
 * runs on a one-file configuration written beside that tsconfig (so its relative paths and types resolve as
 * they do for the project) and removed after.
 */
export async function typeCheck(file: string, layer: string): Promise<void> {
  const absolute = resolve(file);
  const base = nearestTsconfig(dirname(absolute));
  const directory = base === undefined ? dirname(absolute) : dirname(base);
  const config = join(directory, `.kerats-check-${randomBytes(4).toString('hex')}.tsconfig.json`);
  const options = { noEmit: true, ...(base === undefined ? defaultOptions : {}) };
  // Ctrl-C during the check must not leave the configuration in the user's project: the handlers come first,
  // as the file exists on disk before writeFile's promise settles.
  const interrupted = (signal: NodeJS.Signals) => {
    rmSync(config, { force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let result: { code: number | null; output: string };
  try {
    await writeFile(
      config,
      JSON.stringify({
        ...(base === undefined ? {} : { extends: base }),
        compilerOptions: options,
        files: [absolute],
        include: [],
      }),
    );
    result = await runCompiler(config);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await rm(config, { force: true });
  }
  if (result.code === 0) return;
  const found = diagnostics(result.output, process.cwd());
  const shown = found.slice(0, shownDiagnostics);
  if (found.length > shown.length) shown.push(`... and ${found.length - shown.length} more`);
  fail({ code: 'type-check', layer, path: file, diagnostics: shown.length > 0 ? shown : [result.output.trim()] });
}

let registered = false;

/** Imports the file (TypeScript or JavaScript) after checking that it exists and, unless told not to, type-checks. */
export async function loadModule(
  file: string,
  options: { readonly layer: string; readonly check: boolean },
): Promise<ModelModule> {
  const { layer } = options;
  const found = await stat(file).catch(() => undefined);
  if (found === undefined) fail({ code: 'module-load', layer, path: file, message: 'no such file' });
  if (!found.isFile()) fail({ code: 'module-load', layer, path: file, message: 'not a file' });
  if (options.check && /\.[cm]?tsx?$/.test(file)) await typeCheck(file, layer);
  if (!registered) {
    const { register } = await import('tsx/esm/api');
    register();
    // Registered after tsx, so it runs first: 'kerats' is this kerats, whatever tsx's tsconfig paths say.
    module.register(new URL('./hooks.js', import.meta.url), {
      data: { keratsUrl: new URL('../index.js', import.meta.url).href },
    });
    registered = true;
  }
  try {
    const exports: { readonly [name: string]: unknown } = await import(pathToFileURL(resolve(file)).href);
    return { path: file, exports };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail({ code: 'module-load', layer, path: file, message: message.split('\n')[0] ?? message });
  }
}

/** The models the module exports, by export name (in the namespace's order: alphabetical); at least one. */
export function modelsOf(module: ModelModule, layer: string): [string, KerasModel][] {
  const models = Object.entries(module.exports).flatMap(([name, value]): [string, KerasModel][] =>
    value instanceof KerasModel ? [[name, value]] : [],
  );
  if (models.length > 0) return models;
  // A model made by a second copy of kerats (a file importing '../src/index.ts', say) fails instanceof. Models
  // are functions (callable like layers), and older copies' were plain objects.
  const foreign = Object.entries(module.exports).flatMap(([exported, value]) =>
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    value.constructor.name === KerasModel.name
      ? [exported]
      : [],
  );
  return fail({ code: 'no-model', layer, path: module.path, exports: Object.keys(module.exports), foreign });
}

/** The one model a command works on: the only one, or the one named with --model. */
export function pickModel(module: ModelModule, layer: string, name: string | undefined): [string, KerasModel] {
  const models = modelsOf(module, layer);
  const names = models.map(([exported]) => exported);
  if (name !== undefined)
    return (
      models.find(([exported]) => exported === name) ??
      fail({ code: 'which-model', layer, path: module.path, models: names, received: name })
    );
  const [only] = models;
  if (models.length > 1 || only === undefined)
    fail({ code: 'which-model', layer, path: module.path, models: names, received: undefined });
  return only;
}
