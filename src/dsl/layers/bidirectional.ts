// Bidirectional: runs a recurrent layer forwards and backwards and merges the two outputs.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../../errors.ts';
import type { Mul } from '../../shapes/arithmetic.ts';
import type { Shape } from '../../shapes/dim.ts';
import {
  type Apply,
  type DTypeOf,
  type InputOf,
  infoList,
  isLayerHandle,
  type Layer,
  type Ok,
  type Rule,
  unaryLayer,
} from '../layer.ts';
import { type BaseOptions, type Opt, oneOf, optionsObject } from '../options.ts';
import { type AnyRecurrentRule, cellLosses } from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';
import { refuseWrappedActivity } from '../regularizers.ts';
import type { DType } from '../tensor.ts';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface BidirectionalOptions extends BaseOptions {
  /** How the two directions combine. Default `'concat'`, which doubles the last axis. */
  readonly mergeMode?: MergeMode;
}

/**
 * The wrapped layer's output, with the last axis doubled for `'concat'`.
 * @example BidirectionalShape<RecurrentRule<'LSTM', 64, true>, [100, 128], 'float32', 'concat'> //=> Ok<[100, 128], 'float32'>
 */
export type BidirectionalShape<R extends Rule, S extends Shape, D extends DType, Mode extends MergeMode> =
  Apply<R, S, D> extends infer Out
    ? Out extends readonly [infer First, ...infer States extends Ok<Shape, DType>[]]
      ? [_Merged<First, Mode>, ...States, ...States] // returnState: the forward states, then the backward ones
      : _Merged<Out, Mode>
    : never;

/** The merged output of the two directions: the last axis doubled for `'concat'`. */
type _Merged<Out, Mode extends MergeMode> =
  Out extends Ok<readonly [...infer Rest extends Shape, infer Units extends number], infer D extends DType>
    ? Mode extends 'concat'
      ? Mul<Units, 2> extends infer Doubled extends number
        ? Ok<[...Rest, Doubled], D>
        : never
      : Ok<[...Rest, Units], D>
    : Out;

/** `unknown` for a recurrent layer's rule; the message for any other layer. */
export type RecurrentCheck<R extends Rule> = R extends AnyRecurrentRule
  ? unknown
  : { readonly error: OptionMessage<'Bidirectional', 'layer', recurrentLayers, 'another layer'> };

const recurrentLayers = 'a recurrent layer (LSTM, GRU or SimpleRNN)';
type recurrentLayers = typeof recurrentLayers;

export interface BidirectionalRule<in out R extends Rule, in out Mode extends MergeMode> extends Rule {
  readonly output: BidirectionalShape<R, InputOf<this>, DTypeOf<this>, Mode>;
  /** With returnState, a list whatever the input: the output, then each direction's states. */
  readonly unknownRank: R extends { readonly unknownRank: readonly [infer First, ...infer States] }
    ? [First, ...States, ...States]
    : unknown;
}

/**
 * `Bidirectional(LSTM(64, { returnSequences: true }), { mergeMode })`. The wrapped layer must not be called on
 * its own: its weights become the forward half, and a copy of them the backward half.
 * @example Bidirectional(LSTM(64, { returnSequences: true }))(Input([100, 128])) //=> SymbolicTensor<[100, 128], 'float32', never>
 */
export function Bidirectional<R extends Rule, const Options extends BidirectionalOptions = Record<never, never>>(
  layer: Layer<R> & RecurrentCheck<R>,
  options?: Options,
): Layer<BidirectionalRule<R, Opt<Options, 'mergeMode', 'concat'>>>;
export function Bidirectional(layer: unknown, options?: unknown): Layer<Rule> {
  return bidirectionalLayer(layer, options);
}

/** Bidirectional from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function bidirectionalLayer(layer: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Bidirectional', options);
  const inner = isLayerHandle(layer) ? layer.core.spec : undefined;
  if (inner?.recurrent !== true)
    fail({
      code: 'option',
      layer: 'Bidirectional',
      option: 'layer',
      expected: recurrentLayers,
      received: describe(inner?.className ?? layer),
    });
  refuseWrappedActivity('Bidirectional', inner);
  const mergeMode = oneOf('Bidirectional', 'mergeMode', opts.mergeMode ?? 'concat', ['concat', 'sum', 'mul', 'ave']);
  return unaryLayer(
    {
      className: 'Bidirectional',
      config: { layer: { className: inner.className, config: inner.config }, mergeMode },
      outputShape(input) {
        const [out, ...states] = infoList(inner.outputShape([input]));
        if (out === undefined) throw new Error(`kerats: ${inner.className} has no output`);
        const last = out.shape.at(-1) ?? null;
        const merged =
          mergeMode !== 'concat' || last === null
            ? out
            : { shape: [...out.shape.slice(0, -1), last * 2], dtype: out.dtype };
        // With returnState, Keras returns the forward states, then the backward ones.
        return states.length === 0 ? merged : [merged, ...states, ...states];
      },
      weights(input) {
        const half = inner.weights([input]);
        return [
          ...half.map((weight) => ({ ...weight, name: `forward_${weight.name}` })),
          ...half.map((weight) => ({ ...weight, name: `backward_${weight.name}` })),
        ];
      },
      flops: (input) => 2 * (inner.flops?.([input]) ?? 0),
      lower(name, calls, lowering) {
        const rnn = inner.lower(
          `${name}_${inner.className.toLowerCase()}`,
          calls.map((input) => [input]),
          lowering,
        );
        if (!(rnn instanceof tf.RNN))
          throw new TypeError(`Bidirectional: ${inner.className} did not lower to a tfjs RNN`);
        return bothDirectionsLosses(tf.layers.bidirectional({ layer: rnn, mergeMode, name }));
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * tfjs's Bidirectional lists the losses of the layer it was given, which it only copies (its forward and backward
 * layers are rebuilt from its config), so the penalties of their weight regularizers were lost: it lists theirs.
 */
function bothDirectionsLosses(layer: tf.layers.Layer): tf.layers.Layer {
  const directions = ['forwardLayer', 'backwardLayer'].map((key): unknown => Reflect.get(layer, key));
  Object.defineProperty(layer, 'losses', {
    get: () => directions.flatMap((direction) => (direction instanceof tf.layers.Layer ? cellLosses(direction) : [])),
  });
  return layer;
}

registerLayer('Bidirectional', (config, name, { rebuild }) =>
  bidirectionalLayer(rebuild(config.layer), { mergeMode: config.mergeMode, ...named(name) }),
);
