import { Faults } from '../errors';
import { MetadataRegistry } from '../metadata/registry';
import { componentFileProperties } from './fileProperties';
import type { Operation } from './operation';
import { handlerForCall } from './typeHandler';

export const describeMetadata: Operation = {
  handle(input) {
    const version = typeof input.asOfVersion === 'number' ? input.asOfVersion : undefined;
    return {
      metadataObjects: MetadataRegistry.all()
        .filter((h) => version === undefined || version >= h.definition.minApiVersion)
        .map(({ definition: d }) => ({ childXmlNames: [], directoryName: d.directoryName, inFolder: d.inFolder, metaFile: d.metaFile, suffix: d.suffix, xmlName: d.xmlName })),
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
    return queries.flatMap((q) => {
      // Listing a type Localforce does not emulate finds nothing, as in an org that has none.
      if (q.type && MetadataRegistry.isKnownButNotEmulated(q.type)) return [];
      const handler = handlerForCall(q.type, version);
      const { store } = ctx.services;
      return store.components.stamps(ctx.caller.org.id, handler.definition.xmlName).map((c) => componentFileProperties(store, c));
    });
  },
};

/** Field descriptions come straight from the WSDL's declaration of the type. */
export const describeValueType: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const valueTypeFields = ctx.services.schema.fieldsOf(handler.definition.xmlName).map((f) => ({
      fields: [], foreignKeyDomain: [], isForeignKey: false, isNameField: f.name === 'fullName', minOccurs: f.optional ? 0 : 1,
      name: f.name, picklistValues: [], soapType: f.type, valueRequired: !f.optional,
    }));
    return { apiCreatable: true, apiDeletable: true, apiReadable: true, apiUpdatable: true, valueTypeFields };
  },
};
