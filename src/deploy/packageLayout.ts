export const DESTRUCTIVE_MANIFESTS = ['destructiveChangesPre.xml', 'destructiveChanges.xml', 'destructiveChangesPost.xml'] as const;
export type DestructiveKind = (typeof DESTRUCTIVE_MANIFESTS)[number];

/** One package of a deploy zip: its folder prefix (`''`, `unpackaged/`), manifests and other files. */
export interface PackageFolder {
  prefix: string;
  manifest?: Buffer;
  destructive: Partial<Record<DestructiveKind, Buffer>>;
  /** Paths relative to the package folder. */
  files: Map<string, Buffer>;
}

/**
 * Splits a zip into packages. singlePackage: the root is the one package. Otherwise each top-level
 * folder is a package; a manifest left at the root is taken as a package too, as users zipping by
 * hand often do.
 */
export function splitPackages(files: Map<string, Buffer>, singlePackage: boolean): PackageFolder[] {
  const byPrefix = new Map<string, PackageFolder>();
  const folder = (prefix: string) => {
    let p = byPrefix.get(prefix);
    if (!p) byPrefix.set(prefix, (p = { prefix, destructive: {}, files: new Map() }));
    return p;
  };
  const rootHasManifest = files.has('package.xml');
  for (const [path, bytes] of files) {
    const slash = path.indexOf('/');
    const top = path.slice(0, slash + 1);
    const prefix = singlePackage || slash < 0 || (rootHasManifest && !files.has(`${top}package.xml`)) ? '' : top;
    const rel = path.slice(prefix.length);
    const pkg = folder(prefix);
    if (rel === 'package.xml') pkg.manifest = bytes;
    else if ((DESTRUCTIVE_MANIFESTS as readonly string[]).includes(rel)) pkg.destructive[rel as DestructiveKind] = bytes;
    else pkg.files.set(rel, bytes);
  }
  return [...byPrefix.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
}
