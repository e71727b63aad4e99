// Rebuilding layers from their saved description ({ className, config, name }). Each layer's file registers how
// its factory is called from its config; a user's layers come with the load (`customLayers`, Keras's
// custom_objects). The loader asks here, and never branches on a class name itself.
// Configs come from files, so nothing about them is trusted: the factories check every value, as they do a
// caller's, and the result is checked to be a layer.
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { isLayerHandle, type JsonValue, type LayerHandle } from './layer.ts';

export type LayerConfig = { readonly [key: string]: JsonValue };

/** What a factory may ask of the load besides the layer's config. */
export interface RebuildContext {
  /** Builds a nested layer (for wrappers). */
  rebuild(saved: unknown): LayerHandle;
  /** The user's classes and functions the load was given (a nested model's graph is rebuilt with them). */
  readonly customLayers: CustomLayers;
  /** The function a save refers to by name (a Lambda's), from customLayers; fails naming it when it is absent. */
  customFunction(name: string, what: string): (...args: never[]) => unknown;
}

/** Builds a layer from its config and name. */
export type LayerFactory = (config: LayerConfig, name: string | undefined, context: RebuildContext) => LayerHandle;

declare const classKey: unique symbol;

/** What every layer class made by defineLayer answers: its name, and how to build one from a saved config. */
export interface AnyLayerClass {
  readonly className: string;
  /** The layer a save describes: its config is checked by the definition's `config`, as a caller's options. */
  fromConfig(config: LayerConfig, name: string | undefined): LayerHandle;
  /** Phantom: marks a value made by defineLayer, for loadModel's `customLayers`. */
  readonly [classKey]?: true;
}

/**
 * loadModel's `customLayers`: the classes of a user's layers by class name (what defineLayer returned), and the
 * functions of Lambda layers by their names, as Keras's `custom_objects`.
 */
export type CustomLayers = { readonly [name: string]: AnyLayerClass | ((...args: never[]) => unknown) };

/** Whether a value was made by defineLayer or defineMergeLayer. */
export function isLayerClass(value: unknown): value is AnyLayerClass {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    'className' in value &&
    typeof value.className === 'string' &&
    'fromConfig' in value &&
    typeof value.fromConfig === 'function'
  );
}

const factories = new Map<string, LayerFactory>();

export function registerLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

function isJson(value: unknown, depth = 0): value is JsonValue {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  return isRecord(value) && Object.values(value).every((item) => isJson(item, depth + 1));
}

/** Rebuilds a layer from `{ className, config, name? }`, or fails saying what is wrong with it. */
export function rebuildLayer(saved: unknown, where: string, customLayers: CustomLayers = {}): LayerHandle {
  if (!isRecord(saved) || typeof saved.className !== 'string' || !isRecord(saved.config) || !isJson(saved.config))
    return fail({
      code: 'option',
      layer: where,
      option: 'layer',
      expected: '{ className, config } with a JSON config',
      received: describe(saved),
    });
  const className = saved.className;
  // A user's class comes first, as Keras's custom_objects do; only own properties count (not `toString`).
  const custom = Object.hasOwn(customLayers, className) ? customLayers[className] : undefined;
  if (custom !== undefined && !isLayerClass(custom))
    return fail({
      code: 'option',
      layer: where,
      option: `customLayers.${className}`,
      expected: 'a layer class made by defineLayer or defineMergeLayer',
      received: describe(custom),
    });
  const factory: LayerFactory | undefined =
    custom === undefined ? factories.get(className) : (config, name) => custom.fromConfig(config, name);
  if (factory === undefined)
    return fail({
      code: 'custom-missing',
      layer: where,
      what: `its class ${describe(className)} is not one of kerats' layers`,
      kind: 'class',
      name: className,
      given: Object.keys(customLayers),
    });
  const name = saved.name;
  if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,200}$/.test(name)))
    return fail({
      code: 'option',
      layer: where,
      option: 'name',
      expected: 'letters, digits, _ . - (at most 200)',
      received: describe(name),
    });
  const config: LayerConfig = { ...saved.config };
  const context: RebuildContext = {
    rebuild: (inner) => rebuildLayer(inner, where, customLayers),
    customLayers,
    customFunction(functionName, what) {
      const found = Object.hasOwn(customLayers, functionName) ? customLayers[functionName] : undefined;
      if (typeof found === 'function') return found;
      return fail({
        code: 'custom-missing',
        layer: where,
        what,
        kind: 'function',
        name: functionName,
        given: Object.keys(customLayers),
      });
    },
  };
  const layer = factory(config, name, context);
  if (!isLayerHandle(layer)) throw new Error(`kerats: the ${className} factory did not return a layer`);
  return layer;
}

/** The `name` option when there is one (a wrapped layer has none of its own). */
export function named(name: string | undefined): { readonly name?: string } {
  return name === undefined ? {} : { name };
}
