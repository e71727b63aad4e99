// Wiring mistakes and invalid options that kerats rejects at compile time, each with the message the compiler
// shows. Each body is wrapped in expectError (tsd proves it fails) and registered with its message (vitest
// checks the compiler's text and the runtime's).
import { expectError } from 'tsd';
import {
  Activation,
  ActivityRegularization,
  Add,
  AlphaDropout,
  type AnyTensor,
  Average,
  AveragePooling1D,
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
  concatenate,
  Dense,
  DepthwiseConv2D,
  Dot,
  Dropout,
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
  Model,
  Multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  Reshape,
  Resizing,
  SeparableConv1D,
  SeparableConv2D,
  Sequential,
  Softmax,
  SpatialDropout1D,
  SpatialDropout2D,
  type SymbolicTensor,
  TimeDistributed,
  UnitNormalization,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
} from '../src/index.ts';
import { mustNotCompile } from './corpus.ts';

// --- Concatenate -------------------------------------------------------------------------------------------
mustNotCompile(
  'Concatenate: inputs disagree on axis 1: [31, 31, 32] vs [30, 30, 16] (only axis -1 may differ; Flatten first?)',
  () => {
    // The shared-input seed without its Flatten layers.
    const x = Input([64, 64, 3]);
    const pool1 = MaxPooling2D([2, 2])(Conv2D(32, [3, 3])(x));
    const pool2 = MaxPooling2D([2, 2])(Conv2D(16, [5, 5])(x));
    return expectError(Concatenate()([pool1, pool2]));
  },
);
mustNotCompile('Concatenate: inputs disagree in rank: [2, 5] (rank 2) vs [10] (rank 1); Flatten first?', () =>
  expectError(Concatenate()([Input([2, 5]), Input([10])])),
);
mustNotCompile(
  'Concatenate: axis 3 does not exist for inputs of rank 2 like [2, 5]; use 1..2 or -2..-1 (axis 0 is the batch)',
  () => expectError(Concatenate({ axis: 3 })([Input([2, 5]), Input([3, 5])])),
);
mustNotCompile(
  'Concatenate: axis 0 does not exist for inputs of rank 1 like [8]; use 1..1 or -1..-1 (axis 0 is the batch)',
  () => expectError(Concatenate({ axis: 0 })([Input([8]), Input([8])])),
);
mustNotCompile('Concatenate: expects at least 2 inputs, got 1', () => expectError(Concatenate()([Input([8])])));
mustNotCompile(
  'Concatenate: inputs disagree on axis 2: [4, 5] vs [4, 6] (only axis 1 may differ; Flatten first?)',
  () => expectError(Concatenate({ axis: 1 })([Input([4, 5]), Input([4, 6])])),
);

