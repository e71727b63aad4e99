// The weight options of a layer (its `...Initializer` and `...Constraint` options), resolved together: each
// layer names the options it has and spreads the result into its config and its tfjs layer's arguments.
import { type ConstraintOptionsCheck, constraintOptions, type TfConstraint } from './constraints.ts';
import { type InitializerOptionsCheck, initializerOptions, type TfInitializer } from './initializers.ts';
import type { JsonValue } from './layer.ts';

/** Intersected with a layer's options: a misspelt initializer or constraint name is an error at its property. */
export type WeightOptionsCheck<Layer extends string, Options> = InitializerOptionsCheck<Layer, Options> &
  ConstraintOptionsCheck<Layer, Options>;

/** Resolves the initializer options `initializers` and the constraint options `constraints` of a layer. */
export function weightOptions<const Init extends string, const Limit extends string = never>(
  layer: string,
  options: { readonly [key: string]: unknown },
  initializers: readonly Init[],
  constraints: readonly Limit[] = [],
): {
  /** The options given, resolved (defaults filled in), for the layer's config. */
  readonly config: { readonly [key: string]: JsonValue };
  /** The same as tfjs objects, for the tfjs layer's arguments. */
  readonly tfjs: { readonly [Name in Init]?: TfInitializer } & { readonly [Name in Limit]?: TfConstraint };
} {
  const init = initializerOptions(layer, options, initializers);
  const limit = constraintOptions(layer, options, constraints);
  return { config: { ...init.config, ...limit.config }, tfjs: { ...init.tfjs, ...limit.tfjs } };
}
