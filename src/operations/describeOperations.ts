import { Faults } from '../errors';
import { MetadataRegistry } from '../metadata/registry';
import type { StoredComponent } from '../store/components';
import type { Operation, OperationContext } from './operation';
import type { FileProperties } from './resultTypes';

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

export function fileProperties(ctx: OperationContext, c: StoredComponent): FileProperties {
  const handler = MetadataRegistry.get(c.type)!;
  const name = (id: string) => ctx.services.store.orgs.user(id)?.fullName ?? '';
  return {
    createdById: c.createdById, createdByName: name(c.createdById), createdDate: c.createdDate,
    fileName: `${handler.definition.directoryName}/${c.fullName}.${handler.definition.suffix}`, fullName: c.fullName, id: c.id,
    lastModifiedById: c.lastModifiedById, lastModifiedByName: name(c.lastModifiedById), lastModifiedDate: c.lastModifiedDate,
    manageableState: 'unmanaged', type: c.type,
  };
}

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
      return ctx.services.store.components.list(ctx.caller.org.id, handler.definition.xmlName).map((c) => fileProperties(ctx, c));
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
