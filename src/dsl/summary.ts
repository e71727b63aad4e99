// The Keras-style `model.summary()` table, laid out as Keras 2's print_summary lays it out: fixed columns,
// long cells wrapped at the column edge (preferably after "),", "],", "',"), totals with thousands separators.
import type { Dim } from '../shapes/dim.ts';

export interface SummaryRow {
  readonly name: string;
  readonly className: string;
  /** One shape per output, or 'multiple' for a layer called more than once in the model. */
  readonly outputShape: readonly (readonly Dim[])[] | 'multiple';
  readonly isInput: boolean;
  readonly params: number;
  readonly connectedTo: readonly string[];
  /** A nested model's own rows, shown with `expandNested`. */
  readonly nested?: readonly SummaryRow[];
}

export interface SummaryTable {
  readonly name: string;
  readonly rows: readonly SummaryRow[];
  /** A single chain of layers: printed without the "Connected to" column, as Keras does. */
  readonly sequential: boolean;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Shows each nested model's layers inside a frame under its row, as Keras's `expand_nested`. */
  readonly expandNested?: boolean;
}

/** `[null, 32]` as Keras prints it: `(None, 32)`. */
export function kerasShape(shape: readonly Dim[]): string {
  return `(${['None', ...shape.map((dim) => (dim === null ? 'None' : `${dim}`))].join(', ')}${shape.length === 0 ? ',' : ''})`;
}

function outputCell(row: SummaryRow): string {
  if (row.outputShape === 'multiple') return 'multiple';
  const shapes = row.outputShape.map(kerasShape);
  return row.isInput || shapes.length > 1 ? `[${shapes.join(', ')}]` : (shapes[0] ?? '');
}

/** One row's lines; `level` is its nesting depth (inside `level` frames of `|`), as Keras's print_row. */
function formatRow(fields: readonly string[], positions: readonly number[], level = 0): string[] {
  const left = [...fields];
  const lines: string[] = [];
  while (left.some((field) => field.length > 0)) {
    let line = '';
    for (const [column, end] of positions.entries()) {
      const start = column > 0 ? (positions[column - 1] ?? 0) : 0;
      const space = column !== positions.length - 1 ? 2 : 0;
      let cutoff = end - start - space - (column === 0 ? level : 0);
      let fit = (left[column] ?? '').slice(0, cutoff);
      const breaks = ['),', '},', '],', "',"]
        .map((marker) => (fit.includes(marker) ? fit.indexOf(marker) + marker.length : -1))
        .filter((position) => position >= 0);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      }
      if (column === 0) line += `${'|'.repeat(level)} `;
      line += fit + ' '.repeat(space);
      left[column] = (left[column] ?? '').slice(cutoff);
      const last = column === positions.length - 1;
      line += ' '.repeat(Math.max(0, end - line.length - (last ? level : 0)));
    }
    lines.push(level === 0 ? line.trimEnd() : line + '|'.repeat(level));
  }
  return lines;
}

/** The lines of the summary. */
export function formatSummary(table: SummaryTable): string[] {
  const width = table.sequential ? 65 : 98;
  const fractions = table.sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const positions = fractions.map((fraction) => Math.floor(width * fraction));
  const headers = ['Layer (type)', 'Output Shape', 'Param #', ...(table.sequential ? [] : ['Connected to'])];
  const lines = [`Model: "${table.name}"`, '_'.repeat(width), ...formatRow(headers, positions), '='.repeat(width)];
  const framed = (level: number, fill: string): string =>
    `${'|'.repeat(level)}${fill.repeat(width - 2 * level)}${'|'.repeat(level)}`.trimEnd();
  const emit = (rows: readonly SummaryRow[], level: number): void => {
    for (const [index, row] of rows.entries()) {
      const connected =
        row.connectedTo.length === 0 ? '[]' : `[${row.connectedTo.map((name) => `'${name}'`).join(', ')}]`;
      const fields = [
        `${row.name} (${row.className})`,
        outputCell(row),
        `${row.params}`,
        ...(table.sequential ? [] : [connected]),
      ];
      lines.push(...formatRow(fields, positions, level));
      if (table.expandNested && row.nested !== undefined && row.nested.length > 0) {
        lines.push(framed(level + 1, '¯'));
        emit(row.nested, level + 1);
        lines.push(framed(level, '¯'));
      }
      if (index < rows.length - 1) lines.push(framed(level, ' '));
    }
  };
  emit(table.rows, 0);
  const total = table.trainable + table.nonTrainable;
  lines.push(
    '='.repeat(width),
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${table.trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${table.nonTrainable.toLocaleString('en-US')}`,
    '_'.repeat(width),
  );
  return lines;
}
