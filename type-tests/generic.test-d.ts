// Helpers generic over their input (docs/helpers.md): each block is written once, as a function whose input is a
// type parameter, and each call's output shape is computed from that call's input. tsd checks the pins below;
// tests/generic.test.ts builds every program and compares its shapes with Keras's, and checks that a wiring
// mistake inside a block throws the rule's sentence when the model is built.
import { expectType } from 'tsd';
import {
  Activation,
  Add,
  type AnyTensor,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  Dense,
  type Dim,
  type DType,
  GlobalAveragePooling2D,
  Input,
  type KerasModel,
  LayerNormalization,
  MaxPooling2D,
  Model,
  MultiHeadAttention,
  Multiply,
  type RuleError,
  type SymbolicTensor,
} from '../src/index.ts';

export interface GenericProgram {
  readonly name: string;
  /** The output shapes Keras gives, without the batch axis. */
  readonly expected: readonly (readonly Dim[])[];
  readonly build: () => KerasModel;
}

export const genericPrograms: GenericProgram[] = [];

function program(name: string, expected: readonly (readonly Dim[])[], build: () => KerasModel): void {
  genericPrograms.push({ name, expected, build });
}

// --- ResNet: a residual block with a projection shortcut ----------------------------------------------------
/** Two 3x3 convolutions and a 1x1 projection of the input, added (Keras's ResNet `block1`, without strides). */
export function residualBlock<const T extends AnyTensor, const Filters extends number>(x: T, filters: Filters) {
  const shortcut = BatchNormalization()(Conv2D(filters, 1)(x));
  const y = Activation('relu')(BatchNormalization()(Conv2D(filters, 3, { padding: 'same' })(x)));
  const z = BatchNormalization()(Conv2D(filters, 3, { padding: 'same' })(y));
  return Activation('relu')(Add()([shortcut, z]));
}

/** The identity block: the input is added as it is, so it must already have 16 channels. */
export function identityBlock<const T extends AnyTensor>(x: T) {
  const y = Activation('relu')(BatchNormalization()(Conv2D(16, 3, { padding: 'same' })(x)));
  const z = BatchNormalization()(Conv2D(16, 3, { padding: 'same' })(y));
  return Activation('relu')(Add()([x, z]));
}

program('a ResNet: one residual block called at three shapes, an identity block between', [[10]], () => {
  const inputs = Input([32, 32, 3]);
  const a = residualBlock(inputs, 16);
  expectType<SymbolicTensor<[32, 32, 16], 'float32', never>>(a);
  const b = identityBlock(a);
  expectType<SymbolicTensor<[32, 32, 16], 'float32', never>>(b);
  const c = residualBlock(MaxPooling2D(2)(b), 32);
  expectType<SymbolicTensor<[16, 16, 32], 'float32', never>>(c);
  const d = residualBlock(MaxPooling2D(2)(c), 64);
  expectType<SymbolicTensor<[8, 8, 64], 'float32', never>>(d);
  const outputs = Dense(10, { activation: 'softmax' })(GlobalAveragePooling2D()(d));
  expectType<SymbolicTensor<[10], 'float32', never>>(outputs);
  return Model({ inputs, outputs });
});

program('a residual block on a named input keeps the name in its result', [[8, 8, 4]], () => {
  const image = Input([8, 8, 3], { name: 'image' });
  const out = residualBlock(image, 4);
  expectType<SymbolicTensor<[8, 8, 4], 'float32', 'image'>>(out);
  return Model({ inputs: image, outputs: out });
});

// --- U-Net: a down step and an up step ------------------------------------------------------------------------
/** A convolution kept for the skip connection, then pooled. */
export function downStep<const T extends AnyTensor, const Filters extends number>(x: T, filters: Filters) {
  const skip = Conv2D(filters, 3, { padding: 'same', activation: 'relu' })(x);
  return [skip, MaxPooling2D(2)(skip)] as const;
}

/** Upsampled by a transposed convolution, joined with the skip, convolved. */
export function upStep<const T extends AnyTensor, const Skip extends AnyTensor, const Filters extends number>(
  x: T,
  skip: Skip,
  filters: Filters,
) {
  const up = Conv2DTranspose(filters, 2, { strides: 2 })(x);
  return Conv2D(filters, 3, { padding: 'same', activation: 'relu' })(Concatenate()([up, skip]));
}

