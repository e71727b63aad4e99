// The layers of the catalog (issue 10): one good output shape pinned per layer and option that changes it,
// with sizes typed `number` and `null` accepted (zero false errors).
import { expectError, expectType } from 'tsd';
import {
  Activation,
  AveragePooling1D,
  add,
  Conv2DTranspose,
  Conv3D,
  Cropping1D,
  Cropping2D,
  concatenate,
  Dense,
  DepthwiseConv2D,
  type Dim,
  dot,
  ELU,
  Flatten,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Input,
  LayerNormalization,
  LeakyReLU,
  maximum,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  SeparableConv2D,
  Softmax,
  type SymbolicTensor,
  UpSampling2D,
  ZeroPadding1D,
  ZeroPadding2D,
} from '../src/index.ts';

declare const size: number;

// --- Pooling -------------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[64], 'float32', never>>(GlobalMaxPooling1D()(Input([100, 64])));
expectType<SymbolicTensor<[1, 64], 'float32', never>>(GlobalMaxPooling1D({ keepdims: true })(Input([100, 64])));
expectType<SymbolicTensor<[512], 'float32', never>>(GlobalMaxPooling2D()(Input([7, 7, 512])));
expectType<SymbolicTensor<[1, 1, 512], 'float32', never>>(GlobalMaxPooling2D({ keepdims: true })(Input([7, 7, 512])));
expectType<SymbolicTensor<[null], 'float32', never>>(GlobalAveragePooling1D()(Input([null, null], { dtype: 'int32' })));
expectType<SymbolicTensor<[1, 1, number], 'float32', never>>(
  GlobalAveragePooling2D({ keepdims: true })(Input([size, null, size])),
);
// A keepdims only the runtime knows: a shape of unknown rank, checked when the model is built.
expectType<SymbolicTensor<Dim[], 'float32', never>>(GlobalAveragePooling2D({ keepdims: size > 1 })(Input([7, 7, 8])));
expectType<SymbolicTensor<[49, 8], 'float32', never>>(AveragePooling1D()(Input([98, 8])));
expectType<SymbolicTensor<[50, 8], 'float32', never>>(AveragePooling1D(2, { padding: 'same' })(Input([99, 8])));
expectType<SymbolicTensor<[32, 8], 'float32', never>>(AveragePooling1D(3, { strides: 1 })(Input([34, 8])));
expectType<SymbolicTensor<[number, 8], 'float32', never>>(AveragePooling1D(size)(Input([34, 8])));

// --- Reshaping -----------------------------------------------------------------------------------------------
// Flatten follows Keras 3: a rank-1 input passes through, a rank-0 one becomes [1].
expectType<SymbolicTensor<[4], 'float32', never>>(Flatten()(Input([4])));
expectType<SymbolicTensor<[null], 'int32', never>>(Flatten()(Input([null], { dtype: 'int32' })));
expectType<SymbolicTensor<[1], 'float32', never>>(Flatten()(Input([])));
expectType<SymbolicTensor<[14, 14, 32], 'float32', never>>(UpSampling2D()(Input([7, 7, 32])));
expectType<SymbolicTensor<[21, 14, 32], 'float32', never>>(
  UpSampling2D([3, 2], { interpolation: 'bilinear' })(Input([7, 7, 32])),
);
expectType<SymbolicTensor<[null, number, 3], 'float32', never>>(UpSampling2D(size)(Input([null, 7, 3])));
expectType<SymbolicTensor<[30, 30, 1], 'float32', never>>(ZeroPadding2D()(Input([28, 28, 1])));
expectType<SymbolicTensor<[32, 29, 1], 'int32', never>>(
  ZeroPadding2D([
    [2, 2],
    [1, 0],
  ])(Input([28, 28, 1], { dtype: 'int32' })),
);
expectType<SymbolicTensor<[34, 30, 1], 'float32', never>>(ZeroPadding2D([3, 1])(Input([28, 28, 1])));
expectType<SymbolicTensor<[number, null, 1], 'float32', never>>(ZeroPadding2D(size)(Input([28, null, 1])));
expectType<SymbolicTensor<[12, 4], 'float32', never>>(ZeroPadding1D()(Input([10, 4])));
expectType<SymbolicTensor<[13, 4], 'float32', never>>(ZeroPadding1D([2, 1])(Input([10, 4])));
expectType<SymbolicTensor<[28, 28, 1], 'float32', never>>(Cropping2D()(Input([28, 28, 1])));
expectType<SymbolicTensor<[24, 20, 1], 'float32', never>>(
  Cropping2D([
    [2, 2],
    [4, 4],
  ])(Input([28, 28, 1])),
);
expectType<SymbolicTensor<[number, null, 1], 'float32', never>>(Cropping2D(size)(Input([28, null, 1])));
expectType<SymbolicTensor<[number, 1, 1], 'float32', never>>(Cropping2D(1)(Input([size, 3, 1])));
expectType<SymbolicTensor<[8, 4], 'float32', never>>(Cropping1D()(Input([10, 4])));
expectType<SymbolicTensor<[7, 4], 'float32', never>>(Cropping1D([2, 1])(Input([10, 4])));
expectType<SymbolicTensor<[64, 10], 'float32', never>>(Permute([2, 1])(Input([10, 64])));
expectType<SymbolicTensor<[3, null, 5], 'int32', never>>(Permute([3, 1, 2])(Input([null, 5, 3], { dtype: 'int32' })));
expectType<SymbolicTensor<[10, 32], 'float32', never>>(RepeatVector(10)(Input([32])));
expectType<SymbolicTensor<[number, null], 'float32', never>>(RepeatVector(size)(Input([null])));
declare const order: number[];
expectType<SymbolicTensor<Dim[], 'float32', never>>(Permute(order)(Input([10, 64])));