// --- Convolutions and pools --------------------------------------------------------------------------------
mustNotCompile(
  'Conv2D: expects input of rank 3 [height, width, channels], got [64] (rank 1); Reshape to [height, width, channels] first?',
  () => expectError(Conv2D(8, 3)(Input([64]))),
);
mustNotCompile(
  'Conv2D: expects input of rank 3 [height, width, channels], got [28, 28] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(Conv2D(8, 3)(Input([28, 28]))),
);
mustNotCompile(
  "Conv2D: kernel size 5 spans 5 steps on axis 1, but the input [3, 3, 1] has 3; use padding: 'same' or a smaller kernel",
  () => expectError(Conv2D(8, [5, 5])(Input([3, 3, 1]))),
);
mustNotCompile(
  "Conv2D: kernel size 3 spans 9 steps on axis 2, but the input [16, 8, 1] has 8; use padding: 'same' or a smaller kernel",
  () => expectError(Conv2D(8, 3, { dilationRate: 4 })(Input([16, 8, 1]))),
);
mustNotCompile(
  "MaxPooling2D: pool size 2 spans 2 steps on axis 1, but the input [1, 1, 32] has 1; use padding: 'same' or a smaller pool",
  () => {
    // The CNN seed on 20x20 images: the third pool has nothing left to pool.
    const conv3 = Conv2D(32, 3)(MaxPooling2D(2)(Conv2D(32, 3)(MaxPooling2D(2)(Conv2D(16, 5)(Input([20, 20, 3]))))));
    return expectError(MaxPooling2D([2, 2])(conv3));
  },
);
mustNotCompile('Conv2D: axis -1 of the input [32, 32, null] must be known (it sizes the kernel)', () =>
  expectError(Conv2D(8, 3)(Input([32, 32, null]))),
);
mustNotCompile(
  'Conv1D: expects input of rank 2 [steps, channels], got [10, 8, 4] (rank 3); Reshape to [steps, channels] first?',
  () => expectError(Conv1D(8, 3)(Input([10, 8, 4]))),
);
mustNotCompile(
  "MaxPooling1D: pool size 8 spans 8 steps on axis 1, but the input [5, 3] has 5; use padding: 'same' or a smaller pool",
  () => expectError(MaxPooling1D(8)(Input([5, 3]))),
);
mustNotCompile(
  'GlobalAveragePooling2D: expects input of rank 3 [height, width, channels], got [7, 512] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(GlobalAveragePooling2D()(Input([7, 512]))),
);
mustNotCompile(
  'GlobalMaxPooling1D: expects input of rank 2 [steps, channels], got [7, 7, 512] (rank 3); Reshape to [steps, channels] first?',
  () => expectError(GlobalMaxPooling1D()(Input([7, 7, 512]))),
);
mustNotCompile(
  'GlobalMaxPooling2D: expects input of rank 3 [height, width, channels], got [100, 64] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(GlobalMaxPooling2D({ keepdims: true })(Input([100, 64]))),
);
mustNotCompile(
  'GlobalAveragePooling1D: expects input of rank 2 [steps, channels], got [64] (rank 1); Reshape to [steps, channels] first?',
  () => expectError(GlobalAveragePooling1D()(Dense(64)(Input([32])))),
);
mustNotCompile(
  "AveragePooling1D: pool size 4 spans 4 steps on axis 1, but the input [3, 8] has 3; use padding: 'same' or a smaller pool",
  () => expectError(AveragePooling1D(4, { strides: 1 })(Input([3, 8]))),
);
mustNotCompile('AveragePooling1D: strides must be a positive integer, got 0', () =>
  expectError(AveragePooling1D(2, { strides: 0 })),
);

mustNotCompile(
  'Conv2DTranspose: expects input of rank 3 [height, width, channels], got [28, 28] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(Conv2DTranspose(8, 3)(Input([28, 28]))),
);
mustNotCompile(
  'Conv2DTranspose: outputPadding 2 and strides 2 do not fit: outputPadding must be smaller than strides on every axis',
  () => expectError(Conv2DTranspose(8, 3, { strides: 2, outputPadding: 2 })),
);
mustNotCompile('Conv2DTranspose: axis -1 of the input [7, 7, null] must be known (it sizes the kernel)', () =>
  expectError(Conv2DTranspose(8, 3, { strides: 2 })(Input([7, 7, null]))),
);

mustNotCompile('DepthwiseConv2D: axis -1 of the input [32, 32, null] must be known (it sizes the kernel)', () =>
  expectError(DepthwiseConv2D(3)(Input([32, 32, null]))),
);
mustNotCompile('DepthwiseConv2D: depthMultiplier must be a positive integer, got 0', () =>
  expectError(DepthwiseConv2D(3, { depthMultiplier: 0 })),
);
mustNotCompile(
  "SeparableConv2D: kernel size 3 spans 3 steps on axis 2, but the input [8, 2, 4] has 2; use padding: 'same' or a smaller kernel",
  () => expectError(SeparableConv2D(16, 3)(Input([8, 2, 4]))),
);

