import { CertificateType } from './certificate/certificateType';
import { KNOWN_TYPES_NOT_EMULATED } from './knownTypes';
import type { MetadataTypeHandler } from './metadataType';

/** Every emulated type, by its XML name; a new type is one more entry here. */
const HANDLERS: MetadataTypeHandler<any>[] = [CertificateType];

const byName = new Map(HANDLERS.map((h) => [h.definition.xmlName, h]));
const byDirectory = new Map(HANDLERS.map((h) => [h.definition.directoryName, h]));
const notEmulated = new Set(KNOWN_TYPES_NOT_EMULATED);

export const MetadataRegistry = {
  all: (): MetadataTypeHandler<any>[] => HANDLERS,
  get: (xmlName: string): MetadataTypeHandler<any> | undefined => byName.get(xmlName),
  /** The handler of a type as an API version knows it (none given: the latest); undefined before the type existed. */
  resolve: (xmlName: string, apiVersion?: number): MetadataTypeHandler<any> | undefined => {
    const handler = byName.get(xmlName);
    return handler && (apiVersion === undefined || apiVersion >= handler.definition.minApiVersion) ? handler : undefined;
  },
  byDirectory: (directory: string): MetadataTypeHandler<any> | undefined => byDirectory.get(directory),
  isKnownButNotEmulated: (xmlName: string): boolean => notEmulated.has(xmlName),
  notEmulatedMessage: (xmlName: string) =>
    `The ${xmlName} type is not emulated yet by Localforce; only ${HANDLERS.map((h) => h.definition.xmlName).join(', ')} can be deployed.`,
};
