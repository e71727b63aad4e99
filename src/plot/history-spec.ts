// The Vega-Lite specification of the training curves. A module of its own, so that vega-lite's declarations
// (some 140 files) stay out of the declarations that every user of kerats loads: its types appear only here.
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryLike, PlotHistoryOptions } from './history.ts';

interface Point {
  readonly quantity: string;
  readonly split: 'training' | 'validation';
  readonly epoch: number;
  /** null where the value was not finite: Vega-Lite leaves a gap. */
  readonly value: number | null;
}

function points(history: HistoryLike): Point[] {
  return Object.entries(history.history).flatMap(([key, values]) => {
    const validation = key.startsWith('val_');
    const quantity = validation ? key.slice('val_'.length) : key;
    return values.map(
      (value, index): Point => ({
        quantity,
        split: validation ? 'validation' : 'training',
        // Epochs as the progress bar counts them, from 1.
        epoch: (history.epoch[index] ?? index) + 1,
        value: Number.isFinite(value) ? value : null,
      }),
    );
  });
}

/** The Vega-Lite specification of the curves. */
export function historySpec(history: HistoryLike, options: PlotHistoryOptions = {}): TopLevelSpec {
  const data = points(history);
  // Loss first, then the rest in the order fit reported them.
  const quantities = [...new Set(data.map((point) => point.quantity))].sort(
    (a, b) => Number(b === 'loss') - Number(a === 'loss'),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title === undefined ? {} : { title: options.title }),
    data: { values: data },
    facet: { field: 'quantity', type: 'nominal', title: null, sort: quantities, header: { labelFontSize: 13 } },
    columns: Math.min(quantities.length, 3),
    spec: {
      width: 280,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'split',
          type: 'nominal',
          title: null,
          scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'DejaVu Sans', background: 'white' },
  };
}