mustNotCompile(
  'Conv3D: expects input of rank 4 [depth, height, width, channels], got [32, 32, 3] (rank 3); Reshape to [depth, height, width, channels] first?',
  () => expectError(Conv3D(8, 3)(Input([32, 32, 3]))),
);
mustNotCompile(
  "Conv3D: kernel size 3 spans 3 steps on axis 1, but the input [2, 8, 8, 1] has 2; use padding: 'same' or a smaller kernel",
  () => expectError(Conv3D(8, 3)(Input([2, 8, 8, 1]))),
);
// groups (Keras 3's base_conv.py): it must divide filters (an error at the option) and the input's channels (at the call).
mustNotCompile('Conv2D: groups must be a divisor of 64 (filters), got 3', () =>
  expectError(Conv2D(64, 3, { groups: 3 })),
);
mustNotCompile('Conv2D: groups must be a divisor of 6 (the channels of the input [32, 32, 6]), got 4', () =>
  expectError(Conv2D(8, 3, { groups: 4 })(Input([32, 32, 6]))),
);
mustNotCompile('Conv1D: groups must be a positive integer, got 0', () => expectError(Conv1D(8, 3, { groups: 0 })));
mustNotCompile('Conv1D: groups must be a divisor of 5 (the channels of the input [10, 5]), got 2', () =>
  expectError(Conv1D(4, 3, { groups: 2 })(Input([10, 5]))),
);
mustNotCompile('Conv3D: groups must be a positive integer, got 2.5', () => expectError(Conv3D(8, 3, { groups: 2.5 })));
mustNotCompile('Conv3D: groups must be a divisor of 3 (the channels of the input [8, 8, 8, 3]), got 2', () =>
  expectError(Conv3D(4, 2, { groups: 2 })(Input([8, 8, 8, 3]))),
);

// --- The 3-D layers, Conv1DTranspose and SeparableConv1D -----------------------------------------------------
mustNotCompile(
  'Conv1DTranspose: outputPadding 2 and strides 2 do not fit: outputPadding must be smaller than strides on every axis',
  () => expectError(Conv1DTranspose(8, 3, { strides: 2, outputPadding: 2 })),
);
mustNotCompile(
  'SeparableConv1D: expects input of rank 2 [steps, channels], got [28, 28, 1] (rank 3); Reshape to [steps, channels] first?',
  () => expectError(SeparableConv1D(8, 3)(Input([28, 28, 1]))),
);
mustNotCompile(
  'Conv3DTranspose: outputPadding [1, 2, 0] and strides 2 do not fit: outputPadding must be smaller than strides on every axis',
  () => expectError(Conv3DTranspose(8, 3, { strides: 2, outputPadding: [1, 2, 0] })),
);
mustNotCompile('Conv3DTranspose: strides [1, 2, 1] and dilationRate 2 cannot both exceed 1; set one of them to 1', () =>
  expectError(Conv3DTranspose(8, 3, { strides: [1, 2, 1], dilationRate: 2 })),
);
mustNotCompile(
  "MaxPooling3D: pool size 2 spans 2 steps on axis 1, but the input [1, 8, 8, 3] has 1; use padding: 'same' or a smaller pool",
  () => expectError(MaxPooling3D(2)(Input([1, 8, 8, 3]))),
);
mustNotCompile(
  'AveragePooling3D: expects input of rank 4 [depth, height, width, channels], got [8, 8, 3] (rank 3); Reshape to [depth, height, width, channels] first?',
  () => expectError(AveragePooling3D(2)(Input([8, 8, 3]))),
);
mustNotCompile(
  'GlobalMaxPooling3D: expects input of rank 4 [depth, height, width, channels], got [7, 7, 512] (rank 3); Reshape to [depth, height, width, channels] first?',
  () => expectError(GlobalMaxPooling3D()(Input([7, 7, 512]))),
);
mustNotCompile(
  'GlobalAveragePooling3D: expects input of rank 4 [depth, height, width, channels], got [100, 64] (rank 2); Reshape to [depth, height, width, channels] first?',
  () => expectError(GlobalAveragePooling3D({ keepdims: true })(Input([100, 64]))),
);
mustNotCompile('ZeroPadding3D: padding must be non-negative integers, got [1, -1, 0]', () =>
  expectError(ZeroPadding3D([1, -1, 0])),
);
mustNotCompile(
  'Cropping3D: cropping 4 steps off axis 3 leaves nothing of the input [8, 8, 4, 1], which has 4; crop less',
  () =>
    expectError(
      Cropping3D([
        [1, 1],
        [2, 2],
        [3, 1],
      ])(Input([8, 8, 4, 1])),
    ),
);
mustNotCompile(
  'UpSampling3D: expects input of rank 4 [depth, height, width, channels], got [28, 28, 1] (rank 3); Reshape to [depth, height, width, channels] first?',
  () => expectError(UpSampling3D(2)(Input([28, 28, 1]))),
);

