// kerats plot <file> -o model.svg: the model's graph, as Keras's plot_model(show_shapes=True) draws it.
import { fail } from '../errors.ts';
import { imageFormat } from '../plot/image.ts';
import { plotModel } from '../plot/model.ts';
import { type CommandSpec, type Parsed, text } from './args.ts';
import { loadModule, pickModel } from './module.ts';
import { checkOption, modelOption } from './options.ts';

export const plotCommand: CommandSpec = {
  name: 'plot',
  operand: '<file>',
  summary:
    "Draws the model's graph to an SVG or PNG file: a box per layer with its name, class, input and output shapes.",
  description:
    'Laid out by Graphviz (its WebAssembly build; nothing to install). PNG is rendered at twice the size with the fonts kerats ships, so it looks the same on every machine.',
  options: {
    output: { type: 'string', short: 'o', value: '<file.svg|file.png>', help: 'where to write the drawing (required)' },
    model: modelOption,
    rankdir: { type: 'string', value: '<TB|LR>', help: 'top to bottom (default) or left to right' },
    dtype: { type: 'boolean', help: 'also show the dtype of each output' },
    'no-check': checkOption,
  },
  examples: [
    'kerats plot examples/multiple-outputs.ts -o model.svg',
    'kerats plot examples/cnn.ts -o cnn.png --rankdir LR',
  ],
};

export async function plot(parsed: Parsed, print: (line: string) => void): Promise<void> {
  const layer = 'kerats plot';
  const output =
    text(parsed, 'output') ??
    fail({ code: 'usage', layer, problem: "missing -o <file.svg|file.png> (see 'kerats plot --help')" });
  imageFormat(output, layer);
  const rankdir = text(parsed, 'rankdir') ?? 'TB';
  if (rankdir !== 'TB' && rankdir !== 'LR')
    fail({ code: 'usage', layer, problem: `--rankdir must be TB or LR, got '${rankdir}'` });
  const module = await loadModule(parsed.operand ?? '', { layer, check: parsed.values['no-check'] !== true });
  const [, model] = pickModel(module, layer, text(parsed, 'model'));
  await plotModel(model, { toFile: output, rankdir, showDtype: parsed.values.dtype === true });
  print(`wrote ${output} (${model.layers.length} layers of model '${model.name}')`);
}
