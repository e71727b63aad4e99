// kerats summary <file>: the Keras-style summary of each model the file exports.
import { type CommandSpec, type Parsed, text } from './args.ts';
import { loadModule, modelsOf, pickModel } from './module.ts';
import { checkOption, modelOption } from './options.ts';

export const summaryCommand: CommandSpec = {
  name: 'summary',
  operand: '<file>',
  summary: 'Prints the Keras-style summary (layers, output shapes, parameters) of each model the file exports.',
  description:
    "The file (TypeScript or JavaScript) is type-checked with its project's tsconfig.json first, then imported; every exported Model is summarized, under its export name.",
  options: { model: modelOption, 'no-check': checkOption },
  examples: ['kerats summary examples/cnn.ts', 'kerats summary src/models.ts --model encoder'],
};

export async function summary(parsed: Parsed, print: (line: string) => void): Promise<void> {
  const module = await loadModule(parsed.operand ?? '', {
    layer: 'kerats summary',
    check: parsed.values['no-check'] !== true,
  });
  const name = text(parsed, 'model');
  const models = name === undefined ? modelsOf(module, 'kerats summary') : [pickModel(module, 'kerats summary', name)];
  for (const [index, [exported, model]] of models.entries()) {
    if (index > 0) print('');
    if (models.length > 1 || name !== undefined) print(`export ${exported}:`);
    model.summary(print);
  }
}
