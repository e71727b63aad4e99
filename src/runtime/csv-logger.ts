// Keras's CSVLogger (keras/src/callbacks/csv_logger.py): a row per epoch, written as Python's csv module writes
// it (excel dialect: `\r\n` line ends, a field quoted only when it holds the separator, a quote or a line end),
// with Keras's columns: `epoch`, then the keys of the first epoch's logs sorted, and their `val_` versions when
// that epoch had none. Each row (with the header, the first time) goes to the file in one write, so a process
// killed between epochs leaves whole rows only.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { describe, fail } from '../errors.ts';
import { callbackOptions, pythonFloat } from './callbacks.ts';
import type { Callback } from './training.ts';

export interface CSVLoggerOptions {
  /** The field separator, one character. Default ','. */
  readonly separator?: string;
  /** Add to the file if it exists (to continue a training) rather than replace it. Default false. */
  readonly append?: boolean;
}

/** A field as Python's csv writer (QUOTE_MINIMAL) writes it. */
function field(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Streams each epoch's logs to a CSV file, as Keras's CSVLogger. */
export function CSVLogger(filename: string, options: CSVLoggerOptions = {}): Callback {
  const name = 'CSVLogger';
  if (typeof filename !== 'string' || filename === '')
    fail({ code: 'option', layer: name, option: 'filename', expected: 'a file path', received: describe(filename) });
  const given = callbackOptions(name, options, ['separator', 'append']);
  const separator = given.separator ?? ',';
  if (typeof separator !== 'string' || [...separator].length !== 1 || /["\r\n]/.test(separator))
    fail({
      code: 'option',
      layer: name,
      option: 'separator',
      expected: "one character other than a quote or a line end (',', ';', '\\t', ...)",
      received: describe(separator),
    });
  const append = given.append ?? false;
  if (typeof append !== 'boolean')
    fail({ code: 'option', layer: name, option: 'append', expected: 'true or false', received: describe(append) });
  let keys: string[] | undefined;
  let header = true;
  const line = (fields: readonly string[]) => `${fields.map((each) => field(each, separator)).join(separator)}\r\n`;
  return {
    async onTrainBegin() {
      keys = undefined;
      if (append) {
        // Keras: a header unless the file has a first line already.
        const text = await readFile(filename, 'utf8').catch(() => '');
        header = text.length === 0;
        await appendFile(filename, '');
      } else {
        header = true;
        await writeFile(filename, '');
      }
    },
    async onEpochEnd(epoch, logs) {
      if (keys === undefined) {
        const sorted = Object.keys(logs).sort();
        keys = sorted.some((key) => key.startsWith('val_'))
          ? sorted
          : [...sorted, ...sorted.map((key) => `val_${key}`)];
      }
      const row = line([
        String(epoch),
        ...keys.map((key) => {
          const value = logs[key];
          return value === undefined ? 'NA' : pythonFloat(value);
        }),
      ]);
      await appendFile(filename, header ? line(['epoch', ...keys]) + row : row);
      header = false;
    },
  };
}
