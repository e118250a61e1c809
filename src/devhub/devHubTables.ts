import type { Services } from '../services';
import type { Org } from '../store/orgs';
import type { ScratchOrgInfo } from '../store/scratchOrgInfos';
import { related, restDateTime } from '../soql/recordValues';
import type { Row, SObjectTable } from '../soql/soqlEngine';
import { ScratchOrgService } from './scratchOrgService';

/** The creator as relationship fields read it (`CreatedBy.Username`). */
function creator(services: Services, userId: string): Row | null {
  const user = services.store.orgs.user(userId);
  return related('User', user && { Id: user.id, Username: user.username, Name: user.fullName });
}

/** A ScratchOrgInfo record, every field the sf CLI reads and the insert's own. */
export function scratchOrgInfoRow(services: Services, info: ScratchOrgInfo, hub: Org): Row {
  const sent = info.request;
  return {
    Id: info.id, Name: `SOI-${info.id.slice(-6)}`, OwnerId: info.createdById, CreatedDate: restDateTime(info.createdDate), CreatedById: info.createdById,
    CreatedBy: creator(services, info.createdById), LastModifiedDate: restDateTime(info.deletedDate ?? info.createdDate), IsDeleted: false,
    Edition: info.edition, OrgName: info.orgName, Status: services.scratchOrgs.status(info, hub), ErrorCode: info.errorCode ?? null,
    Username: sent.Username ?? null, SignupUsername: info.signupUsername, SignupEmail: sent.AdminEmail ?? sent.SignupEmail ?? null,
    AdminEmail: sent.AdminEmail ?? null, Description: sent.Description ?? null, Country: sent.Country ?? null, Language: sent.Language ?? null,
    Features: sent.Features ?? null, Release: sent.Release ?? null, HasSampleData: sent.HasSampleData ?? false, Namespace: sent.Namespace ?? null,
    Snapshot: null, SourceOrg: null, Template: null, Package2AncestorIds: sent.Package2AncestorIds ?? null,
    DurationDays: sent.DurationDays ?? 7, ExpirationDate: info.expirationDate, ScratchOrg: ScratchOrgService.orgId15(info),
    LoginUrl: sent.LoginUrl ?? null, SignupInstance: null, AuthCode: info.authCode ?? null,
    ConnectedAppConsumerKey: info.consumerKey ?? null, ConnectedAppCallbackUrl: info.callbackUrl ?? null,
    DeletedDate: restDateTime(info.deletedDate),
  };
}

const SCRATCH_ORG_INFO_FIELDS = [
  'Id', 'Name', 'OwnerId', 'CreatedDate', 'CreatedById', 'CreatedBy.Id', 'CreatedBy.Username', 'CreatedBy.Name', 'LastModifiedDate', 'IsDeleted',
  'Edition', 'OrgName', 'Status', 'ErrorCode', 'Username', 'SignupUsername', 'SignupEmail', 'AdminEmail', 'Description', 'Country', 'Language',
  'Features', 'Release', 'HasSampleData', 'Namespace', 'Snapshot', 'SourceOrg', 'Template', 'Package2AncestorIds', 'DurationDays', 'ExpirationDate',
  'ScratchOrg', 'LoginUrl', 'SignupInstance', 'AuthCode', 'ConnectedAppConsumerKey', 'ConnectedAppCallbackUrl', 'DeletedDate',
];

/** A hub's active scratch org, as its ActiveScratchOrg row shows it. */
function activeScratchOrgRow(services: Services, info: ScratchOrgInfo): Row {
  return {
    Id: info.activeId, Name: info.orgName, OwnerId: info.createdById, CreatedDate: restDateTime(info.createdDate), CreatedById: info.createdById,
    CreatedBy: creator(services, info.createdById), LastModifiedDate: restDateTime(info.createdDate), IsDeleted: false, ScratchOrgInfoId: info.id,
    SignupUsername: info.signupUsername, ScratchOrg: ScratchOrgService.orgId15(info), Edition: info.edition, OrgName: info.orgName,
    ExpirationDate: info.expirationDate, Description: info.request.Description ?? null, AdminEmail: info.request.AdminEmail ?? null,
    Namespace: info.request.Namespace ?? null, SignupInstance: null,
  };
}

const ACTIVE_SCRATCH_ORG_FIELDS = [
  'Id', 'Name', 'OwnerId', 'CreatedDate', 'CreatedById', 'CreatedBy.Id', 'CreatedBy.Username', 'CreatedBy.Name', 'LastModifiedDate', 'IsDeleted',
  'ScratchOrgInfoId', 'SignupUsername', 'ScratchOrg', 'Edition', 'OrgName', 'ExpirationDate', 'Description', 'AdminEmail', 'Namespace', 'SignupInstance',
];

/** The Dev Hub objects: they exist in hubs only, so a scratch org (never a hub) answers INVALID_TYPE, which the CLI reads as "not a hub". */
export function devHubTables(services: Services): SObjectTable[] {
  const isHub = ({ org }: { org: Org }) => org.devHub && !org.scratch;
  return [
    {
      name: 'ScratchOrgInfo', api: 'data', fields: SCRATCH_ORG_INFO_FIELDS, availableTo: isHub,
      rows: ({ org }) => services.store.scratchOrgInfos.ofHub(org.id).map((info) => scratchOrgInfoRow(services, info, org)),
    },
    {
      name: 'ActiveScratchOrg', api: 'data', fields: ACTIVE_SCRATCH_ORG_FIELDS, availableTo: isHub,
      rows: ({ org }) => services.scratchOrgs.activeOf(org).map((info) => activeScratchOrgRow(services, info)),
    },
  ];
}
