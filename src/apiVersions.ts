/** API versions Localforce answers: from 31.0 to the newest release, 68.0 (Winter '27) unless started with another. */
export const MIN_API_VERSION = 31;
export const DEFAULT_NEWEST_API_VERSION = 68;

let newest = DEFAULT_NEWEST_API_VERSION;

/** The newest version answered; the URL, package.xml `<version>` and the types all use the same range. */
export const newestApiVersion = (): number => newest;

/**
 * Sets the newest version for this process (the `--api-version` start option), to act as an org
 * of an older release. Shared by every server of the process, like the real service's release.
 */
export function setNewestApiVersion(version: number): void {
  if (!Number.isInteger(version) || version < MIN_API_VERSION || version > DEFAULT_NEWEST_API_VERSION) {
    throw new Error(`The newest API version must be a whole version from ${MIN_API_VERSION}.0 to ${DEFAULT_NEWEST_API_VERSION}.0, not ${version}`);
  }
  newest = version;
}

export const latestApiVersion = (): string => `${newest}.0`;

/** `66.0` or `66` → 66; anything else (including `v66.0`) → undefined. */
export function parseApiVersion(text: string): number | undefined {
  if (!/^\d+(\.0)?$/.test(text)) return undefined;
  const v = Number(text);
  return v >= MIN_API_VERSION && v <= newest ? v : undefined;
}

/**
 * A package.xml `<version>`: any release up to the newest. Older packages than 31.0 still deploy
 * (client libraries' own test packages say 12.0); a version newer than the org's is refused.
 */
export function parseManifestVersion(text: string): number | undefined {
  if (!/^\d+(\.\d)?$/.test(text)) return undefined;
  const v = Number(text);
  return v >= 1 && v <= newest ? v : undefined;
}

export const supportedVersions = (): string[] =>
  Array.from({ length: newest - MIN_API_VERSION + 1 }, (_, i) => `${MIN_API_VERSION + i}.0`);
