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
