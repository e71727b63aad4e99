// TimeDistributed: applies a layer to every step of [steps, ...rest], with one set of weights for all steps.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage, type RankMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import {
  type Apply,
  type DTypeOf,
  type InputOf,
  isLayerHandle,
  type Layer,
  type Ok,
  type OkList,
  onlyOutput,
  type Rule,
  unaryLayer,
} from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';

/**
 * [steps, ...rest] => [steps, ...inner(rest)].
 * @example TimeDistributedShape<DenseRule<1>, [100, 10], 'float32'> //=> Ok<[100, 1], 'float32'>
 */
export type TimeDistributedShape<R extends Rule, S extends Shape, D extends DType> = S extends readonly [
  infer Steps extends Dim,
  ...infer Rest extends Shape,
]
  ? Rest extends readonly []
    ? RankMessage<'TimeDistributed', '2 or more', '[steps, ...]', S, ''>
    : Apply<R, Rest, D> extends Ok<infer Out extends Shape, infer OutDType extends DType>
      ? Ok<[Steps, ...Out], OutDType>
      : Apply<R, Rest, D> extends OkList
        ? OptionMessage<
            'TimeDistributed',
            'layer',
            'a layer with one output',
            `a layer with ${Apply<R, Rest, D>['length']} outputs`
          >
        : Apply<R, Rest, D>
  : RankMessage<'TimeDistributed', '2 or more', '[steps, ...]', S, ''>;

export interface TimeDistributedRule<in out R extends Rule> extends Rule {
  readonly output: TimeDistributedShape<R, InputOf<this>, DTypeOf<this>>;
}

/**
 * `TimeDistributed(layer, { name })`. The wrapped layer must not be called on its own.
 * @example TimeDistributed(Dense(1))(Input([100, 10])) //=> SymbolicTensor<[100, 1], 'float32', never>
 */
export function TimeDistributed<R extends Rule>(layer: Layer<R>, options?: BaseOptions): Layer<TimeDistributedRule<R>>;
export function TimeDistributed(layer: unknown, options?: unknown): Layer<Rule> {
  return timeDistributedLayer(layer, options);
}

/** TimeDistributed from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function timeDistributedLayer(layer: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('TimeDistributed', options);
  const innerCore = isLayerHandle(layer) ? layer.core : undefined;
  const inner = innerCore?.spec;
  if (inner === undefined || innerCore === undefined)
    fail({ code: 'option', layer: 'TimeDistributed', option: 'layer', expected: 'a layer', received: describe(layer) });
  // The layer's activityRegularizer adds nothing here, as in Keras 3, whose TimeDistributed runs the layer's call,
  // not __call__ (keras/src/layers/rnn/time_distributed.py); its weight regularizers count.
  const steps = (shape: readonly Dim[]): { steps: Dim; rest: readonly Dim[] } => {
    const [first = null, ...rest] = shape;
    if (shape.length < 2)
      fail({
        code: 'rank',
        layer: 'TimeDistributed',
        expected: '2 or more',
        form: '[steps, ...]',
        received: shape,
        hint: '',
      });
    return { steps: first, rest };
  };
  return unaryLayer(
    {
      className: 'TimeDistributed',
      config: { layer: { className: inner.className, config: inner.config } },
      outputShape({ shape, dtype }) {
        const { steps: count, rest } = steps(shape);
        const out = onlyOutput('TimeDistributed', inner.outputShape([{ shape: rest, dtype }]));
        return { shape: [count, ...out.shape], dtype: out.dtype };
      },
      weights: ({ shape, dtype }) => inner.weights([{ shape: steps(shape).rest, dtype }]),
      flops: ({ shape, dtype }) => (shape[0] ?? 1) * (inner.flops?.([{ shape: steps(shape).rest, dtype }]) ?? 0),
      lower: (name, calls, lowering) => {
        const perStep = calls.map(({ shape, dtype }) => [{ shape: shape.slice(1), dtype }]);
        // The layer itself, shared with its own calls elsewhere (Keras's TimeDistributed holds the layer).
        const layer = lowering.shared(innerCore, () =>
          inner.lower(`${name}_${inner.className.toLowerCase()}`, perStep, lowering),
        );
        const lowered = tf.layers.timeDistributed({ layer, name });
        // tfjs fixes the number of steps at the first call; Keras, and a shared layer's later calls, do not.
        if (new Set(calls.map(({ shape }) => shape[0])).size > 1) {
          const build = lowered.build.bind(lowered);
          lowered.build = (inputShape) => {
            build(inputShape);
            lowered.inputSpec = [{ ndim: (calls[0]?.shape.length ?? 1) + 1 }];
          };
        }
        return lowered;
      },
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('TimeDistributed', (config, name, { rebuild }) =>
  timeDistributedLayer(rebuild(config.layer), named(name)),
);
