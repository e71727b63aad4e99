// The three statements of every shape rule agree: kerats' value-level rule, kerats' type-level rule, and
// tfjs-layers' own output shapes and parameter counts, over generated configurations.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnyTensor, KeratsError } from '../src/index.ts';
import { lowering } from '../src/runtime/graph.ts';
import { arbitraries, buildKerats, buildTfjs, type Case, source } from './helpers/cases.ts';
import { check, root, virtualHost } from './helpers/compiler.ts';

const seed = Number(process.env.KERATS_SEED ?? 20261129);
const runs = Number(process.env.KERATS_RUNS ?? 250);

type Outcome =
  | { readonly ok: true; readonly tensor: AnyTensor; readonly params: number }
  | { readonly ok: false; readonly message: string };

function keratsOutcome(testCase: Case): Outcome {
  try {
    const tensor = buildKerats(testCase);
    const { trainable, nonTrainable } = tensor.node.layer.countParams();
    return { ok: true, tensor, params: trainable + nonTrainable };
  } catch (error) {
    if (error instanceof KeratsError) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * Where kerats is deliberately stricter than tfjs-layers (docs/design.md, "Where kerats and tfjs differ"):
 * Embedding takes int32 ids only; Add, Multiply and Average take equal shapes only (tfjs broadcasts some);
 * Reshape checks the element count when the graph is built (tfjs only when it runs, as Keras does not);
 * Concatenate, LayerNormalization, Softmax and PReLU check their axes (tfjs accepts the batch axis, and an axis past
 * the last, silently).
 */
function stricterThanTfjs(testCase: Case, message: string): boolean {
  const { layer } = testCase.config;
  return (
    (layer === 'Embedding' && message.includes('expects int32 input')) ||
    (['Add', 'Multiply', 'Average', 'Maximum', 'Minimum'].includes(layer) &&
      message.includes('needs equal sizes, or 1 on either side')) ||
    // tfjs's Dot takes a negative axis modulo the rank in JavaScript (still negative), so it compares no sizes and
    // checks no axis.
    (layer === 'Dot' && /their sizes must be equal|does not exist for inputs/.test(message)) ||
    // tfjs's Masking builds on [batch] alone; its CenterCrop writes height and width over whichever axes are third
    // and second from the last, the batch included.
    (['Masking', 'CenterCrop'].includes(layer) && message.includes('expects input of rank')) ||
    (layer === 'Reshape' && message.includes('cannot reshape')) ||
    // tfjs's DepthwiseConv2D builds on a [h, w, x, c] input silently (and fails when it runs).
    (layer === 'DepthwiseConv2D' && message.includes('expects input of rank')) ||
    // Keras's own checks of options tfjs's Conv2DTranspose does not have (outputPadding, dilationRate).
    (['Conv2DTranspose', 'Conv3DTranspose'].includes(layer) &&
      /smaller than strides|cannot both exceed 1/.test(message)) ||
    (['Concatenate', 'LayerNormalization', 'Softmax', 'PReLU'].includes(layer) &&
      message.includes('does not exist for inputs')) ||
    // Keras's ConvLSTM2D refuses unknown rows or cols (conv_lstm.py, ConvLSTMCell.build); tfjs's builds on them.
    (layer === 'ConvLSTM2D' && message.includes('it sizes the states'))
  );
}

/**
 * Where kerats follows Keras and tfjs-layers refuses, so the lowering is kerats' own twin (src/dsl/twin.ts): Flatten
 * of rank 0 or 1 (Keras 3, keras/src/layers/reshaping/flatten.py); Conv2DTranspose with outputPadding or dilation
 * (keras/src/backend/common/backend_utils.py). Only the lowering is compared.
 */
function kerasOnly({ config, inputs }: Case): boolean {
  if (config.layer === 'Conv2DTranspose' || config.layer === 'Conv3DTranspose')
    return config.outputPadding !== undefined || config.dilation !== 1;
  return config.layer === 'Flatten' && (inputs[0]?.shape.length ?? 0) < 2;
}

/**
 * Where kerats knows a size that tfjs leaves unknown: Reshape's -1 axis (tfjs fills it in only when it runs),
 * and a merge of an unknown size with a known one (equal shapes mean the unknown one is that size).
 */
const infersMore = new Set(['Reshape', 'Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']);
/** The same, for kerats' own lowering of one layer: Reshape is lowered with its -1 resolved; merges are not. */
const loweringInfersLess = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']);

/**
 * The layers of catalog part A (issue 10) whose lowering is also run on concrete data (inputs without unknown
 * sizes, and small), in and out of training, so that the shape rule is checked against the computation itself.
 */
const ranOnData = new Set([
  'Maximum',
  'Minimum',
  'Dot',
  'GroupNormalization',
  'UnitNormalization',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'ActivityRegularization',
  'Rescaling',
  'Masking',
  'CenterCrop',
  'Resizing',
  'ConvLSTM2D',
]);

/** Runs the lowered layer of `tensor` on a batch of 2 of concrete values; its output shape without the batch. */
function runLowered(tensor: AnyTensor, training: boolean): readonly number[] | undefined {
  const shapes = tensor.node.inputs.map(({ shape }) => shape);
  const known = shapes.every((shape) => shape.every((size) => size !== null));
  const elements = shapes.reduce(
    (sum, shape) => sum + shape.reduce<number>((product, size) => product * (size ?? 1), 1),
    0,
  );
  if (!known || elements > 4096) return undefined;
  const call = tensor.node.inputs.map(({ shape, dtype }) => ({ shape, dtype }));
  const layer = tensor.node.layer.spec.lower(`run_${tensor.node.id}`, [call], lowering);
  const shape = tf.tidy(() => {
    const inputs = tensor.node.inputs.map((input, index) =>
      tf.add(tf.randomUniform([2, ...input.shape.map(Number)], -1, 1), index).asType(input.dtype),
    );
    const output = layer.apply(inputs.length === 1 ? (inputs[0] ?? []) : inputs, { training });
    return output instanceof tf.Tensor ? output.shape.slice(1) : undefined;
  });
  layer.dispose();
  return shape;
}

/** Lowers the layer that produced `tensor` to tfjs and applies it to inputs of the same shapes. */
function lowerAndApply(tensor: AnyTensor): { shape: readonly (number | null)[]; params: number } {
  const call = tensor.node.inputs.map(({ shape, dtype }) => ({ shape, dtype }));
  const layer = tensor.node.layer.spec.lower(`lowered_${tensor.node.id}`, [call], lowering);
  const inputs = tensor.node.inputs.map((input) => tf.input({ shape: [...input.shape], dtype: input.dtype }));
  const output = layer.apply(inputs.length === 1 ? (inputs[0] ?? []) : inputs);
  const shape = output instanceof tf.SymbolicTensor ? output.shape.slice(1) : [];
  const params = layer.countParams();
  layer.dispose();
  return { shape, params };
}

describe('value-level rules agree with tfjs-layers', () => {
  for (const [family, arbitrary] of Object.entries(arbitraries)) {
    it(`${family}: ${runs} generated configurations`, () => {
      let accepted = 0;
      fc.assert(
        fc.property(arbitrary, (testCase) => {
          const ours = keratsOutcome(testCase);
          const theirs = buildTfjs(testCase);
          if (ours.ok && kerasOnly(testCase)) {
            accepted++;
            const lowered = lowerAndApply(ours.tensor);
            expect(lowered.shape, `lowered: ${source(testCase)}`).toEqual(ours.tensor.shape);
            expect(lowered.params, `lowered: ${source(testCase)}`).toBe(ours.params);
          } else if (ours.ok) {
            accepted++;
            expect(theirs, `tfjs must accept what kerats accepts: ${source(testCase)}`).toMatchObject({ ok: true });
            if (!theirs.ok) return;
            const expected = ours.tensor.shape.map((size, axis) =>
              infersMore.has(testCase.config.layer) && theirs.shape[axis] === null ? null : size,
            );
            expect(theirs.shape, source(testCase)).toEqual(expected);
            expect(ours.params, source(testCase)).toBe(theirs.params);
            // kerats' own lowering builds the same layer.
            const lowered = lowerAndApply(ours.tensor);
            const declared = ours.tensor.shape.map((size, axis) =>
              loweringInfersLess.has(testCase.config.layer) && lowered.shape[axis] === null ? null : size,
            );
            expect(lowered.shape, `lowered: ${source(testCase)}`).toEqual(declared);
            expect(lowered.params, `lowered: ${source(testCase)}`).toBe(theirs.params);
            if (ranOnData.has(testCase.config.layer))
              for (const training of [false, true]) {
                const ran = runLowered(ours.tensor, training);
                if (ran !== undefined)
                  expect(ran, `run (training ${training}): ${source(testCase)}`).toEqual(ours.tensor.shape);
              }
          } else if (!stricterThanTfjs(testCase, ours.message)) {
            expect(theirs, `tfjs must reject what kerats rejects (${ours.message}): ${source(testCase)}`).toMatchObject(
              { ok: false },
            );
          }
        }),
        { numRuns: runs, seed },
      );
      // The generators must exercise both sides of each rule (Dropout and Activation accept every input).
      expect(accepted).toBeGreaterThan(runs / 20);
      if (family !== 'Identity') expect(accepted).toBeLessThan(runs);
    });
  }
});

describe('type-level rules agree with value-level rules', () => {
  const perFamily = Number(process.env.KERATS_TYPE_RUNS ?? 120);
  const cases = Object.values(arbitraries).flatMap((arbitrary, index) =>
    fc.sample(arbitrary, { numRuns: perFamily, seed: seed + index }),
  );
  const outcomes = cases.map(keratsOutcome);
  const file = join(root, 'tests', '__generated_type_cases.ts');
  const lines = [
    "import { ActivityRegularization, AlphaDropout, CenterCrop, Dot, GaussianDropout, GaussianNoise, GroupNormalization, Masking, Maximum, Minimum, Rescaling, Resizing, SpatialDropout1D, SpatialDropout2D, UnitNormalization, Activation, Add, Average, AveragePooling1D, AveragePooling2D, BatchNormalization, Bidirectional, Concatenate, Conv1D, Conv2D, Dense, Dropout, Embedding, Flatten, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, GRU, Input, LSTM, MaxPooling1D, MaxPooling2D, Multiply, Reshape, SimpleRNN, TimeDistributed, Cropping1D, Cropping2D, Permute, RepeatVector, UpSampling2D, ZeroPadding1D, ZeroPadding2D, ELU, LayerNormalization, LeakyReLU, PReLU, ReLU, Softmax, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, Conv3D, Conv1DTranspose, SeparableConv1D, Conv3DTranspose, MaxPooling3D, AveragePooling3D, GlobalMaxPooling3D, GlobalAveragePooling3D, ZeroPadding3D, Cropping3D, UpSampling3D, ConvLSTM2D, type SymbolicTensor } from '../src/index.ts';",
    'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
    ...cases.map((testCase, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined || !outcome.ok) return `export const t${index} = ${source(testCase)};`;
      const expected = `SymbolicTensor<${JSON.stringify(outcome.tensor.shape)}, '${outcome.tensor.dtype}', never>`;
      return `export const t${index} = ${source(testCase)}; export const c${index}: Equals<typeof t${index}, ${expected}> = true;`;
    }),
  ];
  const header = 2;

  it(`${cases.length} generated configurations: same shape and dtype, or the same message`, () => {
    const { diagnostics } = check([file], virtualHost(new Map([[file, lines.join('\n')]])));
    const byLine = new Map<number, string[]>();
    for (const diagnostic of diagnostics) {
      expect(diagnostic.file, diagnostic.text).toBe(file);
      byLine.set(diagnostic.line, [...(byLine.get(diagnostic.line) ?? []), diagnostic.text]);
    }
    let rejected = 0;
    for (const [index, outcome] of outcomes.entries()) {
      const found = byLine.get(index + header + 1) ?? [];
      const line = lines[index + header];
      if (outcome.ok) expect(found, `the compiler must accept, with kerats' runtime shape: ${line}`).toEqual([]);
      else {
        rejected++;
        expect(found, `the compiler must reject with "${outcome.message}": ${line}`).toHaveLength(1);
        expect(found[0], line).toContain(outcome.message);
      }
    }
    expect(rejected).toBeGreaterThan(0);
    expect(rejected).toBeLessThan(outcomes.length);
  });
});