// --- Recurrent layers, Embedding, wrappers -----------------------------------------------------------------
mustNotCompile(
  'LSTM: expects input of rank 2 [steps, features], got [100] (rank 1); Reshape to [steps, 1] first, or an Embedding for token ids?',
  () => expectError(LSTM(64)(Input([100]))),
);
mustNotCompile(
  'LSTM: expects input of rank 2 [steps, features], got [10, 8, 4] (rank 3); Reshape to [steps, features] first, or TimeDistributed?',
  () => expectError(LSTM(64)(Input([10, 8, 4]))),
);
mustNotCompile(
  'LSTM: expects input of rank 2 [steps, features], got [3200] (rank 1); Reshape to [steps, 1] first, or an Embedding for token ids?',
  () => expectError(LSTM(8)(Flatten()(Input([100, 32])))),
);
mustNotCompile(
  "Embedding: expects int32 input, got float32 [100]; declare the ids as Input(shape, { dtype: 'int32' })",
  () => expectError(Embedding(10000, 128)(Input([100]))),
);
mustNotCompile('TimeDistributed: expects input of rank 2 or more [steps, ...], got [10] (rank 1)', () =>
  expectError(TimeDistributed(Dense(1))(Input([10]))),
);
mustNotCompile(
  'Bidirectional: layer must be a recurrent layer (LSTM, GRU or SimpleRNN), got another layer',
  () => expectError(Bidirectional(Dense(3))),
  "Bidirectional: layer must be a recurrent layer (LSTM, GRU or SimpleRNN), got 'Dense'",
);

mustNotCompile('LSTM: initialState[1] must be [8] float32 (one per state: h, c), got [4] float32', () => {
  const sequence = Input([10, 3]);
  const [, h] = LSTM(8, { returnState: true })(sequence);
  const [, c] = GRU(4, { returnState: true })(sequence);
  return expectError(LSTM(8)(sequence, { initialState: [h, c] }));
});
mustNotCompile('GRU: initialState must be 1 tensor (h), got 2', () => {
  const sequence = Input([10, 3]);
  const [, h, c] = LSTM(8, { returnState: true })(sequence);
  return expectError(GRU(8)(sequence, { initialState: [h, c] }));
});
mustNotCompile(
  'ConvLSTM2D: expects input of rank 4 [time, rows, cols, channels], got [32, 32, 3] (rank 3); Reshape to [time, rows, cols, channels] first, or Conv2D for one image?',
  () => expectError(ConvLSTM2D(8, 3)(Input([32, 32, 3]))),
);
mustNotCompile('ConvLSTM2D: filters must be a positive integer, got 2.5', () => expectError(ConvLSTM2D(2.5, 3)));
mustNotCompile(
  'ConvLSTM2D: axis 2 of the input [10, null, 32, 3] must be known (it sizes the states, as in Keras)',
  () => expectError(ConvLSTM2D(8, 3)(Input([10, null, 32, 3]))),
);
mustNotCompile(
  'ConvLSTM2D: initialState[0] must be [30, 30, 8] float32 (one per state: h, c), got [32, 32, 8] float32',
  () => {
    // h comes from a layer that pads ('same'); this one does not, so its states are [30, 30, 8].
    const video = Input([10, 32, 32, 3]);
    const [, h] = ConvLSTM2D(8, 3, { padding: 'same', returnState: true })(video);
    const [, , c] = ConvLSTM2D(8, 3, { returnState: true })(video);
    return expectError(ConvLSTM2D(8, 3)(video, { initialState: [h, c] }));
  },
);
mustNotCompile('TimeDistributed: layer must be a layer with one output, got a layer with 3 outputs', () =>
  expectError(TimeDistributed(LSTM(8, { returnState: true }))(Input([5, 10, 3]))),
);

