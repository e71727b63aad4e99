// The 3-D and remaining convolutional layers of the catalog (issue 10): one good output shape pinned per layer and
// option that changes it, with sizes typed `number` and `null` accepted (zero false errors).
import { expectType } from 'tsd';
import {
  AveragePooling3D,
  Conv1DTranspose,
  Conv3DTranspose,
  Cropping3D,
  type Dim,
  GlobalAveragePooling3D,
  GlobalMaxPooling3D,
  Input,
  MaxPooling3D,
  SeparableConv1D,
  type SymbolicTensor,
  UpSampling3D,
  ZeroPadding3D,
} from '../src/index.ts';

declare const size: number;

// --- Convolutions --------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[50, 8], 'float32', never>>(
  Conv1DTranspose(8, 3, { strides: 2, padding: 'same' })(Input([25, 16])),
);
// valid: (25 - 1) * 2 + 3 = 51; with outputPadding 1, 52; dilated 2: (25 - 1) + 5 = 29.
expectType<SymbolicTensor<[51, 8], 'float32', never>>(Conv1DTranspose(8, 3, { strides: 2 })(Input([25, 16])));
expectType<SymbolicTensor<[52, 8], 'float32', never>>(
  Conv1DTranspose(8, 3, { strides: 2, outputPadding: 1 })(Input([25, 16])),
);
expectType<SymbolicTensor<[29, 4], 'float32', never>>(Conv1DTranspose(4, 3, { dilationRate: 2 })(Input([25, 1])));
expectType<SymbolicTensor<[null, 4], 'float32', never>>(Conv1DTranspose(4, 3)(Input([null, 2])));
expectType<SymbolicTensor<[number, number], 'float32', never>>(Conv1DTranspose(size, 3)(Input([size, 2])));

expectType<SymbolicTensor<[100, 32], 'float32', never>>(SeparableConv1D(32, 5, { padding: 'same' })(Input([100, 16])));
expectType<SymbolicTensor<[48, 32], 'float32', never>>(
  SeparableConv1D(32, 5, { strides: 2, depthMultiplier: 2 })(Input([100, 16])),
);
expectType<SymbolicTensor<[92, 8], 'float32', never>>(SeparableConv1D(8, 5, { dilationRate: 2 })(Input([100, 16])));
expectType<SymbolicTensor<[null, 8], 'float32', never>>(SeparableConv1D(8, 3)(Input([null, 4])));

expectType<SymbolicTensor<[8, 16, 16, 8], 'float32', never>>(
  Conv3DTranspose(8, 3, { strides: 2, padding: 'same' })(Input([4, 8, 8, 16])),
);
expectType<SymbolicTensor<[9, 17, 18, 8], 'float32', never>>(
  Conv3DTranspose(8, [3, 3, 4], { strides: 2 })(Input([4, 8, 8, 16])),
);
expectType<SymbolicTensor<[10, 17, 18, 8], 'float32', never>>(
  Conv3DTranspose(8, [3, 3, 4], { strides: 2, outputPadding: [1, 0, 0] })(Input([4, 8, 8, 16])),
);
expectType<SymbolicTensor<[8, 8, 12, 2], 'float32', never>>(
  Conv3DTranspose(2, 3, { dilationRate: [2, 1, 3] })(Input([4, 6, 6, 1])),
);
expectType<SymbolicTensor<[null, 16, number, 8], 'float32', never>>(
  Conv3DTranspose(8, 3, { strides: 2, padding: 'same' })(Input([null, 8, size, 16])),
);

// --- Pooling -------------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[8, 16, 16, 8], 'float32', never>>(MaxPooling3D()(Input([16, 32, 32, 8])));
expectType<SymbolicTensor<[6, 11, 11, 8], 'float32', never>>(
  MaxPooling3D([3, 3, 3], { strides: [3, 3, 3], padding: 'same' })(Input([16, 32, 32, 8])),
);
expectType<SymbolicTensor<[15, 16, 31, 8], 'float32', never>>(
  AveragePooling3D([2, 2, 2], { strides: [1, 2, 1] })(Input([16, 32, 32, 8])),
);
expectType<SymbolicTensor<[null, number, 16, 8], 'float32', never>>(AveragePooling3D(2)(Input([null, size, 32, 8])));
expectType<SymbolicTensor<[64], 'float32', never>>(GlobalMaxPooling3D()(Input([4, 7, 7, 64])));
expectType<SymbolicTensor<[1, 1, 1, 64], 'float32', never>>(
  GlobalMaxPooling3D({ keepdims: true })(Input([4, 7, 7, 64])),
);
expectType<SymbolicTensor<[64], 'float32', never>>(GlobalAveragePooling3D()(Input([null, 7, size, 64])));
expectType<SymbolicTensor<[1, 1, 1, number], 'float32', never>>(
  GlobalAveragePooling3D({ keepdims: true })(Input([4, 7, 7, size])),
);
declare const keep: boolean;
expectType<SymbolicTensor<Dim[], 'float32', never>>(GlobalAveragePooling3D({ keepdims: keep })(Input([4, 7, 7, 64])));

// --- Reshaping -----------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[10, 10, 10, 1], 'float32', never>>(ZeroPadding3D()(Input([8, 8, 8, 1])));
expectType<SymbolicTensor<[10, 12, 8, 1], 'float32', never>>(ZeroPadding3D([1, 2, 0])(Input([8, 8, 8, 1])));
expectType<SymbolicTensor<[9, 11, 8, 1], 'int32', never>>(
  ZeroPadding3D([
    [1, 0],
    [2, 1],
    [0, 0],
  ])(Input([8, 8, 8, 1], { dtype: 'int32' })),
);
expectType<SymbolicTensor<[6, 6, 6, 1], 'float32', never>>(Cropping3D()(Input([8, 8, 8, 1])));
expectType<SymbolicTensor<[6, 4, 5, 1], 'float32', never>>(
  Cropping3D([
    [1, 1],
    [2, 2],
    [0, 3],
  ])(Input([8, 8, 8, 1])),
);
expectType<SymbolicTensor<[null, number, 8, 1], 'float32', never>>(Cropping3D([0, 1, 0])(Input([null, size, 8, 1])));
expectType<SymbolicTensor<[8, 14, 14, 32], 'float32', never>>(UpSampling3D()(Input([4, 7, 7, 32])));
expectType<SymbolicTensor<[4, 21, 14, 32], 'float32', never>>(UpSampling3D([1, 3, 2])(Input([4, 7, 7, 32])));
expectType<SymbolicTensor<[null, number, 14, 32], 'float32', never>>(
  UpSampling3D([2, size, 2])(Input([null, 7, 7, 32])),
);
