// The PyTorch twins of the reference models (bench/pytorch), which npm run bench:train measures kerats against,
// have kerats' parameter counts: the same layers and sizes. Skipped where no Python imports torch.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPytorch, torchPython } from '../bench/pytorch/python.ts';
import * as examples from '../examples/index.ts';
import { root } from './helpers/compiler.ts';

const python = torchPython();

describe.skipIf(python === undefined)('PyTorch twins of the reference models', () => {
  it('have the trainable parameter count of each kerats model', async () => {
    const counts = await runPytorch(
      python ?? 'python3',
      join(root, 'bench', 'pytorch', 'bench.py'),
      ['params'],
      120_000,
    );
    expect(counts).toEqual({
      mlp: examples.mlp.model.countParams(),
      cnn: examples.cnn.model.countParams(),
      rnn: examples.rnn.model.countParams(),
      bilstm: examples.bilstm.model.countParams(),
      'shared-input': examples.sharedInput.model.countParams(),
      'shared-feature-extraction': examples.sharedFeatureExtraction.model.countParams(),
      'multiple-inputs': examples.multipleInputs.model.countParams(),
      'multiple-outputs': examples.multipleOutputs.model.countParams(),
    });
  });
});
