import { MetadataRegistry } from '../registry';
import type { LocatedComponent, MetadataTypeDefinition } from '../metadataType';
import { isBundleMeta, META } from './componentPaths';


/** What one file of a package is: a file of a type's component, named. */
interface FileMatch {
  type: MetadataTypeDefinition;
  fullName: string;
  /** Whether this file is the one deploy messages name for the component. */
  main: boolean;
}

const strip = (text: string, end: string) => (text.endsWith(end) ? text.slice(0, -end.length) : undefined);

/**
 * Names the component a file belongs to, from the type's layout (see typeFacts.ts). `rest` is the
 * path below the type's directory; `beside` tells whether the package holds another file there (`rest` joined).
 * Returns undefined when the file is not one of that type's.
 */
function matchFile(type: MetadataTypeDefinition, rest: string[], beside: (path: string) => boolean): FileMatch | undefined {
  const file = rest[rest.length - 1]!;
  const inFolders = type.inFolder ? rest.length >= 2 : rest.length === 1;
  const dotted = (base: string) => base.includes('.');
  if (type.within) return matchWithin(type, rest);
  switch (type.layout) {
    case 'xml': {
      const name = inFolders ? strip(rest.join('/'), `.${type.suffix}`) : undefined;
      return name ? { type, fullName: type.fixedFullName ?? name, main: true } : undefined;
    }
    case 'contentFile': {
      if (!inFolders) return undefined;
      const path = rest.join('/');
      const meta = strip(path, `.${type.suffix}${META}`);
      const name = meta ?? strip(path, `.${type.suffix}`);
      return name ? { type, fullName: name, main: !meta } : undefined;
    }
    case 'document': {
      if (rest.length < 2) return undefined;
      const base = strip(file, META) ?? file;
      const folder = rest.slice(0, -1).join('/');
      // A document may have no extension (`documents/F/Readme`, as the Metadata API guide names them): its meta
      // file is told from a nested folder's (`documents/F/Sub-meta.xml`) by the content file beside it.
      if (!dotted(base)) return base !== file && !beside(`${folder}/${base}`) ? undefined : { type, fullName: `${folder}/${base}`, main: base === file };
      return { type, fullName: `${folder}/${base.slice(0, base.lastIndexOf('.'))}`, main: !file.endsWith(META) };
    }
    case 'folder': {
      const name = strip(rest.join('/'), META);
      return name && !dotted(file.slice(0, -META.length)) ? { type, fullName: name, main: true } : undefined;
    }
    case 'bundle':
      return rest.length >= 2 ? { type, fullName: rest[0]!, main: isBundleMeta(rest) } : undefined;
    case 'experienceBundle': {
      if (rest.length === 1) {
        const name = strip(file, `.site${META}`);
        return name ? { type, fullName: name, main: true } : undefined;
      }
      return { type, fullName: rest[0]!, main: false };
    }
    case 'digitalExperience':
      return rest.length >= 3 ? { type, fullName: `${rest[0]}/${rest[1]}`, main: rest.length === 3 && file.endsWith(META) } : undefined;
  }
}

/**
 * A type within another's components (TypeFacts.within): the container's own file `M/M.suffix` (or, as read
 * before, `M.suffix` at the directory's top), and the others `M/<own directory>/T.suffix`, named `M.T`.
 */
function matchWithin(type: MetadataTypeDefinition, rest: string[]): FileMatch | undefined {
  const suffix = `.${type.suffix}`;
  if (type.within!.xmlName === type.xmlName) {
    const name = rest.length === 1 ? strip(rest[0]!, suffix) : rest.length === 2 && rest[1] === `${rest[0]}${suffix}` ? rest[0] : undefined;
    return name ? { type, fullName: name, main: true } : undefined;
  }
  const name = rest.length === 3 && rest[1] === type.directoryName ? strip(rest[2]!, suffix) : undefined;
  return name ? { type, fullName: `${rest[0]}.${name}`, main: true } : undefined;
}

/**
 * Groups a package's files into components of every type the registry knows, by directory and
 * suffix (several types share a directory: `wave`, `reports`, `email`). `stray` keeps the paths
 * that belong to no type.
 */
export function locateComponents(files: Map<string, Buffer>): { components: LocatedComponent[]; stray: string[] } {
  const components = new Map<string, LocatedComponent>();
  const stray: string[] = [];
  for (const [rel, bytes] of files) {
    const [dir, ...rest] = rel.split('/');
    let match: FileMatch | undefined;
    if (rest.length) {
      for (const h of MetadataRegistry.inDirectory(dir!)) {
        if (h.definition.storedAs !== h.definition.xmlName) continue; // an alias: its files are its target's
        if ((match = matchFile(h.definition, rest, (path) => files.has(`${dir}/${path}`)))) break;
      }
    }
    if (!match) { stray.push(rel); continue; }
    const key = `${match.type.xmlName}:${match.fullName}`;
    let c = components.get(key);
    if (!c) components.set(key, (c = { type: match.type, fullName: match.fullName, files: new Map(), mainPath: rel }));
    c.files.set(rel, bytes);
    if (match.main) c.mainPath = rel;
  }
  return { components: [...components.values()], stray };
}
