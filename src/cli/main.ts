#!/usr/bin/env node
// The `kerats` command: summary, plot, train and backends. Failures are one line on stderr (the compiler's
// messages, for a file that does not type-check) and a non-zero exit: 2 for a usage mistake, 1 otherwise.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { KeratsError } from '../errors.ts';
import { type CommandSpec, helpText, type Parsed, parse } from './args.ts';
import { backends, backendsCommand } from './backends.ts';
import { plot, plotCommand } from './plot.ts';
import { summary, summaryCommand } from './summary.ts';
import { train, trainCommand } from './train.ts';

type Run = (parsed: Parsed, print: (line: string) => void) => Promise<void>;

const commands: readonly (readonly [CommandSpec, Run])[] = [
  [summaryCommand, summary],
  [plotCommand, plot],
  [trainCommand, train],
  [backendsCommand, backends],
];

function mainHelp(): string {
  const width = Math.max(...commands.map(([spec]) => `${spec.name} ${spec.operand}`.length)) + 2;
  return [
    'Usage: kerats <command> [options]',
    '',
    'Keras-style functional models in TypeScript: look at them, draw them, train them.',
    '',
    'Commands:',
    ...commands.map(([spec]) => `  ${`${spec.name} ${spec.operand}`.padEnd(width)}${spec.summary.split('. ')[0]}`),
    '',
    "Run 'kerats <command> --help' for a command's options. Also: kerats --version.",
  ].join('\n');
}

function version(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : '';
}

async function main(argv: readonly string[]): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    print(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    print(version());
    return 0;
  }
  const found = commands.find(([spec]) => spec.name === name);
  if (found === undefined) {
    process.stderr.write(
      `kerats: unknown command '${name}' (commands: ${commands.map(([spec]) => spec.name).join(', ')}; see 'kerats --help')\n`,
    );
    return 2;
  }
  const [spec, run] = found;
  try {
    const parsed = parse(spec, rest);
    if (parsed.help) {
      print(helpText(spec));
      return 0;
    }
    await run(parsed, print);
    return 0;
  } catch (error) {
    if (process.env.KERATS_DEBUG === '1') console.error(error);
    const message = error instanceof Error ? error.message : String(error);
    // The CLI's own errors already start with 'kerats <command>:'; the library's name their operation ('fit: ...').
    const own = error instanceof KeratsError && error.data.layer.startsWith('kerats ');
    process.stderr.write(`${own ? '' : `kerats ${spec.name}: `}${message}\n`);
    // A file name with the wrong extension can only come from an option here: a usage mistake too.
    return error instanceof KeratsError && (error.data.code === 'usage' || error.data.code === 'file-format') ? 2 : 1;
  }
}

// `kerats summary x.ts | head`: once the reader has gone, stop quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// tfjs greets Node users with advice to install tfjs-node; `kerats backends` says that, in its place.
tf.env().set('PROD', true);
process.exitCode = await main(process.argv.slice(2));
