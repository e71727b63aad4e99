// The layers of the catalog (issue 10): one good output shape pinned per layer and option that changes it,
// with sizes typed `number` and `null` accepted (zero false errors).
import { expectType } from 'tsd';
import {
  AveragePooling1D,
  type Dim,
  Flatten,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Input,
  type SymbolicTensor,
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
