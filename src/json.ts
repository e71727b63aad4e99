// Checks on values of unknown shape (options, files, messages between threads).

/** A plain object (not null, not an array), whose properties can be read and checked one by one. */
export function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
