// Models called as layers: the functional API guide's encoder / decoder / autoencoder and ensemble, a siamese
// network, and models with several inputs and outputs, every tensor pinned (tests/nested-models.test.ts runs
// the same models).
import { expectType } from 'tsd';
import {
  type AnyTensor,
  Average,
  type CallableModel,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  Dense,
  GlobalMaxPooling2D,
  Input,
  loadModel,
  MaxPooling2D,
  Model,
  Reshape,
  type SymbolicTensor,
  UpSampling2D,
} from '../src/index.ts';

type T<
  S extends readonly (number | null)[],
  N extends string = never,
  D extends 'float32' | 'int32' = 'float32',
> = SymbolicTensor<S, D, N>;

// The guide's encoder, decoder and autoencoder ("All models are callable, just like layers").
const encoderInput = Input([28, 28, 1], { name: 'original_img' });
const x1 = Conv2D(16, 3, { activation: 'relu' })(encoderInput);
const x2 = Conv2D(32, 3, { activation: 'relu' })(x1);
const x3 = MaxPooling2D(3)(x2);
const x4 = Conv2D(32, 3, { activation: 'relu' })(x3);
const x5 = Conv2D(16, 3, { activation: 'relu' })(x4);
const encoderOutput = GlobalMaxPooling2D()(x5);
const encoder = Model({ inputs: encoderInput, outputs: encoderOutput, name: 'encoder' });
expectType<T<[26, 26, 16], 'original_img'>>(x1);
expectType<T<[24, 24, 32], 'original_img'>>(x2);
expectType<T<[8, 8, 32], 'original_img'>>(x3);
expectType<T<[6, 6, 32], 'original_img'>>(x4);
expectType<T<[4, 4, 16], 'original_img'>>(x5);
expectType<T<[16], 'original_img'>>(encoderOutput);
expectType<CallableModel<T<[28, 28, 1], 'original_img'>, T<[16], 'original_img'>, string, 'encoder'>>(encoder);

const decoderInput = Input([16], { name: 'encoded_img' });
const y1 = Reshape([4, 4, 1])(decoderInput);
const y2 = Conv2DTranspose(16, 3, { activation: 'relu' })(y1);
const y3 = Conv2DTranspose(32, 3, { activation: 'relu' })(y2);
const y4 = UpSampling2D(3)(y3);
const y5 = Conv2DTranspose(16, 3, { activation: 'relu' })(y4);
const decoderOutput = Conv2DTranspose(1, 3, { activation: 'relu' })(y5);
const decoder = Model({ inputs: decoderInput, outputs: decoderOutput, name: 'decoder' });
expectType<T<[4, 4, 1], 'encoded_img'>>(y1);
expectType<T<[6, 6, 16], 'encoded_img'>>(y2);
expectType<T<[8, 8, 32], 'encoded_img'>>(y3);
expectType<T<[24, 24, 32], 'encoded_img'>>(y4);
expectType<T<[26, 26, 16], 'encoded_img'>>(y5);
expectType<T<[28, 28, 1], 'encoded_img'>>(decoderOutput);

const autoencoderInput = Input([28, 28, 1], { name: 'img' });
const encodedImg = encoder(autoencoderInput);
const decodedImg = decoder(encodedImg);
const autoencoder = Model({ inputs: autoencoderInput, outputs: decodedImg, name: 'autoencoder' });
expectType<T<[16], 'img'>>(encodedImg);
expectType<T<[28, 28, 1], 'img'>>(decodedImg);
expectType<CallableModel<T<[28, 28, 1], 'img'>, T<[28, 28, 1], 'img'>, string, 'autoencoder'>>(autoencoder);
// A compiled model is still callable.
expectType<T<[28, 28, 1], 'img'>>(
  autoencoder.compile({ optimizer: 'adam', loss: 'meanSquaredError' })(autoencoderInput),
);

// The guide's ensemble: a helper returns the model, called three times; the average keeps [1].
function getModel() {
  const inputs = Input([128]);
  const outputs = Dense(1)(inputs);
  return Model({ inputs, outputs });
}
const model1 = getModel();
const model2 = getModel();
const model3 = getModel();
const inputs = Input([128]);
const ensembled = Average()([model1(inputs), model2(inputs), model3(inputs)]);
expectType<T<[1]>>(ensembled);
Model({ inputs, outputs: ensembled });

// A siamese network: one embedding model, called on two named inputs; the outputs depend on both.
const image = Input([12]);
const embedding = Model({
  inputs: image,
  outputs: Dense(4)(Dense(8, { activation: 'relu' })(image)),
  name: 'embedding',
});
const left = Input([12], { name: 'left' });
const right = Input([12], { name: 'right' });
const joined = Concatenate()([embedding(left), embedding(right)]);
expectType<T<[4], 'left'>>(embedding(left));
expectType<T<[8], 'left' | 'right'>>(joined);
Model({ inputs: [left, right], outputs: Dense(1, { activation: 'sigmoid' })(joined) });

// Several inputs take a list; several outputs give a tuple. null matches any size, both ways.
const a = Input([null, 3]);
const b = Input([5]);
const pair = Model({ inputs: [a, b], outputs: [Dense(2)(a), Dense(4)(b)], name: 'pair' });
const [first, second] = pair([Input([7, 3], { name: 'p' }), Input([5], { name: 'q' })]);
expectType<T<[null, 2], 'p' | 'q'>>(first);
expectType<T<[4], 'p' | 'q'>>(second);
expectType<[T<[null, 2], 'p'>, T<[4], 'p'>]>(pair([Input([7, 3], { name: 'p' }), Input([null])]));
const fixed = Input([10, 6]);
const perStep = Model({ inputs: fixed, outputs: Dense(2)(fixed) });
expectType<T<[10, 2]>>(perStep(Input([null, 6])));

// Sizes typed number, and tensors typed AnyTensor (a loop, a helper), are left to the runtime.
declare const size: number;
expectType<T<[16]>>(encoder(Input([size, 28, 1])));
declare const loose: AnyTensor;
expectType<SymbolicTensor<[16], 'float32', string>>(encoder(loose));

// A loaded model's inputs are unknown to the compiler: any call compiles, and is checked when it runs.
async function loaded(): Promise<void> {
  const model = await loadModel('saved');
  expectType<CallableModel>(model);
  model(Input([3]));
  model([Input([3]), Input([4])]);
}
void loaded;

// Reaching inside: getLayer's tensors are typed loosely, and a model built from them compiles (and is checked
// when it is built); `trainable` is a boolean on models and their layers.
expectType<AnyTensor>(encoder.getLayer('conv2d_1').output);
const extractor = Model({ inputs: encoder.inputs, outputs: [encoder.getLayer('conv2d_1').output] });
expectType<CallableModel<readonly AnyTensor[], readonly [AnyTensor], string, 'Model'>>(extractor);
encoder.trainable = false;
autoencoder.getLayer('encoder').trainable = true;
expectType<boolean>(autoencoder.trainable);
