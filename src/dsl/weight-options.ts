// The weight options of a layer (its `...Initializer`, `...Constraint` and `...Regularizer` options), resolved
// together: each layer names the options it has and spreads the result into its config and its tfjs layer's
// arguments; the activity regularizer goes into its spec (the runtime adds its penalty, tfjs cannot).
import { type ConstraintOptionsCheck, constraintOptions, type TfConstraint } from './constraints.ts';
import { type InitializerOptionsCheck, initializerOptions, type TfInitializer } from './initializers.ts';
import type { JsonValue } from './layer.ts';
import {
  type RegularizerOptionsCheck,
  type ResolvedRegularizer,
  regularizerOptions,
  type TfRegularizer,
} from './regularizers.ts';

/** Intersected with a layer's options: a misspelt initializer, constraint or regularizer name is an error at its property. */
export type WeightOptionsCheck<Layer extends string, Options> = InitializerOptionsCheck<Layer, Options> &
  ConstraintOptionsCheck<Layer, Options> &
  RegularizerOptionsCheck<Layer, Options>;

/**
 * Resolves the initializer options `initializers`, the constraint options `constraints` and the regularizer
 * options `regularizers` of a layer.
 */
export function weightOptions<
  const Init extends string,
  const Limit extends string = never,
  const Penalty extends string = never,
>(
  layer: string,
  options: { readonly [key: string]: unknown },
  initializers: readonly Init[],
  constraints: readonly Limit[] = [],
  regularizers: readonly Penalty[] = [],
): {
  /** The options given, resolved (defaults filled in), for the layer's config. */
  readonly config: { readonly [key: string]: JsonValue };
  /** The same as tfjs objects, for the tfjs layer's arguments (the activity regularizer apart). */
  readonly tfjs: { readonly [Name in Init]?: TfInitializer } & { readonly [Name in Limit]?: TfConstraint } & {
    readonly [Name in Exclude<Penalty, 'activityRegularizer'>]?: TfRegularizer;
  };
  /** The spec's part: its activity regularizer, if given. */
  readonly spec: { readonly activityRegularizer?: ResolvedRegularizer };
} {
  const init = initializerOptions(layer, options, initializers);
  const limit = constraintOptions(layer, options, constraints);
  const penalty = regularizerOptions(layer, options, regularizers);
  return {
    config: { ...init.config, ...limit.config, ...penalty.config },
    tfjs: { ...init.tfjs, ...limit.tfjs, ...penalty.tfjs },
    spec: penalty.activity === undefined ? {} : { activityRegularizer: penalty.activity },
  };
}
