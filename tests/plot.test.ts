// plotModel and plotHistory through the library: the graph description (what Graphviz is asked to draw) and
// the Vega-Lite specification, then the files they write.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Add, clearSession, Dense, Input, LSTM, Model, modelToDot, plotHistory, plotModel } from '../src/index.ts';
import { historySpec } from '../src/plot/history-spec.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-plot-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('modelToDot', () => {
  it('one node per layer, one edge per pair of connected layers, names escaped for the HTML label', () => {
    clearSession();
    const x = Input([8], { name: 'x<&>' });
    const shared = Dense(8, { name: 'shared' });
    const doubled = Add()([shared(x), shared(shared(x))]);
    const model = Model({ inputs: x, outputs: Add()([doubled, doubled]) });
    const dot = modelToDot(model);
    expect(dot.match(/^ {2}layer\d+ \[label=/gm)).toHaveLength(4);
    expect(dot).toContain('<b>x&lt;&amp;&gt;</b> (InputLayer)');
    // shared is called three times with the same shapes: its shapes are shown once.
    expect(dot).toContain('<b>shared</b> (Dense)</td></tr><tr><td><font point-size="10">Input shape</font>');
    expect(dot).toContain('<tr><td>(None, 8)</td><td>(None, 8)</td></tr>');
    // x -> shared, shared -> shared, shared -> add, add -> add_1 (read twice, drawn once).
    expect(dot.match(/ -> /g)).toHaveLength(4);
    expect(dot).toContain('rankdir=TB');
  });

  it('shows a shared layer called on different shapes once per shape, and dtypes when asked', () => {
    clearSession();
    const lstm = LSTM(4, { returnSequences: true, name: 'encoder' });
    const a = Input([10, 3]);
    const b = Input([20, 3]);
    const model = Model({ inputs: [a, b], outputs: [lstm(a), lstm(b)] });
    const dot = modelToDot(model, { showDtype: true, rankdir: 'LR' });
    expect(dot).toContain('<tr><td>(None, 10, 3)<br/>(None, 20, 3)</td><td>(None, 10, 4)<br/>(None, 20, 4)</td></tr>');
    expect(dot).toContain('<tr><td>dtype</td><td>float32</td></tr>');
    expect(dot).toContain('rankdir=LR');
    expect(modelToDot(model, { showShapes: false })).not.toContain('Input shape');
  });
});

describe('plotModel', () => {
  it('writes SVG and PNG by the name, and refuses other names before drawing anything', async () => {
    clearSession();
    const x = Input([3]);
    const model = Model({ inputs: x, outputs: Dense(2, { name: 'head' })(x) });
    const svg = await plotModel(model, { toFile: join(work, 'model.svg') });
    expect(readFileSync(join(work, 'model.svg'), 'utf8')).toBe(svg);
    expect(svg).toContain('>head</text>');
    await plotModel(model, { toFile: join(work, 'model.PNG') });
    expect([...readFileSync(join(work, 'model.PNG')).subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    await expect(plotModel(model, { toFile: join(work, 'model.pdf') })).rejects.toThrow(
      `plotModel: cannot write '${join(work, 'model.pdf')}': the file name must end in .svg or .png`,
    );
    // Written by rename: no temporary file is left beside them.
    expect(readdirSync(work).sort()).toEqual(['model.PNG', 'model.svg']);
  });
});

describe('historySpec and plotHistory', () => {
  const history = {
    epoch: [0, 1, 2],
    history: {
      accuracy: [0.5, 0.6, 0.7],
      loss: [0.9, Number.NaN, 0.5],
      val_loss: [1, 0.8, 0.7],
      val_accuracy: [0.4, 0.5, 0.6],
    },
  };

  it('one panel per quantity, loss first; training and validation as the two colors; epochs from 1', () => {
    const spec = historySpec(history);
    expect(JSON.stringify(spec)).toContain('"sort":["loss","accuracy"]');
    const data = 'data' in spec ? spec.data : undefined;
    const values = typeof data === 'object' && data !== null && 'values' in data ? data.values : [];
    expect(values).toContainEqual({ quantity: 'loss', split: 'validation', epoch: 3, value: 0.7 });
    expect(values).toContainEqual({ quantity: 'accuracy', split: 'training', epoch: 1, value: 0.5 });
    // A NaN is a gap in the line, not a point at zero.
    expect(values).toContainEqual({ quantity: 'loss', split: 'training', epoch: 2, value: null });
    expect(values).toHaveLength(12);
  });

  it('draws it to SVG', async () => {
    const svg = await plotHistory(history, { title: 'run 1', toFile: join(work, 'history.svg') });
    for (const text of ['>run 1<', '>loss<', '>accuracy<', '>training<', '>validation<']) expect(svg).toContain(text);
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(4);
  });
});
