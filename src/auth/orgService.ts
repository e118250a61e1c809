import { Faults } from '../errors';
import { IdPrefix, newId, newSessionId } from '../ids';
import type { Caller } from '../store/orgs';
import type { Store } from '../store/store';

/** What a user needs to reach an org: the object startLocalforce and POST /_localforce/orgs return. */
export interface OrgCredentials {
  id: string;
  userId: string;
  username: string;
  password: string;
  accessToken: string;
}

/** The well-known default org, like an emulator's default account: always there, always the same. */
export const DEFAULT_ORG: OrgCredentials = {
  id: '00D000000000001AAA',
  userId: '005000000000001AAA',
  username: 'admin@localforce.dev',
  password: 'localforce',
  accessToken: '00D000000000001AAA!localforce',
};

/** Orgs, their users and sessions: who is calling, and which org they see. */
export class OrgService {
  constructor(private readonly store: Store) {}

  ensureDefaultOrg(): OrgCredentials {
    if (!this.store.orgs.get(DEFAULT_ORG.id)) this.insertOrg(DEFAULT_ORG, 'Localforce Default Org');
    this.store.sessions.ensure({ id: DEFAULT_ORG.accessToken, orgId: DEFAULT_ORG.id, userId: DEFAULT_ORG.userId, createdDate: new Date().toISOString() });
    return DEFAULT_ORG;
  }

  /** A new org with one admin user; its password is random unless given. */
  createOrg(request: { name?: string; username?: string; password?: string } = {}): OrgCredentials {
    const id = newId(IdPrefix.org);
    const username = request.username ?? `admin@${id.toLowerCase()}.localforce.dev`;
    if (this.store.orgs.userByUsername(username)) throw Faults.invalidField(`The username ${username} is already taken`);
    const credentials: OrgCredentials = {
      id, userId: newId(IdPrefix.user), username, password: request.password ?? newSessionId(id).split('!')[1]!.slice(0, 16),
      accessToken: newSessionId(id),
    };
    this.store.transaction(() => {
      this.insertOrg(credentials, request.name ?? `Localforce Org ${id.slice(0, 15)}`);
      this.store.sessions.insert({ id: credentials.accessToken, orgId: id, userId: credentials.userId, createdDate: new Date().toISOString() });
    });
    return credentials;
  }

  /**
   * Empties an org: its components (with their keys), deploys, retrieves and sessions go; the org,
   * its users and its settings stay. The default org's well-known access token keeps working.
   */
  reset(orgId: string): void {
    this.store.emptyOrg(orgId);
    if (orgId === DEFAULT_ORG.id) this.ensureDefaultOrg();
  }

  /** Why an org cannot be deleted: the default org is always there, so it can only be reset. */
  whyNotDeletable(orgId: string): string | undefined {
    return orgId === DEFAULT_ORG.id ? `The default org ${DEFAULT_ORG.id} cannot be deleted; reset it to empty it` : undefined;
  }

  /** Removes an org with everything of it. */
  deleteOrg(orgId: string): void {
    const refusal = this.whyNotDeletable(orgId);
    if (refusal) throw Faults.invalidOperation(refusal);
    this.store.deleteOrg(orgId);
  }

  private insertOrg(c: OrgCredentials, name: string): void {
    this.store.transaction(() => {
      this.store.orgs.insert({ id: c.id, name, createdDate: new Date().toISOString(), clockOffsetMs: 0 });
      this.store.orgs.insertUser({ id: c.userId, orgId: c.id, username: c.username, password: c.password, fullName: 'Admin User', email: c.username });
    });
  }

  /** Checks a username and password and opens a new session. */
  login(username: string, password: string): { sessionId: string; caller: Caller } {
    const user = this.store.orgs.userByUsername(username.trim());
    if (!user || user.password !== password) throw Faults.invalidLogin();
    const org = this.store.orgs.get(user.orgId)!;
    const sessionId = newSessionId(org.id);
    this.store.sessions.insert({ id: sessionId, orgId: org.id, userId: user.id, createdDate: new Date().toISOString() });
    return { sessionId, caller: { org, user } };
  }

  /** The default org's well-known token is never revoked: it is documented as always valid. */
  logout(sessionId: string): void {
    if (sessionId.trim() !== DEFAULT_ORG.accessToken) this.store.sessions.revoke(sessionId.trim());
  }

  /** The caller behind a session id or access token; INVALID_SESSION_ID otherwise. */
  caller(sessionId: string | undefined): Caller {
    const session = sessionId ? this.store.sessions.active(sessionId.trim()) : undefined;
    const org = session && this.store.orgs.get(session.orgId);
    const user = session && this.store.orgs.user(session.userId);
    if (!org || !user) throw Faults.invalidSession();
    return { org, user };
  }
}