program('a U-Net: two down steps, a bottleneck, two up steps', [[32, 32, 1]], () => {
  const inputs = Input([32, 32, 1]);
  const [skip1, down1] = downStep(inputs, 8);
  expectType<SymbolicTensor<[32, 32, 8], 'float32', never>>(skip1);
  expectType<SymbolicTensor<[16, 16, 8], 'float32', never>>(down1);
  const [skip2, down2] = downStep(down1, 16);
  expectType<SymbolicTensor<[16, 16, 16], 'float32', never>>(skip2);
  expectType<SymbolicTensor<[8, 8, 16], 'float32', never>>(down2);
  const bottom = Conv2D(32, 3, { padding: 'same', activation: 'relu' })(down2);
  const up2 = upStep(bottom, skip2, 16);
  expectType<SymbolicTensor<[16, 16, 16], 'float32', never>>(up2);
  const up1 = upStep(up2, skip1, 8);
  expectType<SymbolicTensor<[32, 32, 8], 'float32', never>>(up1);
  const outputs = Conv2D(1, 1, { activation: 'sigmoid' })(up1);
  expectType<SymbolicTensor<[32, 32, 1], 'float32', never>>(outputs);
  return Model({ inputs, outputs });
});

// --- Transformer: a block written once, applied twice ---------------------------------------------------------
/** Self-attention and a feed-forward network, each added to its input and normalized (post-norm, as in keras.io). */
export function transformerBlock<const T extends AnyTensor>(x: T) {
  const attention = MultiHeadAttention({ numHeads: 2, keyDim: 16 })(x, x);
  const normed = LayerNormalization()(Add()([x, attention]));
  const feedForward = Dense(32)(Dense(64, { activation: 'relu' })(normed));
  return LayerNormalization()(Add()([normed, feedForward]));
}

program('a Transformer: one block applied twice', [[10, 32]], () => {
  const tokens = Input([10, 32]);
  const once = transformerBlock(tokens);
  expectType<SymbolicTensor<[10, 32], 'float32', never>>(once);
  const twice = transformerBlock(once);
  expectType<SymbolicTensor<[10, 32], 'float32', never>>(twice);
  return Model({ inputs: tokens, outputs: twice });
});

program('a Transformer block at another sequence length', [[7, 32]], () => {
  const tokens = Input([7, 32]);
  const out = transformerBlock(tokens);
  expectType<SymbolicTensor<[7, 32], 'float32', never>>(out);
  return Model({ inputs: tokens, outputs: out });
});

// --- Sizes from a config --------------------------------------------------------------------------------------
interface BlockConfig {
  readonly filters: number;
  readonly kernel: number;
}

/** A convolution block sized from a config typed `number`: the channels are `number`, the rest exact. */
export function configBlock<const T extends AnyTensor>(x: T, config: BlockConfig) {
  const y = Conv2D(config.filters, config.kernel, { padding: 'same' })(x);
  return MaxPooling2D(2)(Activation('relu')(BatchNormalization()(y)));
}

const config: BlockConfig = JSON.parse('{"filters": 12, "kernel": 3}');

program('a block sized from a config typed number', [[4, 4, 12]], () => {
  const inputs = Input([16, 16, 3]);
  const once = configBlock(inputs, config);
  expectType<SymbolicTensor<[8, 8, number], 'float32', never>>(once);
  const twice = configBlock(once, config);
  expectType<SymbolicTensor<[4, 4, number], 'float32', never>>(twice);
  return Model({ inputs, outputs: twice });
});

// --- A wiring mistake inside a block --------------------------------------------------------------------------
/** The sentence Add gives for the identity block on a 3-channel input. */
export const identityMistake =
  'Add: inputs disagree on axis 3: [8, 8, 3] vs [8, 8, 16] (Add needs equal sizes, or 1 on either side)';

/** The identity block called where its input has 3 channels, not 16: the Add inside it is wrong. */
export function wrongIdentity() {
  return identityBlock(Input([8, 8, 3]));
}

// The helper compiles (its body is checked once, for every input); the call's result carries Add's sentence,
// which the compiler shows where the result is pinned to a shape (type-tests/must-not-compile.test-d.ts).
// (In a function: run, the call throws.)
export function carriesTheSentence(): void {
  expectType<SymbolicTensor<Dim[], DType, never> & RuleError<typeof identityMistake>>(wrongIdentity());
}

// --- Unions of layers stay callable (one call signature per layer) ---------------------------------------------
program('a union of layers is callable: a width or a merge chosen at run time', [[5, 3]], () => {
  const wide = process.env.KERATS_WIDE !== undefined;
  const x = Input([4]);
  const hidden = (wide ? Dense(16) : Dense(8))(x);
  expectType<SymbolicTensor<[16], 'float32', never> | SymbolicTensor<[8], 'float32', never>>(hidden);
  const a = Input([null, 3]);
  const b = Input([5, 3]);
  const merge = wide ? Add : Multiply;
  const merged = merge()([a, b]);
  expectType<SymbolicTensor<[5, 3], 'float32', never>>(merged);
  return Model({ inputs: [x, a, b], outputs: merged });
});
