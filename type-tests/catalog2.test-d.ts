// Catalog part A (issue 10): one good output shape pinned per layer and option that changes it, with sizes typed
// `number` and `null` accepted (zero false errors).
import { expectType } from 'tsd';
import {
  ActivityRegularization,
  AlphaDropout,
  CenterCrop,
  Dot,
  GaussianDropout,
  GaussianNoise,
  GroupNormalization,
  Input,
  Masking,
  Maximum,
  Minimum,
  Rescaling,
  Resizing,
  SpatialDropout1D,
  SpatialDropout2D,
  type SymbolicTensor,
  UnitNormalization,
} from '../src/index.ts';

declare const size: number;

// --- Merging -------------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[3, 4], 'float32', never>>(Maximum()([Input([3, 4]), Input([3, 4]), Input([3, 4])]));
expectType<SymbolicTensor<[3, 4], 'int32', never>>(
  Minimum()([Input([3, 4], { dtype: 'int32' }), Input([3, 4], { dtype: 'int32' })]),
);
expectType<SymbolicTensor<[null, 4], 'float32', never>>(Maximum()([Input([null, 4]), Input([null, 4])]));
// Dot sums the given axes: [3, 4] . [5, 4] over axis 2 is [3, 5]; over the last axis of two vectors, [1].
expectType<SymbolicTensor<[3, 5], 'float32', never>>(Dot(2)([Input([3, 4]), Input([5, 4])]));
expectType<SymbolicTensor<[4, 5], 'float32', never>>(Dot([1, 1], { normalize: true })([Input([3, 4]), Input([3, 5])]));
expectType<SymbolicTensor<[1], 'float32', never>>(Dot(-1)([Input([8]), Input([8])]));

// --- Normalization -------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[10, 6], 'float32', never>>(GroupNormalization({ groups: 3 })(Input([10, 6])));
expectType<SymbolicTensor<[null, 6], 'float32', never>>(GroupNormalization({ groups: -1 })(Input([null, 6])));
expectType<SymbolicTensor<[4, 5], 'float32', never>>(UnitNormalization({ axis: [1, 2] })(Input([4, 5])));
expectType<SymbolicTensor<[number, 5], 'float32', never>>(UnitNormalization()(Input([size, 5])));

// --- Regularization and noise: the shape passes ---------------------------------------------------------------
expectType<SymbolicTensor<[20, 8], 'float32', never>>(SpatialDropout1D(0.2)(Input([20, 8])));
expectType<SymbolicTensor<[16, 16, 3], 'float32', never>>(SpatialDropout2D(0.2)(Input([16, 16, 3])));
expectType<SymbolicTensor<[null, 4], 'float32', never>>(GaussianNoise(0.1)(Input([null, 4])));
expectType<SymbolicTensor<[4], 'float32', never>>(GaussianDropout(0.3)(Input([4])));
expectType<SymbolicTensor<[number, 4], 'float32', never>>(AlphaDropout(0.1)(Input([size, 4])));
expectType<SymbolicTensor<[7], 'float32', never>>(ActivityRegularization({ l1: 0.01, l2: 0.01 })(Input([7])));

// --- Preprocessing and masking -------------------------------------------------------------------------------
expectType<SymbolicTensor<[28, 28, 1], 'float32', never>>(Rescaling(1 / 255)(Input([28, 28, 1], { dtype: 'int32' })));
expectType<SymbolicTensor<[24, 20, 3], 'float32', never>>(CenterCrop(24, 20)(Input([32, 32, 3])));
expectType<SymbolicTensor<[24, 20, 3], 'float32', never>>(CenterCrop(24, 20)(Input([null, null, 3])));
expectType<SymbolicTensor<[64, 48, 3], 'float32', never>>(Resizing(64, 48)(Input([128, 96, 3])));
expectType<SymbolicTensor<[8, 8, number], 'float32', never>>(
  Resizing(8, 8, { interpolation: 'nearest', cropToAspectRatio: true })(Input([32, 16, size])),
);
expectType<SymbolicTensor<[10, 3], 'float32', never>>(Masking({ maskValue: -1 })(Input([10, 3])));
expectType<SymbolicTensor<[null, 3], 'float32', never>>(Masking()(Input([null, 3])));
