import { Faults } from '../errors';
import { MetadataRegistry } from '../metadata/registry';
import { componentFileProperties } from './fileProperties';
import type { Operation } from './operation';

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
    return queries.flatMap((q) => {
      const handler = q.type ? MetadataRegistry.get(q.type) : undefined;
      if (!handler) {
        if (q.type && MetadataRegistry.isKnownButNotEmulated(q.type)) return [];
        throw Faults.invalidType(`Unknown type: ${q.type ?? ''}`);
      }
      const { store } = ctx.services;
      return store.components.stamps(ctx.caller.org.id, handler.definition.xmlName).map((c) => componentFileProperties(store, c));
    });
  },
};

/** Field descriptions come straight from the WSDL's declaration of the type. */
export const describeValueType: Operation = {
  handle(input, ctx) {
    const raw = String(input.type ?? '');
    const name = raw.replace(/^\{[^}]*\}/, '').split(':').pop()!;
    const handler = MetadataRegistry.get(name);
    if (!handler) throw Faults.invalidType(`Unknown type: ${raw}`);
    const valueTypeFields = ctx.services.schema.fieldsOf(name).map((f) => ({
      fields: [], foreignKeyDomain: [], isForeignKey: false, isNameField: f.name === 'fullName', minOccurs: f.optional ? 0 : 1,
      name: f.name, picklistValues: [], soapType: f.type, valueRequired: !f.optional,
    }));
    return { apiCreatable: true, apiDeletable: true, apiReadable: true, apiUpdatable: true, valueTypeFields };
  },
};
