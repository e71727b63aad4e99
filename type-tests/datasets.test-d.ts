// fit, evaluate and predict on a dataset: every form Keras and tfjs users write compiles, History is typed by the
// metrics as with in-memory data, and a wrong call (in-memory or dataset) is still an error.
import * as tf from '@tensorflow/tfjs';
import { expectError, expectType } from 'tsd';
import { Dense, Input, Model } from '../src/index.ts';

declare const images: tf.Tensor;
declare const labels: tf.Tensor;

const x = Input([8]);
const model = Model({ inputs: x, outputs: Dense(1, { activation: 'sigmoid' })(x) }).compile({
  optimizer: 'adam',
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
});

async function* tfjsBatches() {
  yield { xs: images, ys: labels };
}
function* kerasBatches() {
  yield [images, labels] as const;
}

export async function forms() {
  // An async generator object, a sync one, the generator functions themselves, and a tf.data.Dataset.
  const history = await model.fit(tfjsBatches(), { epochs: 2 });
  expectType<number[]>(history.history.val_accuracy);
  await model.fit(kerasBatches(), { stepsPerEpoch: 10 });
  await model.fit(tfjsBatches, { epochs: 5, validationData: tfjsBatches, validationSteps: 2 });
  await model.fit(kerasBatches, { validationData: [images, labels] });
  // Written inline, a yielded [x, y] is a tuple by context.
  await model.fit(async function* () {
    yield [images, labels];
  });
  await model.fit(tf.data.zip({ xs: tf.data.array([1]), ys: tf.data.array([1]) }).batch(32));
  // A batch with sample weights, and in-memory data validated on a dataset.
  await model.fit(function* () {
    yield [images, labels, [1, 2, 3]] as const;
  });
  await model.fit(images, labels, { validationData: tfjsBatches });
  // Targets by output name, in memory and in batches (the output's layer name, which the types do not know).
  await model.fit(images, { dense: labels });
  await model.fit(async function* () {
    yield { xs: images, ys: { dense: labels } };
  });
  expectType<number | undefined>((await model.evaluate(tfjsBatches, { steps: 3 })).loss);
  expectType<tf.Tensor[]>(await model.predict(tfjsBatches()));
  expectType<tf.Tensor[]>(
    await model.predict(function* () {
      yield images;
    }),
  );
}

export async function mistakes() {
  // The in-memory form is as strict as before: no targets, a key Keras would not log.
  expectError(model.fit(images));
  expectError((await model.fit(images, labels)).history.val_acc);
  expectError((await model.fit(tfjsBatches())).history.val_acc);
  // Options a dataset decides, and data-parallel training, which needs in-memory data.
  expectError(model.fit(tfjsBatches(), { batchSize: 32 }));
  expectError(model.fit(tfjsBatches(), { shuffle: true }));
  expectError(model.fit(tfjsBatches(), { validationSplit: 0.2 }));
  expectError(model.fit(tfjsBatches(), { workers: 2 }));
  // The targets are in the batches: a y beside a dataset, and a batch without targets.
  expectError(model.fit(tfjsBatches(), labels, {}));
  expectError(
    model.fit(async function* () {
      yield { xs: images };
    }),
  );
  // An array is in-memory data, not a list of batches (as in Keras).
  expectError(model.fit([{ xs: images, ys: labels }]));
  // A batch of something else.
  expectError(
    model.fit(function* () {
      yield 'images';
    }),
  );
}