// --- Dense, Flatten, Reshape, merges, normalisation --------------------------------------------------------
mustNotCompile('Dense: axis -1 of the input [null] must be known (it sizes the kernel)', () =>
  expectError(Dense(3)(Input([null]))),
);
mustNotCompile('Dense: expects input of rank 1 or more [..., features], got [] (rank 0)', () =>
  expectError(Dense(3)(Input([]))),
);
mustNotCompile('Flatten: axis 2 of the input [7, null, 64] must be known (Flatten needs every size)', () =>
  expectError(Flatten()(Input([7, null, 64]))),
);
mustNotCompile('Flatten: the output of [9007199254740991, 2] has more than 2^53 - 1 elements', () =>
  expectError(Flatten()(Input([9007199254740991, 2]))),
);
mustNotCompile('Reshape: cannot reshape [4, 6] (24 elements) into [5, 5] (25 elements)', () =>
  expectError(Reshape([5, 5])(Input([4, 6]))),
);
mustNotCompile('Reshape: cannot reshape [4, 6] (24 elements) into [-1, 5] (a multiple of 5 elements)', () =>
  expectError(Reshape([-1, 5])(Input([4, 6]))),
);
mustNotCompile('Reshape: cannot reshape [null, 3] (a multiple of 3 elements) into [7] (7 elements)', () =>
  // Whatever the number of frames, 3 values per frame never make 7.
  expectError(Reshape([7])(Input([null, 3]))),
);
mustNotCompile('Add: inputs disagree on axis 1: [10] vs [20] (Add needs equal sizes, or 1 on either side)', () =>
  expectError(Add()([Input([10]), Input([20])])),
);
mustNotCompile('Add: inputs disagree in rank: [4, 5] (rank 2) vs [20] (rank 1)', () =>
  expectError(Add()([Input([4, 5]), Input([20])])),
);

/** A helper generic over its input (docs/helpers.md): its Add is right only for inputs with 16 channels. */
function identityBlock<const T extends AnyTensor>(x: T) {
  return Add()([x, Conv2D(16, 3, { padding: 'same' })(x)]);
}
mustNotCompile(
  'Add: inputs disagree on axis 3: [8, 8, 3] vs [8, 8, 16] (Add needs equal sizes, or 1 on either side)',
  () => {
    // The helper's body compiles; the call's result carries the sentence, shown where it is pinned to a shape.
    const out = identityBlock(Input([8, 8, 3]));
    return expectError<SymbolicTensor<[8, 8, 16], 'float32', never>>(out);
  },
);
mustNotCompile(
  'Multiply: inputs disagree on axis 2: [3, 8] vs [3, 9] (Multiply needs equal sizes, or 1 on either side)',
  () => expectError(Multiply()([Input([3, 8]), Input([3, 8]), Input([3, 9])])),
);
mustNotCompile('Average: expects at least 2 inputs, got 1', () => expectError(Average()([Input([4])])));
mustNotCompile(
  'BatchNormalization: axis 4 does not exist for inputs of rank 3 like [30, 30, 16]; use 1..3 or -3..-1 (axis 0 is the batch)',
  () => expectError(BatchNormalization({ axis: 4 })(Input([30, 30, 16]))),
);

// --- Reshaping: up-sampling, padding, cropping, permuting, repeating ----------------------------------------
mustNotCompile(
  'UpSampling2D: expects input of rank 3 [height, width, channels], got [28, 28] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(UpSampling2D()(Input([28, 28]))),
);
mustNotCompile('UpSampling2D: size must be positive integers, got [2, 0]', () => expectError(UpSampling2D([2, 0])));
mustNotCompile('ZeroPadding2D: padding must be non-negative integers, got -1', () => expectError(ZeroPadding2D(-1)));
mustNotCompile(
  'ZeroPadding1D: expects input of rank 2 [steps, channels], got [28, 28, 1] (rank 3); Reshape to [steps, channels] first?',
  () => expectError(ZeroPadding1D(2)(Input([28, 28, 1]))),
);
mustNotCompile(
  'Cropping2D: cropping 4 steps off axis 1 leaves nothing of the input [4, 8, 1], which has 4; crop less',
  () =>
    expectError(
      Cropping2D([
        [2, 2],
        [0, 0],
      ])(Input([4, 8, 1])),
    ),
);
mustNotCompile(
  'Cropping1D: cropping 6 steps off axis 1 leaves nothing of the input [5, 2], which has 5; crop less',
  () => expectError(Cropping1D([3, 3])(Input([5, 2]))),
);
mustNotCompile('Permute: dims must be a permutation of 1..2 (axis 0 is the batch), got [1, 1]', () =>
  expectError(Permute([1, 1])),
);
mustNotCompile('Permute: expects input of rank 2 (dims [2, 1]), got [4, 5, 6] (rank 3)', () =>
  expectError(Permute([2, 1])(Input([4, 5, 6]))),
);
mustNotCompile('RepeatVector: expects input of rank 1 [features], got [4, 5] (rank 2); Flatten first?', () =>
  expectError(RepeatVector(3)(Input([4, 5]))),
);

