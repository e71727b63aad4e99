// Rebuilding layers from their saved description ({ className, config, name }). Each layer's file registers how
// its factory is called from its config; the loader asks here, and never branches on a class name itself.
// Configs come from files, so nothing about them is trusted: the factories check every value, as they do a
// caller's, and the result is checked to be a layer.
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { JsonValue, LayerHandle } from './layer.ts';

export type LayerConfig = { readonly [key: string]: JsonValue };

/** Builds a layer from its config and name; `rebuild` builds nested layers (for wrappers). */
export type LayerFactory = (
  config: LayerConfig,
  name: string | undefined,
  rebuild: (saved: unknown) => LayerHandle,
) => unknown;

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

function isHandle(value: unknown): value is LayerHandle {
  return typeof value === 'function' && 'core' in value && 'className' in value;
}

/** Rebuilds a layer from `{ className, config, name? }`, or fails saying what is wrong with it. */
export function rebuildLayer(saved: unknown, where: string): LayerHandle {
  if (!isRecord(saved) || typeof saved.className !== 'string' || !isRecord(saved.config) || !isJson(saved.config))
    return fail({
      code: 'option',
      layer: where,
      option: 'layer',
      expected: '{ className, config } with a JSON config',
      received: describe(saved),
    });
  const factory = factories.get(saved.className);
  if (factory === undefined)
    return fail({
      code: 'option',
      layer: where,
      option: 'className',
      expected: `one of ${[...factories.keys()].sort().join(', ')}`,
      received: describe(saved.className),
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
  const layer = factory(config, name, (inner) => rebuildLayer(inner, where));
  if (!isHandle(layer)) throw new Error(`kerats: the ${saved.className} factory did not return a layer`);
  return layer;
}

/** The `name` option when there is one (a wrapped layer has none of its own). */
export function named(name: string | undefined): { readonly name?: string } {
  return name === undefined ? {} : { name };
}