// --- Normalization and activations ---------------------------------------------------------------------------
expectType<SymbolicTensor<[10, 64], 'float32', never>>(LayerNormalization()(Input([10, 64])));
expectType<SymbolicTensor<[null, 8, 4], 'float32', never>>(
  LayerNormalization({ axis: [2, 3], center: false })(Input([null, 8, 4], { dtype: 'int32' })),
);
expectType<SymbolicTensor<[null, 8], 'float32', never>>(LayerNormalization({ axis: size })(Input([null, 8])));
expectType<SymbolicTensor<[10], 'float32', never>>(
  ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 1 })(Input([10])),
);
expectType<SymbolicTensor<[4, 4, 8], 'float32', never>>(LeakyReLU()(Input([4, 4, 8])));
expectType<SymbolicTensor<[null, null, 16], 'float32', never>>(PReLU({ sharedAxes: [1, 2] })(Input([null, null, 16])));
expectType<SymbolicTensor<[5, 16], 'float32', never>>(PReLU()(Input([5, 16], { dtype: 'int32' })));
expectType<SymbolicTensor<[10], 'float32', never>>(ELU({ alpha: 0.5 })(Input([10])));
expectType<SymbolicTensor<[3, 5], 'float32', never>>(Softmax({ axis: 1 })(Input([3, 5])));
expectType<SymbolicTensor<[3, 5], 'float32', never>>(Softmax({ axis: size })(Input([3, 5])));
// Every activation name Keras accepts.
expectType<SymbolicTensor<[8], 'float32', never>>(Dense(8, { activation: 'gelu' })(Input([4])));
expectType<SymbolicTensor<[8], 'float32', never>>(Activation('log_softmax')(Input([8])));
expectType<SymbolicTensor<[8], 'float32', never>>(Activation('hard_swish')(Input([8])));

// --- Convolutions --------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[14, 14, 32], 'float32', never>>(
  Conv2DTranspose(32, 3, { strides: 2, padding: 'same' })(Input([7, 7, 64])),
);
expectType<SymbolicTensor<[15, 15, 32], 'float32', never>>(Conv2DTranspose(32, 3, { strides: 2 })(Input([7, 7, 64])));
expectType<SymbolicTensor<[16, 14, 8], 'float32', never>>(
  Conv2DTranspose(8, [3, 2], { strides: 2, outputPadding: [1, 0] })(Input([7, 7, 64])),
);
expectType<SymbolicTensor<[11, null, 8], 'float32', never>>(
  Conv2DTranspose(8, 3, { dilationRate: 2 })(Input([7, null, 64])),
);
expectType<SymbolicTensor<[28, 28, 1], 'float32', never>>(
  Conv2DTranspose(1, 3, { strides: 2, padding: 'same', outputPadding: 1 })(Input([14, 14, 4])),
);
expectType<SymbolicTensor<[number, 9, 3], 'float32', never>>(Conv2DTranspose(3, [size, 3])(Input([7, 7, 4])));
expectType<SymbolicTensor<[32, 32, 16], 'float32', never>>(
  DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' })(Input([32, 32, 8])),
);
expectType<SymbolicTensor<[15, 15, 8], 'float32', never>>(DepthwiseConv2D(3, { strides: 2 })(Input([32, 32, 8])));
expectType<SymbolicTensor<[30, null, number], 'float32', never>>(
  DepthwiseConv2D(3, { depthMultiplier: size })(Input([32, null, 8])),
);
expectType<SymbolicTensor<[128, 128, 64], 'float32', never>>(
  SeparableConv2D(64, 3, { padding: 'same' })(Input([128, 128, 32])),
);
expectType<SymbolicTensor<[64, 64, 64], 'float32', never>>(
  SeparableConv2D(64, 3, { strides: 2, padding: 'same', depthMultiplier: 2 })(Input([128, 128, 32])),
);
expectType<SymbolicTensor<[14, 30, 30, 8], 'float32', never>>(Conv3D(8, 3)(Input([16, 32, 32, 1])));
expectType<SymbolicTensor<[8, 16, null, 4], 'float32', never>>(
  Conv3D(4, [3, 3, 1], { strides: 2, padding: 'same' })(Input([16, 32, null, 2])),
);

// Keras 3.8+'s activation names.
expectType<SymbolicTensor<[8], 'float32', never>>(Dense(8, { activation: 'squareplus' })(Input([4])));
expectType<SymbolicTensor<[8], 'float32', never>>(Activation('sparsemax')(Input([8])));
expectError(Dense(8, { activation: 'sparsemaxx' }));

// Keras's functional merge forms: add([a, b]) is Add()([a, b]).
expectType<SymbolicTensor<[8], 'float32', never>>(add([Input([8]), Input([8])]));
expectType<SymbolicTensor<[96], 'float32', never>>(concatenate([Input([32]), Input([64])]));
expectType<SymbolicTensor<[4, 5], 'float32', never>>(
  concatenate([Input([4, 2]), Input([4, 3])], -1, { name: 'joined' }),
);
expectType<SymbolicTensor<[5, 7], 'float32', never>>(dot([Input([5, 4]), Input([7, 4])], [2, 2]));
expectType<SymbolicTensor<[8], 'float32', never>>(maximum([Input([8]), Input([8])]));
expectError(add([Input([8]), Input([9])]));

// glu halves the last axis (the Activation layer only).
expectType<SymbolicTensor<[10, 4], 'float32', never>>(Activation('glu')(Input([10, 8])));
expectType<SymbolicTensor<[number], 'float32', never>>(Activation('glu')(Input([Number('6')])));
