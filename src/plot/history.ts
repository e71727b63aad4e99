// Training curves: loss and each metric per epoch, training beside validation, one panel per quantity, drawn
// by Vega-Lite (compiled to Vega and rendered headless to SVG; PNG through the same renderer as plotModel).
import type { TopLevelSpec } from 'vega-lite';
import { drawTo } from './image.ts';

/** What `fit` returns; any object of this form (a Keras history exported as JSON too) can be plotted. */
export interface HistoryLike {
  /** The epochs, counted from 0 as Keras's `history.epoch`. */
  readonly epoch: readonly number[];
  /** Per quantity (`loss`, `accuracy`, `val_loss`, ...) its value at each epoch. */
  readonly history: Readonly<Record<string, readonly number[]>>;
}

export interface PlotHistoryOptions {
  /** Drawn above the panels. */
  readonly title?: string;
}

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

/** The curves as SVG text. */
export async function historyToSvg(history: HistoryLike, options: PlotHistoryOptions = {}): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const { spec } = vegaLite.compile(historySpec(history, options));
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Draws the loss and metric curves of a training run, as the usual matplotlib plot of `history.history`, and
 * writes them to `toFile` (`.svg` or `.png`, by the name). Returns the SVG text.
 * @example await plotHistory(await model.fit(x, y, { epochs: 10, validationSplit: 0.2 }), { toFile: 'history.svg' })
 */
export async function plotHistory(
  history: HistoryLike,
  options: PlotHistoryOptions & { readonly toFile?: string } = {},
): Promise<string> {
  return drawTo(options.toFile, 'plotHistory', () => historyToSvg(history, options));
}
