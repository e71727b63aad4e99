// Generated layer configurations for the differential tests: each case can be built three ways, as kerats at
// run time, as kerats source text for the compiler, and as a plain tfjs-layers layer (written here
// independently of kerats' own lowering, so a wrong option mapping in kerats cannot hide).
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {
  Activation,
  ActivityRegularization,
  Add,
  AlphaDropout,
  type AnyTensor,
  Average,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  BatchNormalization,
  Bidirectional,
  CenterCrop,
  Concatenate,
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  ConvLSTM2D,
  Cropping1D,
  Cropping2D,
  Cropping3D,
  Dense,
  DepthwiseConv2D,
  type Dim,
  Dot,
  Dropout,
  type DType,
  ELU,
  Embedding,
  Flatten,
  GaussianDropout,
  GaussianNoise,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GRU,
  GroupNormalization,
  Input,
  LayerNormalization,
  LeakyReLU,
  LSTM,
  Masking,
  Maximum,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  Minimum,
  Multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  Rescaling,
  Reshape,
  Resizing,
  SeparableConv1D,
  SeparableConv2D,
  SimpleRNN,
  Softmax,
  SpatialDropout1D,
  SpatialDropout2D,
  TimeDistributed,
  UnitNormalization,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
} from '../../src/index.ts';

export interface TensorSpec {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

type Window = number | [number, number];
type Padding = 'valid' | 'same';

/** A regularizer on every weight (and the output) of a layer, by Keras's name; it changes no shape or count. */
export type Penalty = 'l1' | 'l2' | 'l1l2' | null;

export type LayerCase =
  | { readonly layer: 'Dense'; readonly units: number; readonly useBias: boolean; readonly regularizer: Penalty }
  | {
      readonly layer: 'Conv2D';
      readonly filters: number;
      readonly kernel: Window;
      readonly strides: Window;
      readonly dilation: Window;
      readonly padding: Padding;
      readonly groups: number;
      readonly useBias: boolean;
      readonly regularizer: Penalty;
    }
  | {
      readonly layer: 'Conv1D';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly dilation: number;
      readonly padding: Padding;
      readonly groups: number;
    }
  | {
      readonly layer: 'MaxPooling2D' | 'AveragePooling2D';
      readonly pool: Window;
      readonly strides: Window | undefined;
      readonly padding: Padding;
    }
  | {
      readonly layer: 'MaxPooling1D' | 'AveragePooling1D';
      readonly pool: number;
      readonly strides: number | undefined;
      readonly padding: Padding;
    }
  | { readonly layer: 'Flatten' | 'Add' | 'Multiply' | 'Average' | 'Maximum' | 'Minimum' }
  | { readonly layer: 'Dot'; readonly axes: number | [number, number]; readonly normalize: boolean }
  | {
      readonly layer: 'GroupNormalization';
      readonly groups: number;
      readonly axis: number;
      readonly center: boolean;
      readonly scale: boolean;
    }
  | { readonly layer: 'UnitNormalization'; readonly axis: number | readonly number[] }
  | {
      readonly layer: 'SpatialDropout1D' | 'SpatialDropout2D' | 'GaussianDropout' | 'AlphaDropout';
      readonly rate: number;
    }
  | { readonly layer: 'GaussianNoise'; readonly stddev: number }
  | { readonly layer: 'ActivityRegularization'; readonly l1: number; readonly l2: number }
  | { readonly layer: 'Rescaling'; readonly scale: number; readonly offset: number }
  | { readonly layer: 'Masking'; readonly maskValue: number }
  | { readonly layer: 'CenterCrop'; readonly height: number; readonly width: number }
  | {
      readonly layer: 'Resizing';
      readonly height: number;
      readonly width: number;
      readonly interpolation: 'bilinear' | 'nearest';
      readonly cropToAspectRatio: boolean;
    }
  | {
      readonly layer: 'GlobalMaxPooling1D' | 'GlobalMaxPooling2D' | 'GlobalAveragePooling1D' | 'GlobalAveragePooling2D';
      readonly keepdims: boolean;
    }
  | {
      readonly layer: 'Embedding';
      readonly inputDim: number;
      readonly outputDim: number;
      readonly regularizer: Penalty;
    }
  | { readonly layer: 'LSTM' | 'SimpleRNN'; readonly units: number; readonly returnSequences: boolean }
  | { readonly layer: 'GRU'; readonly units: number; readonly returnSequences: boolean; readonly resetAfter: boolean }
  | {
      readonly layer: 'Bidirectional';
      readonly inner: 'LSTM' | 'GRU';
      readonly units: number;
      readonly returnSequences: boolean;
      /** The inner GRU's (LSTM has no such option). */
      readonly resetAfter: boolean;
      readonly mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
    }
  | { readonly layer: 'TimeDistributed'; readonly units: number }
  | { readonly layer: 'Reshape'; readonly target: readonly number[] }
  | { readonly layer: 'BatchNormalization'; readonly axis: number; readonly regularizer: Penalty }
  | { readonly layer: 'Dropout'; readonly rate: number }
  | { readonly layer: 'Activation'; readonly activation: 'relu' | 'softmax' | 'tanh' }
  | { readonly layer: 'Concatenate'; readonly axis: number }
  | { readonly layer: 'UpSampling2D'; readonly size: Window; readonly interpolation: 'nearest' | 'bilinear' }
  | { readonly layer: 'ZeroPadding2D' | 'Cropping2D'; readonly amounts: Edges2D }
  | { readonly layer: 'ZeroPadding1D' | 'Cropping1D'; readonly amounts: number | [number, number] }
  | { readonly layer: 'Permute'; readonly dims: readonly number[] }
  | { readonly layer: 'RepeatVector'; readonly n: number }
  | {
      readonly layer: 'LayerNormalization';
      readonly axis: number | readonly number[];
      readonly center: boolean;
      readonly scale: boolean;
    }
  | {
      readonly layer: 'ReLU';
      readonly maxValue: number | undefined;
      readonly negativeSlope: number;
      readonly threshold: number;
    }
  | { readonly layer: 'LeakyReLU'; readonly negativeSlope: number }
  | { readonly layer: 'ELU'; readonly alpha: number }
  | { readonly layer: 'Softmax'; readonly axis: number }
  | { readonly layer: 'PReLU'; readonly sharedAxes: readonly number[] }
  | {
      readonly layer: 'Conv2DTranspose';
      readonly filters: number;
      readonly kernel: Window;
      readonly strides: Window;
      readonly padding: Padding;
      readonly outputPadding: Window | undefined;
      readonly dilation: Window;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'Conv3D';
      readonly filters: number;
      readonly kernel: number | [number, number, number];
      readonly strides: number | [number, number, number];
      readonly padding: Padding;
      readonly groups: number;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'DepthwiseConv2D' | 'SeparableConv2D';
      readonly filters: number;
      readonly kernel: Window;
      readonly strides: Window;
      readonly padding: Padding;
      readonly depthMultiplier: number;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'Conv1DTranspose';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly padding: Padding;
      readonly outputPadding: number | undefined;
      readonly dilation: number;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'SeparableConv1D';
      readonly filters: number;
      readonly kernel: number;
      readonly strides: number;
      readonly dilation: number;
      readonly padding: Padding;
      readonly depthMultiplier: number;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'Conv3DTranspose';
      readonly filters: number;
      readonly kernel: Window3D;
      readonly strides: Window3D;
      readonly padding: Padding;
      readonly outputPadding: Window3D | undefined;
      readonly dilation: Window3D;
      readonly useBias: boolean;
    }
  | {
      readonly layer: 'MaxPooling3D' | 'AveragePooling3D';
      readonly pool: Window3D;
      readonly strides: Window3D | undefined;
      readonly padding: Padding;
    }
  | { readonly layer: 'GlobalMaxPooling3D' | 'GlobalAveragePooling3D'; readonly keepdims: boolean }
  | { readonly layer: 'ZeroPadding3D' | 'Cropping3D'; readonly amounts: Edges3D }
  | { readonly layer: 'UpSampling3D'; readonly size: Window3D }
  | {
      readonly layer: 'ConvLSTM2D';
      readonly filters: number;
      readonly kernel: Window;
      readonly strides: Window;
      readonly dilation: Window;
      readonly padding: Padding;
      readonly returnSequences: boolean;
      readonly useBias: boolean;
    };

type Edges2D = number | [number, number] | [[number, number], [number, number]];
type Triple = [number, number, number];
type Window3D = number | Triple;
type Edges3D = number | Triple | [[number, number], [number, number], [number, number]];

export interface Case {
  readonly config: LayerCase;
  readonly inputs: readonly TensorSpec[];
}

// --- Generators --------------------------------------------------------------------------------------------

const dim = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const shapeOfRank = (min: number, max: number) => fc.array(dim, { minLength: min, maxLength: max });
const float = (shape: fc.Arbitrary<Dim[]>) => shape.map((dims): TensorSpec => ({ shape: dims, dtype: 'float32' }));
const anyInput = fc.record({ shape: shapeOfRank(0, 4), dtype: fc.constantFrom<DType>('float32', 'float32', 'int32') });
const small = fc.integer({ min: 1, max: 6 });
const window = fc.oneof(small, fc.tuple(small, small));
const padding = fc.constantFrom<Padding>('valid', 'same');
const one = (input: fc.Arbitrary<TensorSpec>) => input.map((spec) => [spec]);
const amount = fc.integer({ min: 0, max: 4 });
const amountPair = fc.tuple(amount, amount);
const penalty = fc.constantFrom<Penalty>(null, null, 'l1', 'l2', 'l1l2');
/** A convolution's groups: mostly 1, else a size that may or may not divide the filters and the channels. */
const groups = fc.constantFrom(1, 1, 1, 2, 3, 4);

const convLSTMKernel = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.tuple(fc.integer({ min: 1, max: 4 }), small));