// --- Normalization and activation layers -------------------------------------------------------------------
mustNotCompile(
  'LayerNormalization: axis 3 does not exist for inputs of rank 2 like [10, 64]; use 1..2 or -2..-1 (axis 0 is the batch)',
  () => expectError(LayerNormalization({ axis: 3 })(Input([10, 64]))),
);
mustNotCompile('LayerNormalization: axis -1 of the input [10, null] must be known (it sizes gamma and beta)', () =>
  expectError(LayerNormalization()(Input([10, null]))),
);
mustNotCompile('ReLU: maxValue must be a non-negative number, got -1', () => expectError(ReLU({ maxValue: -1 })));
mustNotCompile('LeakyReLU: negativeSlope must be a non-negative number, got -0.3', () =>
  expectError(LeakyReLU({ negativeSlope: -0.3 })),
);
mustNotCompile(
  'PReLU: axis 1 of the input [null, 8] must be known (it sizes alpha; or share the axis with sharedAxes)',
  () => expectError(PReLU()(Input([null, 8]))),
);
mustNotCompile(
  'Softmax: axis 2 does not exist for inputs of rank 1 like [10]; use 1..1 or -1..-1 (axis 0 is the batch)',
  () => expectError(Softmax({ axis: 2 })(Input([10]))),
);

// --- Weight options ------------------------------------------------------------------------------------------
mustNotCompile(
  "Dense: kernelInitializer must be one of zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal, identity (or snake_case), got 'glorotUnifrom'",
  () => expectError(Dense(10, { kernelInitializer: 'glorotUnifrom' })),
);
mustNotCompile(
  "Conv2D: biasInitializer.className must be one of zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal, identity (or snake_case), got 'Constnat'",
  () => expectError(Conv2D(8, 3, { biasInitializer: { className: 'Constnat', config: { value: 1 } } })),
);
mustNotCompile(
  "Dense: kernelConstraint must be one of 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or their snake_case names), got 'maxnorm'",
  () => expectError(Dense(10, { kernelConstraint: 'maxnorm' })),
);
mustNotCompile(
  "Dense: kernelRegularizer must be one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2'), got 'l1_l2'",
  () => expectError(Dense(10, { kernelRegularizer: 'l1_l2' })),
);
mustNotCompile(
  "LSTM: recurrentRegularizer.className must be one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2'), got 'L2Regularizer'",
  () => expectError(LSTM(8, { recurrentRegularizer: { className: 'L2Regularizer', config: { l2: 0.001 } } })),
);
mustNotCompile('Embedding: inputLength must be 20 (the last axis of the input [20]), got 50', () =>
  expectError(Embedding(1000, 8, { inputLength: 50 })(Input([20], { dtype: 'int32' }))),
);

// --- Model ---------------------------------------------------------------------------------------------------
mustNotCompile("Model: the outputs depend on input 'aux', which is not in inputs ['image']; add it to inputs", () => {
  const image = Input([64, 64, 1], { name: 'image' });
  const aux = Input([32, 32, 3], { name: 'aux' });
  const merged = Concatenate()([Flatten()(image), Flatten()(aux)]);
  return expectError(Model({ inputs: [image], outputs: Dense(1)(merged) }));
});

mustNotCompile("Model: the input 'image' appears more than once; inputs must be unique", () => {
  const image = Input([28, 28, 1], { name: 'image' });
  return expectError(Model({ inputs: [image, image], outputs: Dense(1)(Flatten()(image)) }));
});

