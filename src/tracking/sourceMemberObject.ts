import type { Services } from '../services';
import type { SourceMember } from '../store/sourceMembers';
import { IdPrefix } from '../ids';
import { restDateTime } from '../soql/recordValues';
import type { Row, SObjectTable } from '../soql/soqlEngine';
import { tracksSource } from './sourceTracking';

/** The Tooling API's SourceMember fields Localforce keeps: name, label, type, and whether a client may set it. */
const FIELDS: readonly { name: string; label: string; type: 'id' | 'string' | 'boolean' | 'int' | 'datetime' | 'reference'; updateable?: true }[] = [
  { name: 'Id', label: 'Source Member ID', type: 'id' },
  { name: 'MemberIdOrName', label: 'Member ID or Name', type: 'string' },
  { name: 'MemberType', label: 'Member Type', type: 'string' },
  { name: 'MemberName', label: 'Member Name', type: 'string' },
  { name: 'IsNameObsolete', label: 'Name Obsolete', type: 'boolean' },
  { name: 'IsNewMember', label: 'New Member', type: 'boolean' },
  { name: 'RevisionCounter', label: 'Revision Counter', type: 'int', updateable: true },
  { name: 'ChangedBy', label: 'Changed By', type: 'reference' },
  { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime' },
];

export const SOURCE_MEMBER_FIELDS = FIELDS.map((f) => f.name);
/** The fields a PATCH may set (the sf CLI sets RevisionCounter to 0 after a scratch org's settings deploy). */
export const UPDATEABLE_FIELDS = FIELDS.filter((f) => f.updateable).map((f) => f.name);

export const sourceMemberRow = (m: SourceMember): Row => ({
  Id: m.id, MemberIdOrName: m.memberIdOrName, MemberType: m.memberType, MemberName: m.memberName, IsNameObsolete: m.isNameObsolete,
  IsNewMember: m.isNewMember, RevisionCounter: m.revisionCounter, ChangedBy: m.changedBy, LastModifiedDate: restDateTime(m.lastModifiedDate),
});

/** The Tooling object the sf CLI queries for what changed on a scratch org; other orgs have none. */
export function sourceTrackingTables(services: Services): SObjectTable[] {
  const { sourceMembers } = services.store;
  return [{
    name: 'SourceMember', api: 'tooling', fields: SOURCE_MEMBER_FIELDS,
    rows: ({ org }, hint) => {
      const ids = hint.equals.get('id');
      const members = ids ? ids.map((id) => sourceMembers.get(org.id, id)).filter((m) => m !== undefined) : sourceMembers.list(org.id);
      return members.map(sourceMemberRow);
    },
    availableTo: ({ org }) => tracksSource(org),
  }];
}

const SOAP_TYPES = { id: 'tns:ID', string: 'xsd:string', boolean: 'xsd:boolean', int: 'xsd:int', datetime: 'xsd:dateTime', reference: 'tns:ID' } as const;

/** `GET …/tooling/sobjects/SourceMember/describe` on a scratch org: enough of a describe for clients that ask whether the object is there. */
export function describeSourceMember(base: string): Record<string, unknown> {
  const url = `${base}/sobjects/SourceMember`;
  return {
    actionOverrides: [], activateable: false, childRelationships: [], compactLayoutable: false, createable: false, custom: false,
    customSetting: false, deletable: false, deprecatedAndHidden: false, feedEnabled: false,
    fields: FIELDS.map((f) => ({
      name: f.name, label: f.label, type: f.type, soapType: SOAP_TYPES[f.type], length: f.type === 'string' ? 255 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
      nillable: f.type !== 'id' && f.type !== 'boolean', createable: false, updateable: !!f.updateable, filterable: true, sortable: true,
      custom: false, defaultedOnCreate: f.type === 'boolean', idLookup: f.name === 'Id', unique: false,
      referenceTo: f.type === 'reference' ? ['User'] : [], relationshipName: null,
    })),
    keyPrefix: IdPrefix.sourceMember, label: 'Source Member', labelPlural: 'Source Members', layoutable: false, mergeable: false,
    mruEnabled: false, name: 'SourceMember', namedLayoutInfos: [], queryable: true, recordTypeInfos: [], replicateable: false,
    retrieveable: true, searchable: false, supportedScopes: [], triggerable: false, undeletable: false, updateable: true,
    urls: { describe: `${url}/describe`, rowTemplate: `${url}/{ID}`, sobject: url },
  };
}
