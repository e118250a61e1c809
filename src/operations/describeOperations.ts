import { Faults } from '../errors';
import { MetadataRegistry } from '../metadata/registry';
import { componentFileProperties } from '../jobs/fileProperties';
import type { Operation } from './operation';
import { handlerForCall } from './typeHandler';

export const describeMetadata: Operation = {
  handle(input) {
    const version = typeof input.asOfVersion === 'number' ? input.asOfVersion : undefined;
    return {
      // Folder types are not listed: the real service implies them by their content type's inFolder.
      metadataObjects: MetadataRegistry.topLevel()
        .filter((h) => !h.definition.folderContentType && (version === undefined || version >= h.definition.minApiVersion))
        .map(({ definition: d }) => ({
          childXmlNames: d.children.map((c) => c.name), directoryName: d.directoryName, inFolder: d.inFolder, metaFile: d.metaFile,
          suffix: d.suffix, xmlName: d.xmlName,
        })),
      organizationNamespace: '',
      partialSaveAllowed: true,
      testRequired: false,
    };
  },
};

export const listMetadata: Operation = {
  handle(input, ctx) {
    const queries = (input.queries ?? []) as { type?: string; folder?: string }[];
    if (queries.length > 3) throw Faults.invalidOperation('listMetadata takes at most 3 queries');
    const version = typeof input.asOfVersion === 'number' ? input.asOfVersion : ctx.apiVersion;
    const { store } = ctx.services;
    return queries.flatMap((q) => {
      const { definition } = handlerForCall(q.type, version);
      const folder = q.folder?.trim();
      // An in-folder type is listed one folder at a time (Report, Dashboard, Document, EmailTemplate).
      if (definition.inFolder && !folder) return [];
      const inFolder = (name: string) => !definition.inFolder || name.slice(0, name.lastIndexOf('/')) === folder;
      return store.components.stamps(ctx.caller.org.id, definition.storedAs)
        .filter((c) => inFolder(c.fullName))
        .map((c) => componentFileProperties(store, definition.layout === 'document' ? store.components.get(c.orgId, c.type, c.fullName)! : c));
    });
  },
};

/** Field descriptions come straight from the WSDL's declaration of the type. */
export const describeValueType: Operation = {
  handle(input, ctx) {
    const { definition } = handlerForCall(input.type, ctx.apiVersion);
    // Our WSDL declares the fields of Certificate; other types are described by the fields every type has.
    const type = ctx.services.schema.isComplex(definition.xmlName) ? definition.xmlName : 'Metadata';
    const valueTypeFields = ctx.services.schema.fieldsOf(type).map((f) => ({
      fields: [], foreignKeyDomain: [], isForeignKey: false, isNameField: f.name === 'fullName', minOccurs: f.optional ? 0 : 1,
      name: f.name, picklistValues: [], soapType: f.type, valueRequired: !f.optional,
    }));
    return { apiCreatable: true, apiDeletable: true, apiReadable: true, apiUpdatable: true, valueTypeFields };
  },
};