/** Layers whose inputs are close to what they accept, so that both acceptance and every error are exercised. */
export const arbitraries: Readonly<Record<string, fc.Arbitrary<Case>>> = {
  Dense: fc.record({
    config: fc.record({
      layer: fc.constant('Dense' as const),
      units: fc.integer({ min: 1, max: 16 }),
      useBias: fc.boolean(),
      regularizer: penalty,
    }),
    inputs: one(anyInput),
  }),
  Conv2D: fc.record({
    config: fc.record({
      layer: fc.constant('Conv2D' as const),
      filters: fc.integer({ min: 1, max: 8 }),
      kernel: window,
      strides: fc.oneof(fc.constant(1), window),
      dilation: fc.constant(1),
      padding,
      groups,
      useBias: fc.boolean(),
      regularizer: penalty,
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  'Conv2D dilated': fc.record({
    config: fc.record({
      layer: fc.constant('Conv2D' as const),
      filters: fc.integer({ min: 1, max: 8 }),
      kernel: window,
      strides: fc.constant(1),
      dilation: window,
      padding,
      groups: fc.constantFrom(1, 2),
      useBias: fc.constant(true),
      regularizer: penalty,
    }),
    inputs: one(float(shapeOfRank(3, 3))),
  }),
  Conv1D: fc.record({
    config: fc.record({
      layer: fc.constant('Conv1D' as const),
      filters: fc.integer({ min: 1, max: 8 }),
      kernel: small,
      strides: small,
      dilation: fc.constant(1),
      padding,
      groups,
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Pooling2D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('MaxPooling2D' as const, 'AveragePooling2D' as const),
      pool: window,
      strides: fc.option(window, { nil: undefined }),
      padding,
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  Pooling1D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('MaxPooling1D' as const, 'AveragePooling1D' as const),
      pool: small,
      strides: fc.option(small, { nil: undefined }),
      padding,
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  GlobalPooling: fc.record({
    config: fc.record({
      layer: fc.constantFrom(
        'GlobalMaxPooling1D' as const,
        'GlobalMaxPooling2D' as const,
        'GlobalAveragePooling1D' as const,
        'GlobalAveragePooling2D' as const,
      ),
      keepdims: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(1, 4))),
  }),
  Flatten: fc.record({ config: fc.constant({ layer: 'Flatten' as const }), inputs: one(anyInput) }),
  Embedding: fc.record({
    config: fc.record({
      layer: fc.constant('Embedding' as const),
      inputDim: fc.integer({ min: 1, max: 50 }),
      outputDim: fc.integer({ min: 1, max: 16 }),
      regularizer: penalty,
    }),
    inputs: one(anyInput),
  }),
  Recurrent: fc.record({
    config: fc.oneof(
      fc.record({
        layer: fc.constantFrom('LSTM' as const, 'SimpleRNN' as const),
        units: fc.integer({ min: 1, max: 8 }),
        returnSequences: fc.boolean(),
      }),
      fc.record({
        layer: fc.constant('GRU' as const),
        units: fc.integer({ min: 1, max: 8 }),
        returnSequences: fc.boolean(),
        resetAfter: fc.boolean(),
      }),
    ),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Bidirectional: fc.record({
    config: fc.record({
      layer: fc.constant('Bidirectional' as const),
      inner: fc.constantFrom('LSTM' as const, 'GRU' as const),
      units: fc.integer({ min: 1, max: 6 }),
      returnSequences: fc.boolean(),
      resetAfter: fc.boolean(),
      mergeMode: fc.constantFrom('concat' as const, 'sum' as const, 'mul' as const, 'ave' as const),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  TimeDistributed: fc.record({
    config: fc.record({ layer: fc.constant('TimeDistributed' as const), units: fc.integer({ min: 1, max: 8 }) }),
    inputs: one(float(shapeOfRank(1, 4))),
  }),
  Reshape: fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: -1, max: 2 }),
      fc.boolean(),
    )
    .map(([input, target, wildcard, exact]): Case => {
      // Half the time the target has the input's element count, so that success is exercised too.
      const count = input.reduce((product, size) => product * size, 1);
      const dims = exact ? [count] : target;
      const withWildcard =
        wildcard >= 0 && wildcard < dims.length ? dims.map((size, axis) => (axis === wildcard ? -1 : size)) : dims;
      return { config: { layer: 'Reshape', target: withWildcard }, inputs: [{ shape: input, dtype: 'float32' }] };
    }),
  BatchNormalization: fc.record({
    config: fc.record({
      layer: fc.constant('BatchNormalization' as const),
      axis: fc.integer({ min: -4, max: 4 }),
      regularizer: penalty,
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Identity: fc.record({
    config: fc.oneof(
      fc.record({ layer: fc.constant('Dropout' as const), rate: fc.constantFrom(0, 0.25, 0.5) }),
      fc.record({
        layer: fc.constant('Activation' as const),
        activation: fc.constantFrom('relu' as const, 'softmax' as const, 'tanh' as const),
      }),
    ),
    inputs: one(anyInput),
  }),
  UpSampling2D: fc.record({
    config: fc.record({
      layer: fc.constant('UpSampling2D' as const),
      size: window,
      interpolation: fc.constantFrom('nearest' as const, 'bilinear' as const),
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  Edges2D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('ZeroPadding2D' as const, 'Cropping2D' as const),
      amounts: fc.oneof(amount, amountPair, fc.tuple(amountPair, amountPair)),
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  Edges1D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('ZeroPadding1D' as const, 'Cropping1D' as const),
      amounts: fc.oneof(amount, amountPair),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Permute: fc.record({
    config: fc.record({
      layer: fc.constant('Permute' as const),
      // Mostly permutations of 1..n; sometimes a list with a repeat or a gap.
      dims: fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .integer({ min: 1, max: 3 })
            .chain((n) => fc.shuffledSubarray([1, 2, 3].slice(0, n), { minLength: n })),
        },
        { weight: 1, arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }) },
      ),
    }),
    inputs: one(anyInput),
  }),
  RepeatVector: fc.record({
    config: fc.record({ layer: fc.constant('RepeatVector' as const), n: fc.integer({ min: 1, max: 5 }) }),
    inputs: one(anyInput),
  }),
  Conv2DTranspose: fc.record({
    config: fc.record({
      layer: fc.constant('Conv2DTranspose' as const),
      filters: fc.integer({ min: 1, max: 6 }),
      kernel: window,
      strides: fc.oneof(fc.constant(1), window),
      padding,
      outputPadding: fc.option(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.tuple(fc.nat(2), fc.nat(2))), {
        nil: undefined,
        freq: 2,
      }),
      dilation: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: window }),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  Conv3D: fc.record({
    config: fc.record({
      layer: fc.constant('Conv3D' as const),
      filters: fc.integer({ min: 1, max: 4 }),
      kernel: fc.oneof(small, fc.tuple(small, small, small)),
      strides: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 }), fc.tuple(small, small, small)),
      padding,
      groups: fc.constantFrom(1, 1, 2),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  SeparableConvolutions: fc.record({
    config: fc.record({
      layer: fc.constantFrom('DepthwiseConv2D' as const, 'SeparableConv2D' as const),
      filters: fc.integer({ min: 1, max: 6 }),
      kernel: window,
      strides: fc.oneof(fc.constant(1), window),
      padding,
      depthMultiplier: fc.integer({ min: 1, max: 3 }),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  LayerNormalization: fc.record({
    config: fc.record({
      layer: fc.constant('LayerNormalization' as const),
      axis: fc.oneof(
        fc.integer({ min: -3, max: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
      ),
      center: fc.boolean(),
      scale: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Activations: fc.record({
    config: fc.oneof(
      fc.record({
        layer: fc.constant('ReLU' as const),
        maxValue: fc.option(fc.constantFrom(1, 6), { nil: undefined }),
        negativeSlope: fc.constantFrom(0, 0.1),
        threshold: fc.constantFrom(0, 0.5),
      }),
      fc.record({ layer: fc.constant('LeakyReLU' as const), negativeSlope: fc.constantFrom(0.3, 0.01) }),
      fc.record({ layer: fc.constant('ELU' as const), alpha: fc.constantFrom(1, 0.5) }),
      fc.record({ layer: fc.constant('Softmax' as const), axis: fc.integer({ min: -3, max: 3 }) }),
      fc.record({
        layer: fc.constant('PReLU' as const),
        sharedAxes: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      }),
    ),
    inputs: one(anyInput),
  }),
  Concatenate: fc
    .tuple(
      shapeOfRank(1, 3),
      fc.integer({ min: 2, max: 3 }),
      fc.integer({ min: -3, max: 3 }),
      fc.array(fc.tuple(fc.nat(2), dim), { maxLength: 3 }),
    )
    .map(([base, count, axis, edits]): Case => {
      // Inputs share the base shape, then a few dimensions are changed: sometimes on the axis, sometimes not.
      const inputs = Array.from({ length: count }, (_, input) =>
        base.map((size, position) => edits.find(([target]) => target === position && input > 0)?.[1] ?? size),
      );
      return { config: { layer: 'Concatenate', axis }, inputs: inputs.map((shape) => ({ shape, dtype: 'float32' })) };
    }),
  Elementwise: fc
    .tuple(
      fc.constantFrom('Add' as const, 'Multiply' as const, 'Average' as const, 'Maximum' as const, 'Minimum' as const),
      shapeOfRank(1, 3),
      fc.integer({ min: 2, max: 3 }),
      fc.option(fc.tuple(fc.nat(2), dim), { nil: undefined }),
    )
    .map(([layer, base, count, edit]): Case => {
      const inputs = Array.from({ length: count }, (_, input) =>
        base.map((size, position) =>
          edit !== undefined && edit[0] === position && input === count - 1 ? edit[1] : size,
        ),
      );
      return { config: { layer }, inputs: inputs.map((shape) => ({ shape, dtype: 'float32' })) };
    }),
  Dot: fc
    .tuple(
      shapeOfRank(1, 3),
      shapeOfRank(1, 3),
      fc.oneof(
        fc.integer({ min: -3, max: 3 }),
        fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })),
      ),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([first, second, axes, normalize, align]): Case => {
      // Half the time the summed sizes are made equal, so that success is exercised too.
      const [axis0, axis1] = typeof axes === 'number' ? [axes, axes] : axes;
      const at = (shape: Dim[], axis: number) => (axis < 0 ? shape.length + axis : axis - 1);
      const [index0, index1] = [at(first, axis0), at(second, axis1)];
      const aligned =
        align && index1 >= 0 && index1 < second.length && index0 >= 0 && index0 < first.length
          ? second.map((size, index) => (index === index1 ? (first[index0] ?? null) : size))
          : second;
      return {
        config: { layer: 'Dot', axes, normalize },
        inputs: [first, aligned].map((shape) => ({ shape, dtype: 'float32' })),
      };
    }),
  GroupNormalization: fc.record({
    config: fc.record({
      layer: fc.constant('GroupNormalization' as const),
      groups: fc.constantFrom(1, 2, 3, 4, -1),
      axis: fc.integer({ min: -3, max: 3 }),
      center: fc.boolean(),
      scale: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  UnitNormalization: fc.record({
    config: fc.record({
      layer: fc.constant('UnitNormalization' as const),
      axis: fc.oneof(
        fc.integer({ min: -3, max: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
      ),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Regularization: fc.record({
    config: fc.oneof(
      fc.record({
        layer: fc.constantFrom(
          'SpatialDropout1D' as const,
          'SpatialDropout2D' as const,
          'GaussianDropout' as const,
          'AlphaDropout' as const,
        ),
        rate: fc.constantFrom(0, 0.25, 0.5),
      }),
      fc.record({ layer: fc.constant('GaussianNoise' as const), stddev: fc.constantFrom(0, 0.1, 1) }),
      fc.record({
        layer: fc.constant('ActivityRegularization' as const),
        l1: fc.constantFrom(0, 0.01),
        l2: fc.constantFrom(0, 0.1),
      }),
      fc.record({
        layer: fc.constant('Rescaling' as const),
        scale: fc.constantFrom(1 / 255, 2),
        offset: fc.constantFrom(0, -1),
      }),
      fc.record({ layer: fc.constant('Masking' as const), maskValue: fc.constantFrom(0, -1) }),
    ),
    inputs: one(anyInput),
  }),
  Image: fc.record({
    config: fc.oneof(
      fc.record({ layer: fc.constant('CenterCrop' as const), height: small, width: small }),
      fc.record({
        layer: fc.constant('Resizing' as const),
        height: small,
        width: small,
        interpolation: fc.constantFrom('bilinear' as const, 'nearest' as const),
        cropToAspectRatio: fc.boolean(),
      }),
    ),
    inputs: one(float(shapeOfRank(2, 4))),
  }),
  // Catalog part B (issue 10): the 1D transposed and separable convolutions, and the 3D layers.
  Conv1DTranspose: fc.record({
    config: fc.record({
      layer: fc.constant('Conv1DTranspose' as const),
      filters: fc.integer({ min: 1, max: 6 }),
      kernel: small,
      strides: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })),
      padding,
      outputPadding: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined, freq: 2 }),
      dilation: fc.oneof(
        { weight: 3, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  SeparableConv1D: fc.record({
    config: fc.record({
      layer: fc.constant('SeparableConv1D' as const),
      filters: fc.integer({ min: 1, max: 6 }),
      kernel: small,
      strides: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })),
      dilation: fc.oneof(
        { weight: 3, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
      padding,
      depthMultiplier: fc.integer({ min: 1, max: 3 }),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(1, 3))),
  }),
  Conv3DTranspose: fc.record({
    config: fc.record({
      layer: fc.constant('Conv3DTranspose' as const),
      filters: fc.integer({ min: 1, max: 4 }),
      kernel: fc.oneof(small, fc.tuple(small, small, small)),
      strides: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 }), fc.tuple(small, small, small)),
      padding,
      outputPadding: fc.option(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2))), {
        nil: undefined,
        freq: 2,
      }),
      dilation: fc.oneof(
        { weight: 4, arbitrary: fc.constant(1) },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.integer({ min: 1, max: 2 }),
            fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)).map(([a, b, c]): Triple => [a + 1, b + 1, c + 1]),
          ),
        },
      ),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  Pooling3D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('MaxPooling3D' as const, 'AveragePooling3D' as const),
      pool: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.tuple(small, small, small)),
      strides: fc.option(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.tuple(small, small, small)), { nil: undefined }),
      padding,
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  GlobalPooling3D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('GlobalMaxPooling3D' as const, 'GlobalAveragePooling3D' as const),
      keepdims: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  Edges3D: fc.record({
    config: fc.record({
      layer: fc.constantFrom('ZeroPadding3D' as const, 'Cropping3D' as const),
      amounts: fc.oneof(amount, fc.tuple(amount, amount, amount), fc.tuple(amountPair, amountPair, amountPair)),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  UpSampling3D: fc.record({
    config: fc.record({
      layer: fc.constant('UpSampling3D' as const),
      size: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.tuple(small, small, small)),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  // Small kernels and filters: the recurrent kernel's default orthogonal initializer is a QR decomposition.
  ConvLSTM2D: fc.record({
    config: fc.record({
      layer: fc.constant('ConvLSTM2D' as const),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: convLSTMKernel,
      strides: fc.oneof(fc.constant(1), window),
      dilation: fc.constant(1),
      padding,
      returnSequences: fc.boolean(),
      useBias: fc.boolean(),
    }),
    inputs: one(float(shapeOfRank(3, 5))),
  }),
  'ConvLSTM2D dilated': fc.record({
    config: fc.record({
      layer: fc.constant('ConvLSTM2D' as const),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: convLSTMKernel,
      strides: fc.constant(1),
      dilation: window,
      padding,
      returnSequences: fc.boolean(),
      useBias: fc.constant(true),
    }),
    inputs: one(float(shapeOfRank(4, 4))),
  }),
};

// --- kerats at run time ------------------------------------------------------------------------------------

/** Builds the case with kerats: the output tensor, or the KeratsError it throws. */
export function buildKerats(testCase: Case): AnyTensor {
  const inputs = testCase.inputs.map((spec) => Input(spec.shape, { dtype: spec.dtype }));
  const [x] = inputs;
  if (x === undefined) throw new Error('a case needs an input');
  const config = testCase.config;
  switch (config.layer) {
    case 'Dense':
      return Dense(config.units, { useBias: config.useBias, ...penalties(config.regularizer, ['kernel', 'bias']) })(x);
    case 'Conv2D':
      return Conv2D(config.filters, config.kernel, {
        strides: config.strides,
        dilationRate: config.dilation,
        padding: config.padding,
        groups: config.groups,
        useBias: config.useBias,
        ...penalties(config.regularizer, ['kernel', 'bias']),
      })(x);
    case 'Conv1D':
      return Conv1D(config.filters, config.kernel, {
        strides: config.strides,
        dilationRate: config.dilation,
        padding: config.padding,
        groups: config.groups,
      })(x);
    case 'MaxPooling2D':
      return MaxPooling2D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'AveragePooling2D':
      return AveragePooling2D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'MaxPooling1D':
      return MaxPooling1D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'AveragePooling1D':
      return AveragePooling1D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'GlobalMaxPooling1D':
      return GlobalMaxPooling1D({ keepdims: config.keepdims })(x);
    case 'GlobalMaxPooling2D':
      return GlobalMaxPooling2D({ keepdims: config.keepdims })(x);
    case 'GlobalAveragePooling1D':
      return GlobalAveragePooling1D({ keepdims: config.keepdims })(x);
    case 'GlobalAveragePooling2D':
      return GlobalAveragePooling2D({ keepdims: config.keepdims })(x);
    case 'Flatten':
      return Flatten()(x);
    case 'Embedding':
      return Embedding(config.inputDim, config.outputDim, penalties(config.regularizer, ['embeddings']))(x);
    case 'LSTM':
      return LSTM(config.units, { returnSequences: config.returnSequences })(x);
    case 'GRU':
      return GRU(config.units, { returnSequences: config.returnSequences, resetAfter: config.resetAfter })(x);
    case 'SimpleRNN':
      return SimpleRNN(config.units, { returnSequences: config.returnSequences })(x);
    case 'Bidirectional': {
      const options = { returnSequences: config.returnSequences };
      const merge = { mergeMode: config.mergeMode };
      return config.inner === 'LSTM'
        ? Bidirectional(LSTM(config.units, options), merge)(x)
        : Bidirectional(GRU(config.units, { ...options, resetAfter: config.resetAfter }), merge)(x);
    }
    case 'TimeDistributed':
      return TimeDistributed(Dense(config.units))(x);
    case 'Reshape':
      return Reshape(config.target)(x);
    case 'BatchNormalization':
      return BatchNormalization({ axis: config.axis, ...penalties(config.regularizer, ['gamma', 'beta']) })(x);
    case 'Dropout':
      return Dropout(config.rate)(x);
    case 'Activation':
      return Activation(config.activation)(x);
    case 'Concatenate':
      return Concatenate({ axis: config.axis })(inputs);
    case 'Add':
      return Add()(inputs);
    case 'Multiply':
      return Multiply()(inputs);
    case 'Average':
      return Average()(inputs);
    case 'Maximum':
      return Maximum()(inputs);
    case 'Minimum':
      return Minimum()(inputs);
    case 'Dot':
      return Dot(config.axes, { normalize: config.normalize })(inputs);
    case 'GroupNormalization':
      return GroupNormalization({
        groups: config.groups,
        axis: config.axis,
        center: config.center,
        scale: config.scale,
      })(x);
    case 'UnitNormalization':
      return UnitNormalization({ axis: config.axis })(x);
    case 'SpatialDropout1D':
      return SpatialDropout1D(config.rate)(x);
    case 'SpatialDropout2D':
      return SpatialDropout2D(config.rate)(x);
    case 'GaussianDropout':
      return GaussianDropout(config.rate)(x);
    case 'AlphaDropout':
      return AlphaDropout(config.rate)(x);
    case 'GaussianNoise':
      return GaussianNoise(config.stddev)(x);
    case 'ActivityRegularization':
      return ActivityRegularization({ l1: config.l1, l2: config.l2 })(x);
    case 'Rescaling':
      return Rescaling(config.scale, { offset: config.offset })(x);
    case 'Masking':
      return Masking({ maskValue: config.maskValue })(x);
    case 'CenterCrop':
      return CenterCrop(config.height, config.width)(x);
    case 'Resizing':
      return Resizing(config.height, config.width, {
        interpolation: config.interpolation,
        cropToAspectRatio: config.cropToAspectRatio,
      })(x);
    case 'UpSampling2D':
      return UpSampling2D(config.size, { interpolation: config.interpolation })(x);
    case 'ZeroPadding2D':
      return ZeroPadding2D(config.amounts)(x);
    case 'Cropping2D':
      return Cropping2D(config.amounts)(x);
    case 'ZeroPadding1D':
      return ZeroPadding1D(config.amounts)(x);
    case 'Cropping1D':
      return Cropping1D(config.amounts)(x);
    case 'Permute':
      return Permute(config.dims)(x);
    case 'RepeatVector':
      return RepeatVector(config.n)(x);
    case 'LayerNormalization':
      return LayerNormalization({ axis: config.axis, center: config.center, scale: config.scale })(x);
    case 'ReLU':
      return ReLU({
        negativeSlope: config.negativeSlope,
        threshold: config.threshold,
        ...(config.maxValue === undefined ? {} : { maxValue: config.maxValue }),
      })(x);
    case 'LeakyReLU':
      return LeakyReLU({ negativeSlope: config.negativeSlope })(x);
    case 'ELU':
      return ELU({ alpha: config.alpha })(x);
    case 'Softmax':
      return Softmax({ axis: config.axis })(x);
    case 'PReLU':
      return PReLU({ sharedAxes: config.sharedAxes })(x);
    case 'Conv3D':
      return Conv3D(config.filters, config.kernel, {
        strides: config.strides,
        padding: config.padding,
        groups: config.groups,
        useBias: config.useBias,
      })(x);
    case 'DepthwiseConv2D':
      return DepthwiseConv2D(config.kernel, {
        strides: config.strides,
        padding: config.padding,
        depthMultiplier: config.depthMultiplier,
        useBias: config.useBias,
      })(x);
    case 'SeparableConv2D':
      return SeparableConv2D(config.filters, config.kernel, {
        strides: config.strides,
        padding: config.padding,
        depthMultiplier: config.depthMultiplier,
        useBias: config.useBias,
      })(x);
    case 'Conv2DTranspose':
      return Conv2DTranspose(config.filters, config.kernel, {
        strides: config.strides,
        padding: config.padding,
        dilationRate: config.dilation,
        useBias: config.useBias,
        ...(config.outputPadding === undefined ? {} : { outputPadding: config.outputPadding }),
      })(x);
    case 'Conv1DTranspose':
      return Conv1DTranspose(config.filters, config.kernel, {
        strides: config.strides,
        padding: config.padding,
        dilationRate: config.dilation,
        useBias: config.useBias,
        ...(config.outputPadding === undefined ? {} : { outputPadding: config.outputPadding }),
      })(x);
    case 'SeparableConv1D':
      return SeparableConv1D(config.filters, config.kernel, {
        strides: config.strides,
        dilationRate: config.dilation,
        padding: config.padding,
        depthMultiplier: config.depthMultiplier,
        useBias: config.useBias,
      })(x);
    case 'Conv3DTranspose':
      return Conv3DTranspose(config.filters, config.kernel, {
        strides: config.strides,
        padding: config.padding,
        dilationRate: config.dilation,
        useBias: config.useBias,
        ...(config.outputPadding === undefined ? {} : { outputPadding: config.outputPadding }),
      })(x);
    case 'MaxPooling3D':
      return MaxPooling3D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'AveragePooling3D':
      return AveragePooling3D(config.pool, {
        padding: config.padding,
        ...(config.strides === undefined ? {} : { strides: config.strides }),
      })(x);
    case 'GlobalMaxPooling3D':
      return GlobalMaxPooling3D({ keepdims: config.keepdims })(x);
    case 'GlobalAveragePooling3D':
      return GlobalAveragePooling3D({ keepdims: config.keepdims })(x);
    case 'ZeroPadding3D':
      return ZeroPadding3D(config.amounts)(x);
    case 'Cropping3D':
      return Cropping3D(config.amounts)(x);
    case 'UpSampling3D':
      return UpSampling3D(config.size)(x);
    case 'ConvLSTM2D':
      return ConvLSTM2D(config.filters, config.kernel, {
        strides: config.strides,
        dilationRate: config.dilation,
        padding: config.padding,
        returnSequences: config.returnSequences,
        useBias: config.useBias,
      })(x);
  }
}

/** The `...Regularizer` options of these weights (and activityRegularizer), each the case's regularizer. */
function penalties<const Weight extends string>(
  regularizer: Penalty,
  weights: readonly Weight[],
): Partial<Record<`${Weight}Regularizer` | 'activityRegularizer', 'l1' | 'l2' | 'l1l2'>> {
  const result: Partial<Record<`${Weight}Regularizer` | 'activityRegularizer', 'l1' | 'l2' | 'l1l2'>> = {};
  if (regularizer === null) return result;
  for (const weight of weights) result[`${weight}Regularizer`] = regularizer;
  result.activityRegularizer = regularizer;
  return result;
}

// --- kerats as source text ---------------------------------------------------------------------------------

const json = (value: unknown): string => JSON.stringify(value);
const options = (entries: Record<string, unknown>): string =>
  json(Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)));

/** The same case as kerats source: an expression whose type is the output tensor. */
export function source(testCase: Case): string {
  const inputs = testCase.inputs.map((spec) => `Input(${json(spec.shape)}, { dtype: '${spec.dtype}' })`);
  const x = inputs[0] ?? '';
  const c = testCase.config;
  switch (c.layer) {
    case 'Dense':
      return `Dense(${c.units}, ${options({ useBias: c.useBias, ...penalties(c.regularizer, ['kernel', 'bias']) })})(${x})`;
    case 'Conv2D':
      return `Conv2D(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, dilationRate: c.dilation, padding: c.padding, groups: c.groups, useBias: c.useBias, ...penalties(c.regularizer, ['kernel', 'bias']) })})(${x})`;
    case 'Conv1D':
      return `Conv1D(${c.filters}, ${c.kernel}, ${options({ strides: c.strides, dilationRate: c.dilation, padding: c.padding, groups: c.groups })})(${x})`;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      return `${c.layer}(${json(c.pool)}, ${options({ strides: c.strides, padding: c.padding })})(${x})`;
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
      return `${c.layer}(${options({ keepdims: c.keepdims })})(${x})`;
    case 'Flatten':
      return `${c.layer}()(${x})`;
    case 'Embedding':
      return `Embedding(${c.inputDim}, ${c.outputDim}, ${options(penalties(c.regularizer, ['embeddings']))})(${x})`;
    case 'LSTM':
    case 'SimpleRNN':
      return `${c.layer}(${c.units}, ${options({ returnSequences: c.returnSequences })})(${x})`;
    case 'GRU':
      return `GRU(${c.units}, ${options({ returnSequences: c.returnSequences, resetAfter: c.resetAfter })})(${x})`;
    case 'Bidirectional': {
      const inner = { returnSequences: c.returnSequences, ...(c.inner === 'GRU' ? { resetAfter: c.resetAfter } : {}) };
      return `Bidirectional(${c.inner}(${c.units}, ${options(inner)}), ${options({ mergeMode: c.mergeMode })})(${x})`;
    }
    case 'TimeDistributed':
      return `TimeDistributed(Dense(${c.units}))(${x})`;
    case 'Reshape':
      return `Reshape(${json(c.target)})(${x})`;
    case 'BatchNormalization':
      return `BatchNormalization(${options({ axis: c.axis, ...penalties(c.regularizer, ['gamma', 'beta']) })})(${x})`;
    case 'Dropout':
      return `Dropout(${c.rate})(${x})`;
    case 'Activation':
      return `Activation('${c.activation}')(${x})`;
    case 'Concatenate':
      return `Concatenate(${options({ axis: c.axis })})([${inputs.join(', ')}])`;
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return `${c.layer}()([${inputs.join(', ')}])`;
    case 'Dot':
      return `Dot(${json(c.axes)}, ${options({ normalize: c.normalize })})([${inputs.join(', ')}])`;
    case 'GroupNormalization':
      return `GroupNormalization(${options({ groups: c.groups, axis: c.axis, center: c.center, scale: c.scale })})(${x})`;
    case 'UnitNormalization':
      return `UnitNormalization(${options({ axis: c.axis })})(${x})`;
    case 'SpatialDropout1D':
    case 'SpatialDropout2D':
    case 'GaussianDropout':
    case 'AlphaDropout':
      return `${c.layer}(${c.rate})(${x})`;
    case 'GaussianNoise':
      return `GaussianNoise(${c.stddev})(${x})`;
    case 'ActivityRegularization':
      return `ActivityRegularization(${options({ l1: c.l1, l2: c.l2 })})(${x})`;
    case 'Rescaling':
      return `Rescaling(${c.scale}, ${options({ offset: c.offset })})(${x})`;
    case 'Masking':
      return `Masking(${options({ maskValue: c.maskValue })})(${x})`;
    case 'CenterCrop':
      return `CenterCrop(${c.height}, ${c.width})(${x})`;
    case 'Resizing':
      return `Resizing(${c.height}, ${c.width}, ${options({ interpolation: c.interpolation, cropToAspectRatio: c.cropToAspectRatio })})(${x})`;
    case 'UpSampling2D':
      return `UpSampling2D(${json(c.size)}, ${options({ interpolation: c.interpolation })})(${x})`;
    case 'ZeroPadding2D':
    case 'Cropping2D':
    case 'ZeroPadding1D':
    case 'Cropping1D':
      return `${c.layer}(${json(c.amounts)})(${x})`;
    case 'Permute':
      return `Permute(${json(c.dims)})(${x})`;
    case 'RepeatVector':
      return `RepeatVector(${c.n})(${x})`;
    case 'LayerNormalization':
      return `LayerNormalization(${options({ axis: c.axis, center: c.center, scale: c.scale })})(${x})`;
    case 'ReLU':
      return `ReLU(${options({ maxValue: c.maxValue, negativeSlope: c.negativeSlope, threshold: c.threshold })})(${x})`;
    case 'LeakyReLU':
      return `LeakyReLU(${options({ negativeSlope: c.negativeSlope })})(${x})`;
    case 'ELU':
      return `ELU(${options({ alpha: c.alpha })})(${x})`;
    case 'Softmax':
      return `Softmax(${options({ axis: c.axis })})(${x})`;
    case 'PReLU':
      return `PReLU(${options({ sharedAxes: c.sharedAxes })})(${x})`;
    case 'Conv3D':
      return `Conv3D(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding, groups: c.groups, useBias: c.useBias })})(${x})`;
    case 'DepthwiseConv2D':
      return `DepthwiseConv2D(${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding, depthMultiplier: c.depthMultiplier, useBias: c.useBias })})(${x})`;
    case 'SeparableConv2D':
      return `SeparableConv2D(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding, depthMultiplier: c.depthMultiplier, useBias: c.useBias })})(${x})`;
    case 'Conv2DTranspose':
      return `Conv2DTranspose(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding, outputPadding: c.outputPadding, dilationRate: c.dilation, useBias: c.useBias })})(${x})`;
    case 'Conv1DTranspose':
    case 'Conv3DTranspose':
      return `${c.layer}(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, padding: c.padding, outputPadding: c.outputPadding, dilationRate: c.dilation, useBias: c.useBias })})(${x})`;
    case 'SeparableConv1D':
      return `SeparableConv1D(${c.filters}, ${c.kernel}, ${options({ strides: c.strides, dilationRate: c.dilation, padding: c.padding, depthMultiplier: c.depthMultiplier, useBias: c.useBias })})(${x})`;
    case 'MaxPooling3D':
    case 'AveragePooling3D':
      return `${c.layer}(${json(c.pool)}, ${options({ strides: c.strides, padding: c.padding })})(${x})`;
    case 'GlobalMaxPooling3D':
    case 'GlobalAveragePooling3D':
      return `${c.layer}(${options({ keepdims: c.keepdims })})(${x})`;
    case 'ZeroPadding3D':
    case 'Cropping3D':
      return `${c.layer}(${json(c.amounts)})(${x})`;
    case 'UpSampling3D':
      return `UpSampling3D(${json(c.size)})(${x})`;
    case 'ConvLSTM2D':
      return `ConvLSTM2D(${c.filters}, ${json(c.kernel)}, ${options({ strides: c.strides, dilationRate: c.dilation, padding: c.padding, returnSequences: c.returnSequences, useBias: c.useBias })})(${x})`;
  }
}

// --- plain tfjs-layers -------------------------------------------------------------------------------------

// Cheap initializers: the tests compare shapes and parameter counts, and LSTM's default orthogonal
// initializer costs milliseconds per layer.
const cheap = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
const cheapRecurrent = { ...cheap, recurrentInitializer: 'zeros' } as const;

/** tfjs's regularizer arguments for these weights, with Keras's factors (tfjs has no activity regularizer). */
function tfjsPenalties<const Weight extends string>(
  regularizer: Penalty,
  weights: readonly Weight[],
): Partial<Record<`${Weight}Regularizer`, ReturnType<typeof tf.regularizers.l1l2>>> {
  const result: Partial<Record<`${Weight}Regularizer`, ReturnType<typeof tf.regularizers.l1l2>>> = {};
  if (regularizer === null) return result;
  const factors = { l1: { l1: 0.01, l2: 0 }, l2: { l1: 0, l2: 0.01 }, l1l2: { l1: 0, l2: 0 } }[regularizer];
  for (const weight of weights) result[`${weight}Regularizer`] = tf.regularizers.l1l2(factors);
  return result;
}

function tfjsLayer(c: LayerCase): tf.layers.Layer {
  switch (c.layer) {
    case 'Dense':
      return tf.layers.dense({
        units: c.units,
        useBias: c.useBias,
        ...cheap,
        ...tfjsPenalties(c.regularizer, ['kernel', 'bias']),
      });
    case 'Conv2D':
      return tf.layers.conv2d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        dilationRate: c.dilation,
        padding: c.padding,
        useBias: c.useBias,
        ...cheap,
        ...tfjsPenalties(c.regularizer, ['kernel', 'bias']),
      });
    case 'Conv1D':
      return tf.layers.conv1d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        dilationRate: c.dilation,
        padding: c.padding,
        ...cheap,
      });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'AveragePooling2D':
      return tf.layers.averagePooling2d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'MaxPooling1D':
      return tf.layers.maxPooling1d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'AveragePooling1D':
      return tf.layers.averagePooling1d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'GlobalMaxPooling1D':
      return tf.layers.globalMaxPooling1d({});
    case 'GlobalMaxPooling2D':
      return tf.layers.globalMaxPooling2d({});
    case 'GlobalAveragePooling1D':
      return tf.layers.globalAveragePooling1d({});
    case 'GlobalAveragePooling2D':
      return tf.layers.globalAveragePooling2d({});
    case 'Flatten':
      return tf.layers.flatten();
    case 'Embedding':
      return tf.layers.embedding({
        inputDim: c.inputDim,
        outputDim: c.outputDim,
        embeddingsInitializer: 'zeros',
        ...tfjsPenalties(c.regularizer, ['embeddings']),
      });
    case 'LSTM':
      return tf.layers.lstm({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'GRU':
      return tf.layers.gru({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'SimpleRNN':
      return tf.layers.simpleRNN({ units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent });
    case 'Bidirectional': {
      const args = { units: c.units, returnSequences: c.returnSequences, ...cheapRecurrent };
      return tf.layers.bidirectional({
        layer: c.inner === 'LSTM' ? tf.layers.lstm(args) : tf.layers.gru(args),
        mergeMode: c.mergeMode,
      });
    }
    case 'TimeDistributed':
      return tf.layers.timeDistributed({ layer: tf.layers.dense({ units: c.units, ...cheap }) });
    case 'Reshape':
      return tf.layers.reshape({ targetShape: [...c.target] });
    case 'BatchNormalization':
      return tf.layers.batchNormalization({ axis: c.axis, ...tfjsPenalties(c.regularizer, ['gamma', 'beta']) });
    case 'Dropout':
      return tf.layers.dropout({ rate: c.rate });
    case 'Activation':
      return tf.layers.activation({ activation: c.activation });
    case 'Concatenate':
      return tf.layers.concatenate({ axis: c.axis });
    case 'Add':
      return tf.layers.add();
    case 'Multiply':
      return tf.layers.multiply();
    case 'Average':
      return tf.layers.average();
    case 'Maximum':
      return tf.layers.maximum();
    case 'Minimum':
      return tf.layers.minimum();
    case 'Dot':
      return tf.layers.dot({ axes: c.axes, normalize: c.normalize });
    case 'SpatialDropout1D':
      return tf.layers.spatialDropout1d({ rate: c.rate });
    case 'GaussianDropout':
      return tf.layers.gaussianDropout({ rate: c.rate });
    case 'AlphaDropout':
      return tf.layers.alphaDropout({ rate: c.rate });
    case 'GaussianNoise':
      return tf.layers.gaussianNoise({ stddev: c.stddev });
    case 'Rescaling':
      return tf.layers.rescaling({ scale: c.scale, offset: c.offset });
    case 'Masking':
      return tf.layers.masking({ maskValue: c.maskValue });
    case 'CenterCrop':
      return tf.layers.centerCrop({ height: c.height, width: c.width });
    case 'GroupNormalization':
    case 'UnitNormalization':
    case 'SpatialDropout2D':
    case 'ActivityRegularization':
    case 'Resizing':
      throw new Error(`${c.layer}: compared with Keras's rule restated (kerasReference)`);
    case 'UpSampling2D':
      return tf.layers.upSampling2d({ size: pair(c.size), interpolation: c.interpolation });
    case 'ZeroPadding2D':
      return tf.layers.zeroPadding2d({ padding: c.amounts });
    case 'Cropping2D':
      return tf.layers.cropping2D({ cropping: c.amounts });
    case 'ZeroPadding1D':
    case 'Cropping1D':
      throw new Error(`tfjs-layers has no ${c.layer}`);
    case 'Permute':
      return tf.layers.permute({ dims: [...c.dims] });
    case 'RepeatVector':
      return tf.layers.repeatVector({ n: c.n });
    case 'LayerNormalization':
      return tf.layers.layerNormalization({
        axis: typeof c.axis === 'number' ? c.axis : [...c.axis],
        center: c.center,
        scale: c.scale,
      });
    case 'ReLU':
      // tfjs's ReLU has only maxValue; the shape rule is the same.
      return tf.layers.reLU(c.maxValue === undefined ? {} : { maxValue: c.maxValue });
    case 'LeakyReLU':
      return tf.layers.leakyReLU({ alpha: c.negativeSlope });
    case 'ELU':
      // tfjs's ELU refuses an alpha other than 1 ("not supported yet"); the shape rule does not depend on it.
      return tf.layers.elu({});
    case 'Softmax':
      return tf.layers.softmax({ axis: c.axis });
    case 'PReLU':
      return tf.layers.prelu(c.sharedAxes.length === 0 ? {} : { sharedAxes: [...c.sharedAxes] });
    case 'Conv3D':
      return tf.layers.conv3d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        useBias: c.useBias,
        ...cheap,
      });
    case 'DepthwiseConv2D':
      return tf.layers.depthwiseConv2d({
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        depthMultiplier: c.depthMultiplier,
        useBias: c.useBias,
        depthwiseInitializer: 'zeros',
        biasInitializer: 'zeros',
      });
    case 'SeparableConv2D':
      return tf.layers.separableConv2d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        depthMultiplier: c.depthMultiplier,
        useBias: c.useBias,
        depthwiseInitializer: 'zeros',
        pointwiseInitializer: 'zeros',
        biasInitializer: 'zeros',
      });
    case 'Conv3DTranspose':
      // tfjs's has neither outputPadding nor dilation either: those cases are compared with kerats' lowering only.
      return tf.layers.conv3dTranspose({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        useBias: c.useBias,
        ...cheap,
      });
    case 'MaxPooling3D':
      return tf.layers.maxPooling3d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'AveragePooling3D':
      return tf.layers.averagePooling3d({
        poolSize: c.pool,
        padding: c.padding,
        ...(c.strides === undefined ? {} : { strides: c.strides }),
      });
    case 'ConvLSTM2D':
      return tf.layers.convLstm2d({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        dilationRate: c.dilation,
        padding: c.padding,
        returnSequences: c.returnSequences,
        useBias: c.useBias,
        ...cheapRecurrent,
      });
    case 'Conv1DTranspose':
    case 'SeparableConv1D':
    case 'GlobalMaxPooling3D':
    case 'GlobalAveragePooling3D':
    case 'ZeroPadding3D':
    case 'Cropping3D':
    case 'UpSampling3D':
      throw new Error(`tfjs-layers has no ${c.layer}: compared with Keras's rule restated (kerasReference)`);
    case 'Conv2DTranspose':
      // tfjs's has neither outputPadding nor dilation: those cases are compared with kerats' lowering only.
      return tf.layers.conv2dTranspose({
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        useBias: c.useBias,
        ...cheap,
      });
  }
}

const pair = (size: Window): [number, number] => (typeof size === 'number' ? [size, size] : size);

/**
 * tfjs-layers has no ZeroPadding1D or Cropping1D: the reference is Keras 3's compute_output_shape
 * (keras/src/layers/reshaping/zero_padding1d.py, cropping1d.py), restated here for [steps, channels].
 */
function kerasEdges1D(c: LayerCase, inputs: readonly TensorSpec[]): TfjsResult | undefined {
  if (c.layer !== 'ZeroPadding1D' && c.layer !== 'Cropping1D') return undefined;
  const shape = inputs[0]?.shape ?? [];
  if (shape.length !== 2) return { ok: false, error: 'expected ndim=3' };
  const [start, end] = typeof c.amounts === 'number' ? [c.amounts, c.amounts] : c.amounts;
  const [steps = null, channels = null] = shape;
  if (steps === null) return { ok: true, shape: [null, channels], params: 0 };
  if (c.layer === 'ZeroPadding1D') return { ok: true, shape: [steps + start + end, channels], params: 0 };
  return steps > start + end
    ? { ok: true, shape: [steps - start - end, channels], params: 0 }
    : { ok: false, error: 'cropping must be smaller than the steps' };
}

const axisAt = (axis: number, rank: number): number | undefined =>
  axis < 0 ? (-axis > rank ? undefined : rank + axis) : axis === 0 || axis > rank ? undefined : axis - 1;

/**
 * Keras 3's compute_output_shape and parameter counts, restated for [..] without the batch, where tfjs-layers lacks
 * the layer (GroupNormalization, UnitNormalization, SpatialDropout2D, ActivityRegularization) or states another rule:
 * tfjs's Resizing returns [height, width, the input's width] without the batch; tfjs's Dot stops at rank 3 with the
 * batch and refuses an unknown summed size, which Keras's compute_output_shape (keras/src/layers/merging/dot.py)
 * does not look at. Sources: keras/src/layers/normalization/group_normalization.py (build: dim known, dim % groups
 * == 0, gamma and beta of (dim,)), unit_normalization.py, regularization/spatial_dropout.py (input ndim 4),
 * regularization/activity_regularization.py, preprocessing/image_preprocessing/resizing.py.
 */
function kerasReference(c: LayerCase, inputs: readonly TensorSpec[]): TfjsResult | undefined {
  const shape = inputs[0]?.shape ?? [];
  const same: TfjsResult = { ok: true, shape, params: 0 };
  switch (c.layer) {
    case 'GroupNormalization': {
      const index = axisAt(c.axis, shape.length);
      const size = index === undefined ? undefined : shape[index];
      if (size === undefined) return { ok: false, error: 'axis out of bounds' };
      if (size === null) return { ok: false, error: 'the axis must have a defined dimension' };
      const groups = c.groups === -1 ? size : c.groups;
      if (size % groups !== 0) return { ok: false, error: 'groups must divide the channels' };
      return { ok: true, shape, params: (Number(c.center) + Number(c.scale)) * size };
    }
    case 'UnitNormalization': {
      const axes = typeof c.axis === 'number' ? [c.axis] : c.axis;
      return axes.every((axis) => axisAt(axis, shape.length) !== undefined)
        ? same
        : { ok: false, error: 'axis out of bounds' };
    }
    case 'SpatialDropout2D':
      return shape.length === 3 ? same : { ok: false, error: 'expected ndim=4' };
    case 'ActivityRegularization':
      return same;
    case 'Resizing': {
      const [, , channels] = shape;
      return shape.length === 3 && channels !== undefined
        ? { ok: true, shape: [c.height, c.width, channels], params: 0 }
        : { ok: false, error: 'expected rank 4' };
    }
    case 'Dot': {
      const [first = [], second = []] = inputs.map((input) => input.shape);
      const [axis0, axis1] = typeof c.axes === 'number' ? [c.axes, c.axes] : c.axes;
      const [index0, index1] = [axisAt(axis0, first.length), axisAt(axis1, second.length)];
      if (index0 === undefined || index1 === undefined) return undefined;
      const [size0, size1] = [first[index0] ?? null, second[index1] ?? null];
      if (first.length <= 2 && second.length <= 2 && size0 !== null && size1 !== null) return undefined;
      if (size0 !== null && size1 !== null && size0 !== size1) return { ok: false, error: 'incompatible sizes' };
      const out = [...first.filter((_, index) => index !== index0), ...second.filter((_, index) => index !== index1)];
      return { ok: true, shape: out.length === 0 ? [1] : out, params: 0 };
    }
    case 'Conv1DTranspose':
    case 'SeparableConv1D':
      return kerasConv1D(c, shape);
    case 'GlobalMaxPooling3D':
    case 'GlobalAveragePooling3D': {
      const channels = shape[3];
      if (shape.length !== 4 || channels === undefined) return { ok: false, error: 'expected ndim=5' };
      return { ok: true, shape: c.keepdims ? [1, 1, 1, channels] : [channels], params: 0 };
    }
    case 'ZeroPadding3D':
    case 'Cropping3D':
    case 'UpSampling3D': {
      if (shape.length !== 4) return { ok: false, error: 'expected ndim=5' };
      const edges = c.layer === 'UpSampling3D' ? [] : edges3D(c.amounts);
      const sizes = shape.map((size, axis) => {
        if (size === null || axis === 3) return size;
        if (c.layer === 'UpSampling3D') return size * (triple(c.size)[axis] ?? 1);
        const [before = 0, after = 0] = edges[axis] ?? [];
        return c.layer === 'ZeroPadding3D' ? size + before + after : size - before - after;
      });
      return sizes.some((size) => size !== null && size <= 0)
        ? { ok: false, error: 'cropping must be smaller than the input' }
        : { ok: true, shape: sizes, params: 0 };
    }
    default:
      return undefined;
  }
}

const triple = (size: Window3D): Triple => (typeof size === 'number' ? [size, size, size] : size);

function edges3D(amounts: Edges3D): [number, number][] {
  if (typeof amounts === 'number') return [0, 1, 2].map(() => [amounts, amounts]);
  return amounts.map((amount): [number, number] => (typeof amount === 'number' ? [amount, amount] : amount));
}

/**
 * Keras 3's Conv1DTranspose and SeparableConv1D on [steps, channels] (tfjs-layers has neither): the channels must
 * be known (they size the kernel); strides and dilation cannot both exceed 1 and outputPadding must be below the
 * strides (keras/src/layers/convolutional/base_conv.py, base_conv_transpose.py); the transposed size is
 * _get_output_shape_given_tf_padding (keras/src/backend/common/backend_utils.py), the separable one
 * compute_conv_output_shape (keras/src/ops/operation_utils.py), which refuses a size below 1. Parameters:
 * kernel * filters * channels (+ filters), and depthwise kernel * channels * multiplier + pointwise channels *
 * multiplier * filters (+ filters) (base_separable_conv.py).
 */
function kerasConv1D(c: LayerCase, shape: readonly Dim[]): TfjsResult {
  if (c.layer !== 'Conv1DTranspose' && c.layer !== 'SeparableConv1D') return { ok: false, error: 'not a 1D conv' };
  if (c.strides > 1 && c.dilation > 1) return { ok: false, error: 'strides > 1 with dilation_rate > 1' };
  if (c.layer === 'Conv1DTranspose' && c.outputPadding !== undefined && c.outputPadding >= c.strides)
    return { ok: false, error: 'output_padding must be strictly less than strides' };
  const [steps, channels] = shape;
  if (shape.length !== 2 || steps === undefined || channels === undefined)
    return { ok: false, error: 'expected ndim=3' };
  if (channels === null) return { ok: false, error: 'the channel dimension must be defined' };
  const span = (c.kernel - 1) * c.dilation + 1;
  const bias = c.useBias ? c.filters : 0;
  if (c.layer === 'Conv1DTranspose') {
    const op = c.outputPadding;
    const size =
      steps === null
        ? null
        : c.padding === 'valid'
          ? (steps - 1) * c.strides + span + (op ?? Math.max(span, c.strides) - span)
          : op === undefined
            ? steps * c.strides
            : (steps - 1) * c.strides + (span % 2) + op;
    if (size !== null && size < 1) return { ok: false, error: `silently built [${size}]` };
    return { ok: true, shape: [size, c.filters], params: c.kernel * c.filters * channels + bias };
  }
  const size =
    steps === null
      ? null
      : c.padding === 'same'
        ? Math.ceil(steps / c.strides)
        : Math.floor((steps - span) / c.strides) + 1;
  if (size !== null && size < 1) return { ok: false, error: 'computed output size would be negative' };
  const params = c.kernel * channels * c.depthMultiplier + channels * c.depthMultiplier * c.filters + bias;
  return { ok: true, shape: [size, c.filters], params };
}

/**
 * tfjs's output shape as Keras states it, where the two differ in form: tfjs's global pools have no keepdims
 * (Keras's keepdims result is theirs with the pooled axes kept as 1: keras/src/layers/pooling/
 * base_global_pooling.py); tfjs's Cropping2D computes an unknown size minus the crop as a number (Keras keeps None:
 * keras/src/layers/reshaping/cropping2d.py).
 */
function asKeras({ config: c, inputs }: Case, shape: readonly Dim[]): readonly Dim[] {
  if (c.layer === 'Cropping2D')
    return shape.map((dim, axis) => (axis > 0 && inputs[0]?.shape[axis - 1] === null ? null : dim));
  if (!('keepdims' in c) || !c.keepdims) return shape;
  const [batch = null, ...rest] = shape;
  const spatial = c.layer.endsWith('1D') ? 1 : 2;
  return [batch, ...Array.from({ length: spatial }, () => 1), ...rest];
}

export type TfjsResult =
  | { readonly ok: true; readonly shape: readonly Dim[]; readonly params: number }
  | { readonly ok: false; readonly error: string };

/**
 * The parameters Keras's GRU has and tfjs's lacks: with reset_after (Keras 3's default), the recurrent kernel's bias
 * of 3 * units (keras/src/layers/rnn/gru.py, GRUCell.build: bias (2, 3 * units)); tfjs's GRUCell refuses
 * reset_after, so its GRU is Keras's reset_after=False one, with a bias of 3 * units only.
 */
function recurrentBias(c: LayerCase): number {
  if (c.layer === 'GRU') return c.resetAfter ? 3 * c.units : 0;
  if (c.layer === 'Bidirectional' && c.inner === 'GRU') return c.resetAfter ? 2 * 3 * c.units : 0;
  return 0;
}

/** The convolutions whose groups a case may set (tfjs-layers has none: its layer is built with groups 1). */
function grouped(c: LayerCase): (LayerCase & { readonly layer: 'Conv1D' | 'Conv2D' | 'Conv3D' }) | undefined {
  return c.layer === 'Conv1D' || c.layer === 'Conv2D' || c.layer === 'Conv3D' ? c : undefined;
}

/**
 * Keras 3's checks of groups (keras/src/layers/convolutional/base_conv.py: filters % groups in __init__, the input's
 * channels % groups in build), which tfjs-layers does not make; where they pass, tfjs builds the shape.
 */
function kerasGroups(c: LayerCase, inputs: readonly TensorSpec[]): TfjsResult | undefined {
  const conv = grouped(c);
  if (conv === undefined || conv.groups === 1) return undefined;
  if (conv.filters % conv.groups !== 0) return { ok: false, error: 'filters must be divisible by groups' };
  const channels = inputs[0]?.shape.at(-1) ?? null;
  if (channels !== null && channels % conv.groups !== 0)
    return { ok: false, error: 'input channels must be divisible by groups' };
  return undefined;
}

/**
 * What tfjs's kernel (kernel_size + (channels, filters)) counts beyond Keras's grouped one (kernel_size +
 * (channels / groups, filters)): prod(kernel) * filters * (channels - channels / groups).
 */
function ungroupedKernel(c: LayerCase, inputs: readonly TensorSpec[]): number {
  const conv = grouped(c);
  if (conv === undefined || conv.groups === 1) return 0;
  const channels = inputs[0]?.shape.at(-1) ?? 0;
  const sizes = typeof conv.kernel === 'number' ? [conv.kernel] : conv.kernel;
  const spatial = inputs[0] === undefined ? sizes.length : inputs[0].shape.length - 1;
  const kernel = (sizes.length === 1 ? Array.from({ length: spatial }, () => sizes[0] ?? 1) : sizes).reduce(
    (product, size) => product * size,
    1,
  );
  return kernel * conv.filters * ((channels ?? 0) - (channels ?? 0) / conv.groups);
}

/** Builds the case in plain tfjs. A shape with a size below 1 (tfjs builds `[0, 0, 8]` silently) counts as a rejection. */
export function buildTfjs(testCase: Case): TfjsResult {
  const reference =
    kerasEdges1D(testCase.config, testCase.inputs) ??
    kerasReference(testCase.config, testCase.inputs) ??
    kerasGroups(testCase.config, testCase.inputs);
  if (reference !== undefined) return reference;
  let layer: tf.layers.Layer;
  try {
    layer = tfjsLayer(testCase.config);
  } catch (error) {
    // A configuration tfjs refuses when the layer is made (Permute of [1, 1]).
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const inputs = testCase.inputs.map((spec) => tf.input({ shape: [...spec.shape], dtype: spec.dtype }));
    const output = layer.apply(inputs.length === 1 ? (inputs[0] ?? []) : inputs);
    const shape = output instanceof tf.SymbolicTensor ? asKeras(testCase, output.shape) : undefined;
    if (shape === undefined) return { ok: false, error: 'no single output' };
    const [, ...dims] = shape;
    if (dims.some((size) => size !== null && !(size >= 1)))
      return { ok: false, error: `silently built [${dims.join(', ')}]` };
    const params =
      layer.countParams() + recurrentBias(testCase.config) - ungroupedKernel(testCase.config, testCase.inputs);
    return { ok: true, shape: dims, params };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    // A layer that failed before it was called has nothing to dispose, and says so by throwing.
    if (layer.inboundNodes.length > 0) layer.dispose();
  }
}
