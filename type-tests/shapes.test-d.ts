// The shape algebra at its edges: literals, large values, wide `number`, overflow, and misuse; and the dtypes
// layers declare.
import { expectType } from 'tsd';
import {
  Activation,
  Add as AddLayer,
  Average,
  BatchNormalization,
  Conv2D,
  Dropout,
  Flatten,
  Input,
  MaxPooling2D,
  Multiply,
  type SymbolicTensor,
} from '../src/index.ts';
import type { Add, CeilDiv, Compare, FloorDiv, Mod, Mul, Overflow, Product, Sub } from '../src/shapes/arithmetic.ts';
import type { AxisIndex } from '../src/shapes/axis.ts';
import type { ConvLength, WindowTooLarge } from '../src/shapes/conv.ts';
import type { IsPositiveInteger, ShowShape } from '../src/shapes/dim.ts';
import type { Disagreement, MergeShapes } from '../src/shapes/merge.ts';

declare function value<T>(): T;

// Addition and subtraction, with carries and borrows across every digit.
expectType<3211265>(value<Add<3211264, 1>>());
expectType<10000000000>(value<Add<9999999999, 1>>());
expectType<9007199254740991>(value<Add<9007199254740990, 1>>());
expectType<Overflow>(value<Add<9007199254740991, 1>>());
expectType<0>(value<Add<0, 0>>());
expectType<9999999999>(value<Sub<10000000000, 1>>());
expectType<0>(value<Sub<64, 64>>());
expectType<never>(value<Sub<3, 5>>());

// Multiplication: exact for real sizes, Overflow past 2^53 - 1.
expectType<3211264>(value<Mul<50176, 64>>());
expectType<0>(value<Mul<0, 123456789>>());
expectType<9007199254740991>(value<Mul<6361, 1416003655831>>());
expectType<Overflow>(value<Mul<4294967296, 4294967296>>());
expectType<3211264>(value<Product<[224, 224, 64]>>());
expectType<1>(value<Product<[]>>());
expectType<Overflow>(value<Product<[1048576, 1048576, 1048576]>>());

// Division, rounding down and up.
expectType<29>(value<FloorDiv<59, 2>>());
expectType<30>(value<CeilDiv<59, 2>>());
expectType<29>(value<CeilDiv<58, 2>>());
expectType<1>(value<Mod<59, 2>>());
expectType<0>(value<FloorDiv<3, 7>>());
expectType<4503599627370495>(value<FloorDiv<9007199254740991, 2>>());
expectType<1>(value<FloorDiv<9007199254740991, 9007199254740991>>());

// Comparison.
expectType<'gt'>(value<Compare<9007199254740991, 9007199254740990>>());
expectType<'lt'>(value<Compare<99, 100>>());
expectType<'eq'>(value<Compare<42, 42>>());

// A wide `number` (a size only the runtime knows) gives a wide answer, never a wrong literal.
expectType<number>(value<Add<number, 1>>());
expectType<number>(value<Mul<3, number>>());
expectType<'lt' | 'eq' | 'gt'>(value<Compare<number, 1>>());

// Dimensions.
expectType<true>(value<IsPositiveInteger<3>>());
expectType<false>(value<IsPositiveInteger<0>>());
expectType<false>(value<IsPositiveInteger<-3>>());
expectType<false>(value<IsPositiveInteger<2.5>>());
expectType<false>(value<IsPositiveInteger<1e21>>());
expectType<boolean>(value<IsPositiveInteger<number>>());
expectType<'[64, null, 3]'>(value<ShowShape<[64, null, 3]>>());
expectType<'[]'>(value<ShowShape<[]>>());
expectType<'[...]'>(value<ShowShape<(number | null)[]>>());

// Axes in Keras numbering (the batch is 0).
expectType<2>(value<AxisIndex<-1, 3>>());
expectType<0>(value<AxisIndex<-3, 3>>());
expectType<0>(value<AxisIndex<1, 3>>());
expectType<never>(value<AxisIndex<0, 3>>());
expectType<never>(value<AxisIndex<4, 3>>());
expectType<never>(value<AxisIndex<-4, 3>>());

// Window lengths.
expectType<60>(value<ConvLength<64, 5, 1, 1, 'valid'>>());
expectType<16>(value<ConvLength<31, 2, 2, 1, 'same'>>());
expectType<220>(value<ConvLength<224, 3, 1, 2, 'valid'>>());
expectType<null>(value<ConvLength<null, 3, 1, 1, 'valid'>>());
expectType<WindowTooLarge<5>>(value<ConvLength<3, 5, 1, 1, 'valid'>>());
expectType<3>(value<ConvLength<3, 5, 1, 1, 'same'>>());
expectType<number>(value<ConvLength<number, 3, 1, 1, 'valid'>>());

// Merging shapes.
expectType<[4, 3]>(value<MergeShapes<[null, 3], [4, 3], -1>>());
expectType<Disagreement<1>>(value<MergeShapes<[2, 3], [4, 3], -1>>());
expectType<[2, 3]>(value<MergeShapes<[2, 3], [4, 3], 0>>());

// Layer dtypes: what each layer declares for int32 inputs, which is what it computes (tests/dtype.test.ts runs
// them). Sums and products of int32 stay int32; a mean, and every layer that computes in floating point, is float32.
const ids = Input([4], { dtype: 'int32' });
const floats = Input([4]);
const image = Input([6, 6, 2], { dtype: 'int32' });
expectType<SymbolicTensor<[4], 'float32', never>>(Average()([ids, ids]));
expectType<SymbolicTensor<[4], 'int32', never>>(AddLayer()([ids, ids]));
expectType<SymbolicTensor<[4], 'int32', never>>(Multiply()([ids, ids]));
expectType<SymbolicTensor<[4], 'float32', never>>(AddLayer()([ids, floats]));
expectType<SymbolicTensor<[4], 'float32', never>>(Multiply()([ids, floats]));
expectType<SymbolicTensor<[4], 'float32', never>>(Average()([ids, floats]));
expectType<SymbolicTensor<[4], 'float32', never>>(Dropout(0.5)(ids));
expectType<SymbolicTensor<[4], 'float32', never>>(Dropout(0.5)(floats));
expectType<SymbolicTensor<[4], 'float32', never>>(BatchNormalization()(ids));
expectType<SymbolicTensor<[4], 'float32', never>>(Activation('tanh')(ids));
expectType<SymbolicTensor<[4, 4, 2], 'float32', never>>(Conv2D(2, 3)(image));
expectType<SymbolicTensor<[3, 3, 2], 'float32', never>>(MaxPooling2D(2)(image));
expectType<SymbolicTensor<[72], 'int32', never>>(Flatten()(image));
