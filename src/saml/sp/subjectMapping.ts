import { to18 } from '../../ids';
import type { Services } from '../../services';
import type { User } from '../../store/orgs';
import { SamlFailure, SamlLoginError } from './loginFailures';
import type { SsoConfig } from './ssoConfig';

/**
 * The org's user an assertion's subject names, by the setting's identityMapping: the username, the
 * Federation ID (case-sensitive, as the real service compares it by default) or the user id (15 or 18
 * characters). Only users of this org: a username of another org maps to no one.
 */
export function userForSubject(services: Services, orgId: string, config: SsoConfig, subject: string): User {
  let user: User | undefined;
  if (config.identityMapping === 'FederationId') user = services.store.orgs.userByFederationId(orgId, subject);
  else if (config.identityMapping === 'UserId') user = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(subject) ? services.store.orgs.user(to18(subject)) : undefined;
  else user = services.store.orgs.userByUsername(subject);
  if (!user || user.orgId !== orgId) {
    const by = { Username: 'username', FederationId: 'Federation ID', UserId: 'user id' }[config.identityMapping];
    throw new SamlLoginError(SamlFailure.unmappedSubject, `No user of this org has the ${by} ${subject} (the setting ${config.name} maps the subject by ${config.identityMapping})`, config.issuer);
  }
  return user;
}
