import type { MetadataTypeDefinition } from '../metadataType';

export const META = '-meta.xml';

/** The path of a component's file in a metadata-format package, from its name (its meta file with `meta`). */
export function pathOf(type: MetadataTypeDefinition, fullName: string, meta = false): string {
  if (type.within) {
    // In a territory model's folder: the model's own file, or its territories' and rules' (`M.T`).
    if (type.within.xmlName === type.xmlName) return `${type.within.directoryName}/${fullName}/${fullName}.${type.suffix}`;
    const dot = fullName.indexOf('.');
    return `${type.within.directoryName}/${fullName.slice(0, dot)}/${type.directoryName}/${fullName.slice(dot + 1)}.${type.suffix}`;
  }
  const base = `${type.directoryName}/${fullName}`;
  if (type.layout === 'folder') return `${base}${META}`;
  return `${base}.${type.suffix}${meta ? META : ''}`;
}

/** A bundle's own meta file: `Name/Name.<kind>-meta.xml` at the bundle's top. */
export const isBundleMeta = (rest: string[]) => rest.length === 2 && rest[1]!.startsWith(`${rest[0]}.`) && rest[1]!.endsWith(META);
