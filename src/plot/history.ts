// Training curves: loss and each metric per epoch, training beside validation, one panel per quantity, drawn
// by Vega-Lite (compiled to Vega and rendered headless to SVG; PNG through the same renderer as plotModel).
import { historySpec } from './history-spec.ts';
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
