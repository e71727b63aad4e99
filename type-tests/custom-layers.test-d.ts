// Layers written with the public layer API are typed as the built-ins are: a user's rule gives each call's
// output shape, and its message is the compile error at the call that is wrong.
import * as tf from '@tensorflow/tfjs';
import { expectError, expectType } from 'tsd';
import { CustomDense, type CustomDenseShape, Sampling, type SamplingShape } from '../examples/custom-layers.ts';
import { Dense, Input, Lambda, MultiHeadAttention, Subtract, type SymbolicTensor, UpSampling1D } from '../src/index.ts';

declare function value<T>(): T;

const features = Input([16]);
// A user's rule reads its option: CustomDense(10) on [16] is [10]; the default units are 32, as in the guide.
expectType<SymbolicTensor<[10], 'float32', never>>(CustomDense(10)(features));
expectType<SymbolicTensor<[32], 'float32', never>>(CustomDense()(features));
// A size the compiler cannot see stays number, and compiles.
const units: number = 7;
expectType<SymbolicTensor<[number], 'float32', never>>(CustomDense(units)(features));
// The user's message, at the call that is wrong.
expectError(CustomDense(4)(Input([3, 4])));
expectType<'CustomDense: expects input of rank 1 [features], got [3, 4] (rank 2)'>(
  value<CustomDenseShape<[3, 4], 4>>(),
);
expectType<'CustomDense: axis -1 of the input [null] must be known (it sizes the kernel)'>(
  value<CustomDenseShape<[null], 4>>(),
);

// A user's merge rule: the VAE's sampling, [2] and [2] => [2]; shapes that differ are its message.
const zMean = Dense(2)(features);
const zLogVar = Dense(2)(features);
expectType<SymbolicTensor<[2], 'float32', never>>(Sampling()([zMean, zLogVar]));
expectError(Sampling()([zMean, Dense(3)(features)]));
expectType<'Sampling: zMean and zLogVar must have the same shape'>(
  value<SamplingShape<[SymbolicTensor<[2], 'float32'>, SymbolicTensor<[3], 'float32'>]>>(),
);

// Lambda: the input's shape, a tuple, or a function's declared result.
expectType<SymbolicTensor<[16], 'float32', never>>(Lambda((x) => tf.square(x))(features));
expectType<SymbolicTensor<[4, 4], 'float32', never>>(
  Lambda((x) => tf.reshape(x, [-1, 4, 4]), { outputShape: [4, 4] })(features),
);
expectType<SymbolicTensor<[1], 'float32', never>>(
  Lambda(([a, b]: tf.Tensor[]) => tf.sub(a ?? tf.zeros([1]), b ?? tf.zeros([1])), { outputShape: [1] })([
    zMean,
    zLogVar,
  ]),
);

// The layers tfjs lacks, written with the same API.
expectType<SymbolicTensor<[2], 'float32', never>>(Subtract()([zMean, zLogVar]));
expectType<SymbolicTensor<[20, 16], 'float32', never>>(UpSampling1D()(Input([10, 16])));
const query = Input([8, 16]);
const memory = Input([4, 16]);
expectType<SymbolicTensor<[8, 16], 'float32', never>>(MultiHeadAttention({ numHeads: 2, keyDim: 2 })(query, memory));
expectType<SymbolicTensor<[8, 32], 'float32', never>>(
  MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: 32 })(query, memory, memory),
);
expectError(MultiHeadAttention({ numHeads: 2, keyDim: 2 })(query, memory, Input([5, 16])));
const mask = Input([8, 4]);
expectType<SymbolicTensor<[8, 16], 'float32', never>>(
  MultiHeadAttention({ numHeads: 2, keyDim: 2 })(query, memory, { attentionMask: mask }),
);
expectError(MultiHeadAttention({ numHeads: 2, keyDim: 2 })(query, memory, { attentionMask: Input([8, 5]) }));
