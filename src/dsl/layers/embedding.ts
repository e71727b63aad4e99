// Embedding: integer token ids [...] => vectors [..., outputDim] (a single id, shape [], gives [outputDim]).
import * as tf from '@tensorflow/tfjs';
import { type DTypeMessage, fail, type OptionMessage } from '../../errors.ts';
import { type Dim, type Shape, type ShowShape, showShape } from '../../shapes/dim.ts';
import type { Constraint } from '../constraints.ts';
import type { Initializer } from '../initializers.ts';
import { type DTypeOf, type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, boolean, type Opt, optionsObject, type PositiveArg, positiveInteger } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import type { DType } from '../tensor.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface EmbeddingOptions extends BaseOptions {
  /** Treat id 0 as padding and mask it out of later recurrent layers. Default `false`. */
  readonly maskZero?: boolean;
  /** Default `'uniform'` (randomUniform in [-0.05, 0.05]). */
  readonly embeddingsInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly embeddingsConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly embeddingsRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
  /**
   * Keras 2's length of the id sequences (Keras 3 deprecates it): accepted, saved, and checked against the input's
   * last axis. Default none.
   */
  readonly inputLength?: number;
}

const dtypeHint = "declare the ids as Input(shape, { dtype: 'int32' })";

/**
 * int32 [...] => float32 [..., outputDim].
 * @example EmbeddingShape<[100], 'int32', 128> //=> Ok<[100, 128], 'float32'>
 */
export type EmbeddingShape<
  S extends Shape,
  D extends DType,
  OutputDim extends number,
  Length extends number = number,
> = [D] extends ['int32']
  ? _LengthCheck<S, Length, Ok<[...S, OutputDim], 'float32'>>
  : DTypeMessage<'Embedding', 'int32', D, S, typeof dtypeHint>;

/** The message when inputLength is a literal that the input's last axis, a literal too, is not. */
type _LengthCheck<S extends Shape, Length extends number, Out> = number extends Length
  ? Out
  : S extends readonly [...Dim[], infer Last extends Dim]
    ? Last extends number
      ? number extends Last
        ? Out
        : Last extends Length
          ? Out
          : OptionMessage<'Embedding', 'inputLength', `${Last} (the last axis of the input ${ShowShape<S>})`, Length>
      : Out
    : OptionMessage<'Embedding', 'inputLength', 'absent for a single id (input [])', Length>;

export interface EmbeddingRule<in out OutputDim extends number, in out Length extends number = number> extends Rule {
  readonly output: EmbeddingShape<InputOf<this>, DTypeOf<this>, OutputDim, Length>;
}

/**
 * `Embedding(inputDim, outputDim, { maskZero, name })`: ids in [0, inputDim) become outputDim-vectors.
 * @example Embedding(10000, 128)(Input([100], { dtype: 'int32' })) //=> SymbolicTensor<[100, 128], 'float32', never>
 */
export function Embedding<
  const InputDim extends number,
  const OutputDim extends number,
  const Options extends EmbeddingOptions = Record<never, never>,
>(
  inputDim: PositiveArg<'Embedding', 'inputDim', InputDim>,
  outputDim: PositiveArg<'Embedding', 'outputDim', OutputDim>,
  options?: Options & NoInfer<WeightOptionsCheck<'Embedding', Options>>,
): Layer<EmbeddingRule<OutputDim, Opt<Options, 'inputLength', number>>>;
export function Embedding(inputDim: unknown, outputDim: unknown, options?: unknown): Layer<Rule> {
  return embeddingLayer(inputDim, outputDim, options);
}

/** Embedding from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function embeddingLayer(inputDim: unknown, outputDim: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Embedding', options);
  const vocabulary = positiveInteger('Embedding', 'inputDim', inputDim);
  const size = positiveInteger('Embedding', 'outputDim', outputDim);
  const maskZero = boolean('Embedding', 'maskZero', opts.maskZero ?? false);
  const inputLength =
    opts.inputLength === undefined ? undefined : positiveInteger('Embedding', 'inputLength', opts.inputLength);
  const weighted = weightOptions(
    'Embedding',
    opts,
    ['embeddingsInitializer'],
    ['embeddingsConstraint'],
    ['embeddingsRegularizer', 'activityRegularizer'],
  );
  return unaryLayer(
    {
      className: 'Embedding',
      ...weighted.spec,
      config: {
        inputDim: vocabulary,
        outputDim: size,
        maskZero,
        ...(inputLength === undefined ? {} : { inputLength }),
        ...weighted.config,
      },
      valueRange: { min: 0, max: vocabulary - 1, what: 'ids' },
      outputShape({ shape, dtype }) {
        if (dtype !== 'int32')
          fail({ code: 'dtype', layer: 'Embedding', expected: 'int32', received: dtype, shape, hint: dtypeHint });
        const last = shape.at(-1);
        if (inputLength !== undefined && last !== inputLength && last !== null)
          fail({
            code: 'option',
            layer: 'Embedding',
            option: 'inputLength',
            expected:
              last === undefined
                ? 'absent for a single id (input [])'
                : `${last} (the last axis of the input ${showShape(shape)})`,
            received: String(inputLength),
          });
        return { shape: [...shape, size], dtype: 'float32' };
      },
      weights: () => [{ name: 'embeddings', shape: [vocabulary, size], trainable: true }],
      lower: (name) => tf.layers.embedding({ inputDim: vocabulary, outputDim: size, maskZero, ...weighted.tfjs, name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Embedding', (config, name) =>
  embeddingLayer(config.inputDim, config.outputDim, { ...config, ...named(name) }),
);