// --- A model called as a layer ------------------------------------------------------------------------------
mustNotCompile(
  'Encoder: input 0 expects [28, 28, 1] float32, got [32, 32, 3] float32; call it on tensors like its Inputs (null matches any size)',
  () => {
    const image = Input([28, 28, 1]);
    const encoder = Model({ inputs: image, outputs: GlobalAveragePooling2D()(Conv2D(4, 3)(image)), name: 'Encoder' });
    return expectError(encoder(Input([32, 32, 3])));
  },
);
mustNotCompile(
  'Encoder: input 0 expects [28, 28, 1] float32, got [28, 28, 1] int32; call it on tensors like its Inputs (null matches any size)',
  () => {
    const image = Input([28, 28, 1]);
    const encoder = Model({ inputs: image, outputs: GlobalAveragePooling2D()(Conv2D(4, 3)(image)), name: 'Encoder' });
    return expectError(encoder(Input([28, 28, 1], { dtype: 'int32' })));
  },
);
mustNotCompile(
  'Pair: input 1 expects [null, 4] float32, got [6, 5] float32; call it on tensors like its Inputs (null matches any size)',
  () => {
    const left = Input([null, 4]);
    const right = Input([null, 4]);
    const pair = Model({ inputs: [left, right], outputs: Add()([left, right]), name: 'Pair' });
    return expectError(pair([Input([6, 4]), Input([6, 5])]));
  },
);
mustNotCompile('Pair: expects 2 inputs, got 1', () => {
  const left = Input([null, 4]);
  const right = Input([null, 4]);
  const pair = Model({ inputs: [left, right], outputs: Add()([left, right]), name: 'Pair' });
  return expectError(pair([Input([6, 4])]));
});

// --- Sequential: each mistake at the element that is wrong --------------------------------------------------
mustNotCompile(
  'Conv2D: expects input of rank 3 [height, width, channels], got [784] (rank 1); Reshape to [height, width, channels] first?',
  () => expectError(Sequential([Input([28, 28, 1]), Flatten(), Conv2D(8, 3), Dense(10)])),
);
mustNotCompile(
  'Sequential: layers[1] gives several tensors; each element of a Sequential gives one (drop returnState)',
  () => expectError(Sequential([Input([10, 4]), LSTM(8, { returnState: true }), Dense(1)])),
);
mustNotCompile(
  'Sequential: layers[2] must be a layer with one input, a model or a Sequential',
  () => expectError(Sequential([Input([4]), Dense(2), 'relu'])),
  "Sequential: layers[2] must be a layer with one input, a model or a Sequential, got 'relu'",
);
mustNotCompile(
  "Conv2D: kernel size 3 spans 3 steps on axis 1, but the input [2, 2, 1] has 2; use padding: 'same' or a smaller kernel",
  () => {
    const features = Sequential([Conv2D(4, 3), MaxPooling2D(2)]);
    return expectError(Sequential([Input([2, 2, 1]), features]));
  },
);
mustNotCompile(
  'Conv2D: expects input of rank 3 [height, width, channels], got [32] (rank 1); Reshape to [height, width, channels] first?',
  () => {
    const features = Sequential([Conv2D(4, 3), MaxPooling2D(2)]);
    return expectError(features(Input([32])));
  },
);
mustNotCompile(
  'Mnist: input 0 expects [28, 28, 1] float32, got [32, 32, 3] float32; call it on tensors like its Inputs (null matches any size)',
  () => {
    const mnist = Sequential([Input([28, 28, 1]), Flatten(), Dense(10)], { name: 'Mnist' });
    return expectError(Sequential([Input([32, 32, 3]), mnist]));
  },
);

// --- Keras's functional merge forms: the sentence of the layer, at the call --------------------------------------
mustNotCompile(
  'Concatenate: inputs disagree on axis 1: [4, 2] vs [5, 3] (only axis -1 may differ; Flatten first?)',
  () => expectError(concatenate([Input([4, 2]), Input([5, 3])])),
);

mustNotCompile('Activation: glu splits the last axis in two halves, so it must be even, got [10, 5]', () =>
  expectError(Activation('glu')(Input([10, 5]))),
);

