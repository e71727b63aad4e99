// The Transformer text classifier's TokenAndPositionEmbedding
// (keras.io/examples/nlp/text_classification_with_transformer), written by a user with kerats' public layer API,
// as examples/custom-layers.ts writes CustomDense and Sampling.
import * as tf from '@tensorflow/tfjs';
import {
  type DTypeOf,
  defineLayer,
  type InputOf,
  KeratsError,
  type Layer,
  type Ok,
  positiveInteger,
  type Rule,
} from 'kerats';

/** Ids [maxlen] int32 => token embedding + position embedding, [maxlen, embedDim]. */
export interface TokenAndPositionEmbeddingRule<EmbedDim extends number> extends Rule {
  readonly output: DTypeOf<this> extends 'int32'
    ? InputOf<this> extends readonly [infer Steps extends number]
      ? Ok<[Steps, EmbedDim], 'float32'>
      : 'TokenAndPositionEmbedding: expects ids of a known length [maxlen]'
    : 'TokenAndPositionEmbedding: expects int32 ids';
}

export const TokenAndPositionEmbedding = defineLayer(
  {
    className: 'TokenAndPositionEmbedding',
    config: ({ maxlen, vocabSize, embedDim }) => ({
      maxlen: positiveInteger('TokenAndPositionEmbedding', 'maxlen', maxlen),
      vocabSize: positiveInteger('TokenAndPositionEmbedding', 'vocabSize', vocabSize),
      embedDim: positiveInteger('TokenAndPositionEmbedding', 'embedDim', embedDim),
    }),
    outputShape({ shape, dtype }, { maxlen, embedDim }) {
      if (dtype !== 'int32' || shape.length !== 1 || shape[0] !== maxlen)
        throw new KeratsError({
          code: 'dtype',
          layer: 'TokenAndPositionEmbedding',
          expected: `int32 [${maxlen}]`,
          received: dtype,
          shape,
          hint: '',
        });
      return { shape: [maxlen, embedDim], dtype: 'float32' };
    },
    weights: (_input, { maxlen, vocabSize, embedDim }) => [
      { name: 'token_embeddings', shape: [vocabSize, embedDim], initializer: 'randomUniform' },
      { name: 'position_embeddings', shape: [maxlen, embedDim], initializer: 'randomUniform' },
    ],
    // Keras adds the positions 0..maxlen-1 embedded; every sample has all maxlen, so the table adds as it is.
    call: (ids, { token_embeddings, position_embeddings }) =>
      tf.add(tf.gather(token_embeddings, ids), position_embeddings),
  },
  // `TokenAndPositionEmbedding(maxlen, vocabSize, embedDim)`, Keras's positional arguments.
  (create) =>
    function TokenAndPositionEmbedding<const EmbedDim extends number>(
      maxlen: number,
      vocabSize: number,
      embedDim: EmbedDim,
    ): Layer<TokenAndPositionEmbeddingRule<EmbedDim>> {
      return create({ maxlen, vocabSize, embedDim });
    },
);
