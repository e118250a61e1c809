import { MetadataRegistry } from '../metadata/registry';
import { composeParentFile, parentNameOf } from '../metadata/stored/parentFile';
import { pathOf } from '../metadata/layout/componentPaths';
import { nameKey, type StoredComponent } from '../store/components';
import type { Store } from '../store/store';

/** A retrieved file's bytes, made when asked for: a parent file is composed only when its turn comes. */
export type FileMaker = () => Buffer;

/**
 * The files a retrieve returns for a set of components, paths relative to the package folder.
 * Most components are their own files. Parents and children share one file: a parent asked for
 * comes with all its children; children asked for alone come in a parent file that holds just them.
 */
export function retrievedFiles(store: Store, orgId: string, components: StoredComponent[]): Map<string, Buffer> {
  return new Map([...retrievedFileMakers(store, orgId, components)].map(([path, make]) => [path, make()]));
}

/**
 * The same files, each made when asked for: a retrieve zips them one at a time, so the parent files
 * of a large retrieve (40 objects of 400 fields: 34 MB of XML) are never all held at once. Components
 * read with their file paths only (`filePaths`) have their bytes read a batch at a time as the zip
 * reaches them, so those of a retrieve at the limits (36 MB in 10,000 files) are not all held either.
 */
export function retrievedFileMakers(store: Store, orgId: string, components: StoredComponent[]): Map<string, FileMaker> {
  const files = new Map<string, FileMaker>();
  // Components read without their bytes, in the order the zip will ask for them: leaves, then parents' own files.
  const deferred: StoredComponent[] = [];
  const bytesOf = fileBytesInBatches(store, deferred);
  // Parent files to write: the parent's own part (when asked for) and the children they hold, by name.
  const parents = new Map<string, { type: string; name: string; own?: StoredComponent; children: Map<string, StoredComponent> }>();
  const parentEntry = (type: string, name: string) => {
    const k = `${type}:${name.toLowerCase()}`;
    let entry = parents.get(k);
    if (!entry) parents.set(k, (entry = { type, name, children: new Map() }));
    return entry;
  };
  const childrenOf = childrenReader(store, orgId, components.length);
  for (const c of components) {
    const { definition, files: filesOf } = MetadataRegistry.get(c.type)!;
    if (definition.parent) {
      parentEntry(definition.parent.xmlName, parentNameOf(definition, c.fullName)).children.set(`${c.type}:${c.fullName}`, c);
    } else if (definition.children.length) {
      const entry = parentEntry(c.type, c.fullName);
      entry.own = c;
      for (const child of childrenOf(c)) entry.children.set(`${child.type}:${child.fullName}`, child);
    } else if (c.filePaths?.length) {
      // Read without its bytes: a type stored as deployed, whose files are the stored ones (storedType.ts).
      deferred.push(c);
      for (const path of c.filePaths) files.set(path, () => bytesOf(c).get(path)!);
    } else {
      for (const [path, bytes] of filesOf(c)) files.set(path, () => bytes);
    }
  }
  for (const { type, name, own, children } of parents.values()) {
    const definition = MetadataRegistry.get(type)!.definition;
    if (own?.filePaths?.length) deferred.push(own);
    files.set(pathOf(definition, own?.fullName ?? name), () => {
      const ownFile = own && (own.filePaths ? bytesOf(own).values().next().value : own.files?.values().next().value);
      const xml = composeParentFile(definition, ownFile, [...children.values()].map((c) => ({ fullName: c.fullName, xml: c.content?.toString('utf8') ?? '' })));
      return Buffer.from(xml);
    });
  }
  return files;
}

/** How many components' files a retrieve reads at once (one query), when they were read without them. */
const FILE_BATCH = 256;

/**
 * The bytes of components read with their paths only, `order` being the order the retrieve asks for them (filled
 * before it first does): a component not yet read brings the files of the next FILE_BATCH components with it,
 * and the batch before is let go.
 */
function fileBytesInBatches(store: Store, order: StoredComponent[]): (c: StoredComponent) => Map<string, Buffer> {
  let position: Map<string, number> | undefined;
  let batch = new Map<string, Map<string, Buffer>>();
  return (c) => {
    let files = batch.get(c.id);
    if (!files) {
      position ??= new Map(order.map((d, i) => [d.id, i]));
      const from = position.get(c.id) ?? 0;
      batch = store.components.fileBytes(order.slice(from, from + FILE_BATCH).map((d) => d.id));
      files = batch.get(c.id) ?? new Map();
    }
    return files;
  };
}

/** Parents beyond which their children are read a type at a time rather than a parent at a time. */
const READ_CHILDREN_BY_TYPE_FROM = 16;

/**
 * Reads the children of the parents of one retrieve: for a few parents one query per parent and
 * child type; for many (a retrieve of hundreds of objects) every child of a type at once, grouped
 * by parent name, so the queries do not grow with the parents.
 */
function childrenReader(store: Store, orgId: string, parents: number): (parent: StoredComponent) => StoredComponent[] {
  if (parents < READ_CHILDREN_BY_TYPE_FROM) return (parent) => allChildren(store, orgId, parent);
  const byType = new Map<string, Map<string, StoredComponent[]>>();
  const ofType = (type: string) => {
    let byParent = byType.get(type);
    if (!byParent) {
      byType.set(type, (byParent = new Map()));
      for (const child of store.components.list(orgId, type)) {
        const key = nameKey(child.fullName);
        const dot = key.indexOf('.');
        if (dot < 0) continue;
        const parentKey = key.slice(0, dot);
        let list = byParent.get(parentKey);
        if (!list) byParent.set(parentKey, (list = []));
        list.push(child);
      }
    }
    return byParent;
  };
  return (parent) => {
    // A parent whose name holds a dot is not one the grouping above can find: asked for on its own.
    if (parent.fullName.includes('.')) return allChildren(store, orgId, parent);
    return MetadataRegistry.childrenOf(parent.type).flatMap(({ definition }) => (definition.parent!.child.ignoreParentName
      ? store.components.list(orgId, definition.xmlName)
      : ofType(definition.xmlName).get(nameKey(parent.fullName)) ?? []));
  };
}

/** Every stored child of a parent component. */
export function allChildren(store: Store, orgId: string, parent: StoredComponent): StoredComponent[] {
  return MetadataRegistry.childrenOf(parent.type).flatMap(({ definition }) => (definition.parent!.child.ignoreParentName
    ? store.components.list(orgId, definition.xmlName)
    : store.components.withPrefix(orgId, definition.xmlName, `${parent.fullName}.`)));
}
