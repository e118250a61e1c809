/** API versions Localforce answers, as the newest real release does. */
export const MIN_API_VERSION = 31;
export const MAX_API_VERSION = 66;

export const LATEST_API_VERSION = `${MAX_API_VERSION}.0`;

/** `66.0` or `66` → 66; anything else (including `v66.0`) → undefined. */
export function parseApiVersion(text: string): number | undefined {
  if (!/^\d+(\.0)?$/.test(text)) return undefined;
  const v = Number(text);
  return v >= MIN_API_VERSION && v <= MAX_API_VERSION ? v : undefined;
}

export const supportedVersions = (): string[] =>
  Array.from({ length: MAX_API_VERSION - MIN_API_VERSION + 1 }, (_, i) => `${MIN_API_VERSION + i}.0`);
