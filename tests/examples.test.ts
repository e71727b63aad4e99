// The eight reference models: each builds, its parameter total equals Keras's, and its summary is Keras's table.
import { describe, expect, it } from 'vitest';

const keras = {
  mlp: 771,
  cnn: 610_570,
  rnn: 1_331_521,
  bilstm: 1_380_106,
  'shared-input': 453_642,
  'shared-feature-extraction': 33_802,
  'multiple-inputs': 86_793,
  'multiple-outputs': 1_452,
} as const;

describe('reference models', () => {
  for (const [name, total] of Object.entries(keras)) {
    it(`${name}: ${total} parameters, as in Keras`, async () => {
      const { model } = await import(`../examples/${name}.ts`);
      expect(model.countParams()).toBe(total);
      const lines: string[] = [];
      model.summary((line: string) => lines.push(line));
      expect(lines).toContain(`Total params: ${total.toLocaleString('en-US')}`);
    });
  }
});

describe('FLOP counts', () => {
  it('count multiply-adds of dense, convolutional and recurrent layers, per sample', async () => {
    const { model: perceptron } = await import('../examples/mlp.ts');
    expect(perceptron.flops()).toBe(2 * (32 * 10 + 10 * 20 + 20 * 10 + 10 * 1));
    const { model: convolutional } = await import('../examples/cnn.ts');
    const conv = 2 * (5 * 5 * 3 * 16 * 60 * 60 + 3 * 3 * 16 * 32 * 28 * 28 + 3 * 3 * 32 * 32 * 12 * 12);
    expect(convolutional.flops()).toBe(conv + 2 * (1152 * 512 + 512 * 10));
    const { model: recurrent } = await import('../examples/multiple-outputs.ts');
    const lstm = (features: number, units: number, steps: number) => 2 * 4 * units * (features + units) * steps;
    expect(recurrent.flops()).toBe(lstm(1, 10, 100) + lstm(10, 10, 100) + 2 * (10 * 10 + 10 * 1) + 100 * 2 * 10);
  });
});
