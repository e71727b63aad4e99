// The weight options (initializers, constraints, regularizers) and the recurrent and Embedding options: they leave the shapes as
// they were, names read at run time compile (zero false errors), and a misspelt literal name does not.
import { expectError, expectType } from 'tsd';
import {
  BatchNormalization,
  Conv2D,
  Dense,
  Embedding,
  GRU,
  GroupNormalization,
  type Initializer,
  Input,
  LSTM,
  l1,
  l1l2,
  l2,
  MultiHeadAttention,
  type Regularizer,
  SeparableConv2D,
  SimpleRNN,
  type SymbolicTensor,
} from '../src/index.ts';

const x = Input([32]);
expectType<SymbolicTensor<[10], 'float32', never>>(
  Dense(10, { kernelInitializer: 'he_normal', biasInitializer: 'zeros', kernelConstraint: 'maxNorm' })(x),
);
expectType<SymbolicTensor<[10], 'float32', never>>(
  Dense(10, {
    kernelInitializer: { className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', seed: 1 } },
    kernelConstraint: { className: 'minMaxNorm', config: { minValue: 0.5, maxValue: 2 } },
  })(x),
);

// A name read at run time and an initializer built in a helper compile.
declare const fromConfig: string;
expectType<SymbolicTensor<[4], 'float32', never>>(Dense(4, { kernelInitializer: fromConfig })(x));
const initializer = (seed: number): Initializer => ({ className: 'glorotNormal', config: { seed } });
expectType<SymbolicTensor<[4], 'float32', never>>(Dense(4, { kernelInitializer: initializer(3) })(x));

const image = Input([28, 28, 3]);
expectType<SymbolicTensor<[26, 26, 8], 'float32', never>>(
  Conv2D(8, 3, { kernelInitializer: 'lecun_uniform', biasConstraint: 'non_neg' })(image),
);
expectType<SymbolicTensor<[28, 28, 8], 'float32', never>>(
  SeparableConv2D(8, 1, { depthwiseInitializer: 'ones', pointwiseConstraint: 'unitNorm' })(image),
);
expectType<SymbolicTensor<[28, 28, 3], 'float32', never>>(
  BatchNormalization({ gammaInitializer: 'ones', movingVarianceInitializer: 'ones' })(image),
);

const ids = Input([100], { dtype: 'int32' });
expectType<SymbolicTensor<[100, 16], 'float32', never>>(
  Embedding(1000, 16, { inputLength: 100, embeddingsInitializer: 'uniform' })(ids),
);
declare const length: number;
expectType<SymbolicTensor<[100, 16], 'float32', never>>(Embedding(1000, 16, { inputLength: length })(ids));

const sequence = Input([20, 8]);
expectType<SymbolicTensor<[20, 4], 'float32', never>>(
  LSTM(4, {
    returnSequences: true,
    recurrentActivation: 'sigmoid',
    unitForgetBias: true,
    unroll: true,
    recurrentInitializer: 'orthogonal',
    recurrentConstraint: 'maxNorm',
  })(sequence),
);
expectType<SymbolicTensor<[4], 'float32', never>>(GRU(4, { resetAfter: false, goBackwards: true })(sequence));
// A union of recurrent layers stays callable.
declare const useGRU: boolean;
const rnn = useGRU ? GRU : useGRU ? LSTM : SimpleRNN;
expectType<SymbolicTensor<[4], 'float32', never>>(rnn(4, { dropout: 0.2 })(sequence));

expectError(Dense(4, { kernelInitializer: 'glorot_unifrom' }));
expectError(Conv2D(4, 3, { kernelConstraint: 'nonneg' }));
expectType<SymbolicTensor<[4], 'float32', never>>(GRU(4, { resetAfter: true })(sequence));
expectError(GRU(4, { resetAfter: 'after' }));
expectError(LSTM(4, { resetAfter: 1 }));

// Regularizers: names, class names, `{ className, config }` and the factories leave the shapes as they were.
expectType<SymbolicTensor<[10], 'float32', never>>(
  Dense(10, { kernelRegularizer: l2(1e-4), biasRegularizer: 'l1', activityRegularizer: 'L1L2' })(x),
);
expectType<SymbolicTensor<[26, 26, 8], 'float32', never>>(
  Conv2D(8, 3, { kernelRegularizer: { className: 'L2', config: { l2: 0.001 } } })(image),
);
expectType<SymbolicTensor<[4], 'float32', never>>(
  LSTM(4, { kernelRegularizer: l1(0.01), recurrentRegularizer: l1l2({ l1: 1e-5, l2: 1e-4 }) })(sequence),
);
expectType<SymbolicTensor<[32, 32, 3], 'float32', never>>(
  GroupNormalization({ groups: 3, gammaRegularizer: 'l2' })(Input([32, 32, 3])),
);
expectType<SymbolicTensor<[10, 16], 'float32', never>>(
  MultiHeadAttention({ numHeads: 2, keyDim: 8, kernelRegularizer: 'l2' })(Input([10, 16]), Input([12, 16])),
);
// A name read at run time compiles (checked when the layer is made), and so does a Regularizer variable.
declare const configured: string;
declare const chosen: Regularizer;
expectType<SymbolicTensor<[10], 'float32', never>>(
  Dense(10, { kernelRegularizer: configured, biasRegularizer: chosen })(x),
);
expectType<{ readonly className: 'l2'; readonly config: { readonly l2: number } }>(l2(0.01));
expectError(Dense(10, { kernelRegularizer: 'l3' }));
expectError(Embedding(100, 8, { embeddingsRegularizer: 'L2x' }));
expectError(SimpleRNN(4, { biasRegularizer: 'l1_l2' }));
expectError(MultiHeadAttention({ numHeads: 2, keyDim: 8, biasRegularizer: 'elastic' }));
expectError(GroupNormalization({ betaRegularizer: { className: 'L3' } }));
