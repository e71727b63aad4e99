// Command-line parsing with node:util's parseArgs, and the help text of each command, from one description.
import { parseArgs } from 'node:util';
import { fail } from '../errors.ts';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Shown in the help, e.g. `<file.svg|file.png>`. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** `<file>` or empty. */
  readonly operand: string;
  readonly summary: string;
  /** Paragraphs after the usage line. */
  readonly description: string;
  readonly options: { readonly [name: string]: OptionSpec };
  readonly examples: readonly string[];
}

export interface Parsed {
  readonly operand: string | undefined;
  readonly values: { readonly [name: string]: string | boolean | undefined };
  readonly help: boolean;
}

const helpOption: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

export function helpText(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: helpOption });
  const flags = options.map(
    ([name, option]) =>
      `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}${option.value === undefined ? '' : ` ${option.value}`}`,
  );
  const width = Math.max(...flags.map((flag) => flag.length)) + 2;
  return [
    `Usage: kerats ${spec.name}${spec.operand === '' ? '' : ` ${spec.operand}`} [options]`,
    '',
    spec.summary,
    ...(spec.description === '' ? [] : ['', spec.description]),
    '',
    'Options:',
    ...options.map(([, option], index) => `  ${(flags[index] ?? '').padEnd(width)}${option.help}`),
    ...(spec.examples.length === 0 ? [] : ['', 'Examples:', ...spec.examples.map((example) => `  ${example}`)]),
  ].join('\n');
}

/** Parses a command's arguments; a mistake is a usage error naming the command and pointing to its help. */
export function parse(spec: CommandSpec, args: readonly string[]): Parsed {
  const layer = `kerats ${spec.name}`;
  const usage = (problem: string): never =>
    fail({ code: 'usage', layer, problem: `${problem} (see 'kerats ${spec.name} --help')` });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries({ ...spec.options, help: helpOption }).map(([name, option]) => [
          name,
          option.short === undefined ? { type: option.type } : { type: option.type, short: option.short },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages carry a second sentence about '--'; the first says what was wrong.
    const message = error instanceof Error ? error.message : String(error);
    return usage((message.split('. ')[0] ?? message).replace(/\.$/, ''));
  }
  const values: { [name: string]: string | boolean | undefined } = {};
  for (const [name, value] of Object.entries(parsed.values))
    if (typeof value === 'string' || typeof value === 'boolean') values[name] = value;
  const help = values.help === true;
  const [operand, ...extra] = parsed.positionals;
  if (!help) {
    if (spec.operand !== '' && operand === undefined) usage(`missing ${spec.operand}`);
    if (spec.operand === '' && operand !== undefined) usage(`unexpected argument '${operand}'`);
    if (extra.length > 0) usage(`unexpected argument '${extra[0]}'`);
  }
  return { operand, values, help };
}

/** A string option's value. */
export function text(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number option in [min, ∞), or its default. */
export function integer(parsed: Parsed, command: string, name: string, fallback: number, min: number): number {
  const value = text(parsed, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min)
    fail({
      code: 'usage',
      layer: `kerats ${command}`,
      problem: `--${name} must be a whole number of at least ${min}, got '${value}'`,
    });
  return number;
}

/** A number option in [0, 1), or its default. */
export function fraction(parsed: Parsed, command: string, name: string, fallback: number): number {
  const value = text(parsed, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number < 1))
    fail({
      code: 'usage',
      layer: `kerats ${command}`,
      problem: `--${name} must be a number in [0, 1), got '${value}'`,
    });
  return number;
}
