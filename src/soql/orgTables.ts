import { nameParts, USER_SETTINGS } from '../auth/userSettings';
import type { Services } from '../services';
import type { Org, User } from '../store/orgs';
import { restDateTime } from './recordValues';
import type { Row, SObjectTable } from './soqlEngine';

/** The OrganizationType the real service shows for each scratch org edition (a plain org is a Developer Edition). */
const ORGANIZATION_TYPES: Record<string, string> = {
  developer: 'Developer Edition', enterprise: 'Enterprise Edition', group: 'Group Edition',
  professional: 'Professional Edition', 'partner-developer': 'Developer Edition', 'partner-enterprise': 'Enterprise Edition',
  'partner-group': 'Group Edition', 'partner-professional': 'Professional Edition',
};

/** The one Organization row of an org; a scratch org is a sandbox with a trial end, which is how the sf CLI tells it. */
export function organizationRow(org: Org): Row {
  return {
    Id: org.id, Name: org.name, InstanceName: 'LOCALFORCE', IsSandbox: !!org.scratch,
    TrialExpirationDate: org.scratch ? restDateTime(`${org.scratch.expirationDate}T00:00:00.000Z`) : null,
    NamespacePrefix: null, OrganizationType: ORGANIZATION_TYPES[(org.scratch?.edition ?? 'developer').toLowerCase()] ?? 'Developer Edition',
    CreatedDate: restDateTime(org.createdDate),
  };
}

/** The fields of a User record that Localforce can fill in. */
export function userRow(user: User): Row {
  const { firstName, lastName } = nameParts(user.fullName);
  return {
    Id: user.id, Username: user.username, Name: user.fullName, FirstName: firstName ?? null, LastName: lastName, Email: user.email,
    IsActive: true, UserType: 'Standard', ProfileId: USER_SETTINGS.profileId, LanguageLocaleKey: USER_SETTINGS.language,
    LocaleSidKey: USER_SETTINGS.locale, TimeZoneSidKey: USER_SETTINGS.timeZone, FederationIdentifier: user.federationId ?? null,
  };
}

export function orgTables(services: Services): SObjectTable[] {
  return [
    {
      name: 'Organization', api: 'data',
      fields: ['Id', 'Name', 'InstanceName', 'IsSandbox', 'TrialExpirationDate', 'NamespacePrefix', 'OrganizationType', 'CreatedDate'],
      rows: ({ org }) => [organizationRow(org)],
    },
    {
      name: 'User', api: 'data',
      fields: ['Id', 'Username', 'Name', 'FirstName', 'LastName', 'Email', 'IsActive', 'UserType', 'ProfileId', 'LanguageLocaleKey',
        'LocaleSidKey', 'TimeZoneSidKey', 'FederationIdentifier'],
      rows: ({ org }) => services.store.orgs.usersOf(org.id).map(userRow),
    },
  ];
}
