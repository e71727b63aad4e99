// Sequential: the compiler folds the list, so each element's output is typed and a mistake is reported at the
// element that is wrong. The keras.io MNIST convnet, a block without an Input, nesting, and lists built in loops.
import { expectError, expectType } from 'tsd';
import {
  Conv2D,
  Dense,
  type Dim,
  Dropout,
  type DType,
  Flatten,
  Input,
  LSTM,
  MaxPooling2D,
  Model,
  Sequential,
  type SymbolicTensor,
} from '../src/index.ts';

// keras.io/examples/vision/mnist_convnet
const convnet = Sequential([
  Input([28, 28, 1]),
  Conv2D(32, [3, 3], { activation: 'relu' }),
  MaxPooling2D([2, 2]),
  Conv2D(64, [3, 3], { activation: 'relu' }),
  MaxPooling2D([2, 2]),
  Flatten(),
  Dropout(0.5),
  Dense(10, { activation: 'softmax' }),
]);
const image = Input([28, 28, 1]);
expectType<SymbolicTensor<[10], 'float32', never>>(convnet(image));

// A block: called like a layer, typed by each call's input.
const head = Sequential([Flatten(), Dense(64, { activation: 'relu' }), Dense(10)]);
expectType<SymbolicTensor<[10], 'float32', never>>(head(Input([7, 7, 64])));
expectType<SymbolicTensor<[10], 'float32', never>>(head(Input([3136])));

// Nested in a functional model and in another Sequential.
const features = Sequential([Conv2D(8, 3), MaxPooling2D(2)]);
const x = Input([32, 32, 3]);
expectType<SymbolicTensor<[15, 15, 8], 'float32', never>>(features(x));
const whole = Sequential([Input([32, 32, 3]), features, Flatten(), Dense(2)]);
expectType<SymbolicTensor<[2], 'float32', never>>(whole(x));
const withModel = Sequential([Input([28, 28, 1]), convnet, Dense(1)]);
expectType<SymbolicTensor<[1], 'float32', never>>(withModel(image));
Model({ inputs: x, outputs: head(features(x)) });

// A list built in a loop: unknown rank, checked when the model is built.
const hidden = [64, 32].map((units) => Dense(units, { activation: 'relu' }));
const mlp = Sequential([Input([20]), ...hidden, Dense(1)]);
expectType<SymbolicTensor<Dim[], DType, never>>(mlp(Input([20])));

// Mistakes, each at its element.
expectError(Sequential([Input([28, 28, 1]), Flatten(), Conv2D(8, 3)]));
expectError(Sequential([Input([10, 4]), LSTM(8, { returnState: true }), Dense(1)]));
expectError(features(Input([32])));
expectError(Sequential([Input([2, 2, 1]), features]));