// --- Options that can be seen to be invalid -----------------------------------------------------------------
mustNotCompile('Dense: units must be a positive integer, got 0', () => expectError(Dense(0)));
mustNotCompile('Dense: units must be a positive integer, got -3', () => expectError(Dense(-3)));
mustNotCompile('Dense: units must be a positive integer, got 2.5', () => expectError(Dense(2.5)));
mustNotCompile('LSTM: units must be a positive integer, got 0', () => expectError(LSTM(0)));
mustNotCompile('Embedding: inputDim must be a positive integer, got 0', () => expectError(Embedding(0, 8)));
mustNotCompile('Conv2D: filters must be a positive integer, got 0', () => expectError(Conv2D(0, 3)));
mustNotCompile('Conv2D: kernelSize must be positive integers, got [0, 3]', () => expectError(Conv2D(8, [0, 3])));
mustNotCompile('Conv2D: strides must be a positive integer, got 0', () => expectError(Conv2D(8, 3, { strides: 0 })));
mustNotCompile('Conv2D: strides 2 and dilationRate 2 cannot both exceed 1; set one of them to 1', () =>
  expectError(Conv2D(8, 3, { strides: 2, dilationRate: 2 })),
);
mustNotCompile('Conv2D: strides [2, 1] and dilationRate [1, 3] cannot both exceed 1; set one of them to 1', () =>
  expectError(Conv2D(8, 3, { strides: [2, 1], dilationRate: [1, 3] })),
);
mustNotCompile('Conv1D: strides 3 and dilationRate 2 cannot both exceed 1; set one of them to 1', () =>
  expectError(Conv1D(8, 3, { dilationRate: 2, strides: 3 })),
);
mustNotCompile('MaxPooling2D: poolSize must be a positive integer, got 0', () => expectError(MaxPooling2D(0)));
mustNotCompile('Input: shape[0] must be a positive integer or null, got 0', () => expectError(Input([0, 3])));
mustNotCompile('Input: shape[1] must be a positive integer or null, got 2.5', () => expectError(Input([4, 2.5])));
mustNotCompile('Dropout: rate must be a number in [0, 1), got 1.5', () => expectError(Dropout(1.5)));
mustNotCompile(
  'Reshape: targetShape must be positive integers and at most one -1, got two -1 axes',
  () => expectError(Reshape([-1, -1])),
  'Reshape: targetShape must be positive integers and at most one -1, got [-1, -1]',
);

// --- Catalog part A (issue 10): a mistake of each layer's own ------------------------------------------------
mustNotCompile(
  'Maximum: inputs disagree on axis 2: [3, 4] vs [3, 5] (Maximum needs equal sizes, or 1 on either side)',
  () => expectError(Maximum()([Input([3, 4]), Input([3, 5])])),
);
mustNotCompile('Minimum: inputs disagree on axis 1: [3] vs [4] (Minimum needs equal sizes, or 1 on either side)', () =>
  expectError(Minimum()([Input([3]), Input([4])])),
);
mustNotCompile(
  'Dot: inputs disagree on axis 1: [3] vs [4] (Dot sums axis 1 of the first input against axis 1 of the second; their sizes must be equal)',
  () => expectError(Dot(1)([Input([3]), Input([4])])),
);
mustNotCompile('GroupNormalization: groups must be a divisor of 6 (the size of axis -1 of [10, 6]), got 4', () =>
  expectError(GroupNormalization({ groups: 4 })(Input([10, 6]))),
);
mustNotCompile(
  'UnitNormalization: axis 3 does not exist for inputs of rank 2 like [4, 5]; use 1..2 or -2..-1 (axis 0 is the batch)',
  () => expectError(UnitNormalization({ axis: 3 })(Input([4, 5]))),
);
mustNotCompile('SpatialDropout1D: expects input of rank 2 [steps, channels], got [4, 5, 6] (rank 3)', () =>
  expectError(SpatialDropout1D(0.5)(Input([4, 5, 6]))),
);
mustNotCompile('SpatialDropout2D: expects input of rank 3 [height, width, channels], got [4, 5] (rank 2)', () =>
  expectError(SpatialDropout2D(0.5)(Input([4, 5]))),
);
mustNotCompile('GaussianNoise: stddev must be a non-negative number, got -1', () => expectError(GaussianNoise(-1)));
mustNotCompile('GaussianDropout: rate must be a number in [0, 1), got 1.5', () => expectError(GaussianDropout(1.5)));
mustNotCompile('AlphaDropout: rate must be a number in [0, 1), got 1', () => expectError(AlphaDropout(1)));
mustNotCompile('ActivityRegularization: l1 must be a non-negative number, got -1', () =>
  expectError(ActivityRegularization({ l1: -1 })),
);
mustNotCompile(
  'CenterCrop: expects input of rank 3 [height, width, channels], got [4, 5] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(CenterCrop(2, 2)(Input([4, 5]))),
);
mustNotCompile(
  'Resizing: expects input of rank 3 [height, width, channels], got [32, 32] (rank 2); Reshape to [height, width, channels] first?',
  () => expectError(Resizing(8, 8)(Input([32, 32]))),
);
mustNotCompile(
  'Masking: expects input of rank at least 1 [..., features], got [] (rank 0); the mask is over the last axis',
  () => expectError(Masking()(Input([]))),
);
