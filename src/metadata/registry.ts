import { MIN_API_VERSION } from '../apiVersions';
import { certificateHandler } from './certificate/certificateType';
import { connectedAppHandler } from './connectedApp/connectedAppType';
import type { MetadataTypeDefinition, MetadataTypeHandler } from './metadataType';
import { storedTypeHandler } from './stored/storedType';
import { FIRST_API_VERSION } from './typeApiVersions';
import { loadTypeFacts, type TypeFacts } from './typeFacts';
import { idPrefixOf } from './typeIdPrefixes';

/** Types with rules of their own; every other type is stored faithfully. A new deep type is one more entry. */
const DEEP_TYPES: Record<string, (definition: MetadataTypeDefinition) => MetadataTypeHandler<any>> = {
  Certificate: certificateHandler,
  ConnectedApp: connectedAppHandler,
};

const META_FILE_LAYOUTS = new Set(['contentFile', 'document', 'experienceBundle']);

function definitionOf(facts: TypeFacts, all: TypeFacts[]): MetadataTypeDefinition {
  const within = facts.within ? all.find((t) => t.name === facts.within) : undefined;
  return {
    xmlName: facts.name,
    directoryName: facts.directoryName,
    suffix: facts.suffix,
    layout: facts.layout,
    metaFile: META_FILE_LAYOUTS.has(facts.layout),
    inFolder: !!facts.inFolder,
    folderType: facts.folderType,
    folderContentType: facts.folderContentType,
    storedAs: facts.aliasFor ?? facts.name,
    fixedFullName: facts.fixedFullName,
    ...(within ? { within: { xmlName: within.name, directoryName: within.directoryName } } : {}),
    children: facts.children,
    idPrefix: idPrefixOf(facts.name),
    minApiVersion: FIRST_API_VERSION[facts.name] ?? MIN_API_VERSION,
  };
}

function build() {
  const table = loadTypeFacts();
  const handlers = new Map<string, MetadataTypeHandler<any>>();
  const topLevel: MetadataTypeHandler<any>[] = [];
  const add = (definition: MetadataTypeDefinition) => {
    const handler = (DEEP_TYPES[definition.xmlName] ?? storedTypeHandler)(definition);
    handlers.set(definition.xmlName, handler);
    return handler;
  };
  for (const facts of table.types) {
    const parent = definitionOf(facts, table.types);
    topLevel.push(add(parent));
    for (const part of facts.parts ?? []) add({ ...parent, xmlName: part, storedAs: parent.storedAs, children: [], partOf: parent.xmlName });
    for (const child of facts.children) {
      add({
        xmlName: child.name, directoryName: parent.directoryName, suffix: parent.suffix, layout: 'xml', metaFile: false,
        inFolder: false, storedAs: child.name, children: [], parent: { xmlName: parent.xmlName, child },
        idPrefix: idPrefixOf(child.name), minApiVersion: parent.minApiVersion,
      });
    }
  }
  const byDirectory = new Map<string, MetadataTypeHandler<any>[]>();
  for (const h of topLevel) {
    // A type within another's components has its files in that type's directory.
    const directory = h.definition.within?.directoryName ?? h.definition.directoryName;
    const list = byDirectory.get(directory) ?? [];
    list.push(h);
    byDirectory.set(directory, list);
  }
  return { source: table.source, handlers, topLevel, byDirectory };
}

let registry: ReturnType<typeof build> | undefined;
const loaded = () => (registry ??= build());

/** Every metadata type a current org knows, with the handler that emulates it. */
export const MetadataRegistry = {
  /** Where the type facts come from (library and version). */
  source: (): string => loaded().source,
  /** Top-level types (not child types such as CustomField), for describeMetadata. */
  topLevel: (): MetadataTypeHandler<any>[] => loaded().topLevel,
  get: (xmlName: string): MetadataTypeHandler<any> | undefined => loaded().handlers.get(xmlName),
  /**
   * The handler of a type as an API version knows it (none given: the latest); undefined before the
   * type existed. Types known at 31.0 are taken as known in the older versions old packages name.
   */
  resolve: (xmlName: string, apiVersion?: number): MetadataTypeHandler<any> | undefined => {
    const handler = loaded().handlers.get(xmlName);
    return handler && (apiVersion === undefined || Math.max(apiVersion, MIN_API_VERSION) >= handler.definition.minApiVersion) ? handler : undefined;
  },
  /** Top-level types whose files sit in a directory (`wave` holds ten). */
  inDirectory: (directory: string): MetadataTypeHandler<any>[] => loaded().byDirectory.get(directory) ?? [],
  /** The child types of a parent type, by the element of the parent file that holds each. */
  childrenOf: (xmlName: string): MetadataTypeHandler<any>[] =>
    (loaded().handlers.get(xmlName)?.definition.children ?? []).map((c) => loaded().handlers.get(c.name)!),
};
