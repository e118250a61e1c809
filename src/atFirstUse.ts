/**
 * A value made at its first use and kept: how modules that take long to load (the Apex grammar, the SOQL
 * parser, pg) are required only when a request needs them, not when the server starts.
 */
export function atFirstUse<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
