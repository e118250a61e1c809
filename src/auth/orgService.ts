import { Faults } from '../errors';
import { IdPrefix, newId, newSessionId } from '../ids';
import type { Caller, User } from '../store/orgs';
import { permissionNamed, PERMISSIONS, profileNamed, PROFILES } from './userAccess';
import type { Store } from '../store/store';

/** What a user needs to reach an org: the object startLocalforce and POST /_localforce/orgs return. */
export interface OrgCredentials {
  id: string;
  userId: string;
  username: string;
  password: string;
  accessToken: string;
}

/** A user made with createUser, as POST /_localforce/orgs/<orgId>/users answers it. */
export interface UserCredentials {
  id: string;
  orgId: string;
  username: string;
  password: string;
  profile: string;
  permissions: string[];
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

  private insertOrg(c: OrgCredentials, name: string): void {
    this.store.transaction(() => {
      this.store.orgs.insert({ id: c.id, name, createdDate: new Date().toISOString(), clockOffsetMs: 0 });
      this.store.orgs.insertUser({
        id: c.userId, orgId: c.id, username: c.username, password: c.password, fullName: 'Admin User', email: c.username,
        profile: 'System Administrator', permissions: [],
      });
    });
  }

  /**
   * Another user of an org, with a profile and system permissions, a random password unless given,
   * and a session of its own. Names and values are checked; a username is unique across orgs.
   */
  createUser(orgId: string, request: { username?: unknown; profile?: unknown; permissions?: unknown; password?: unknown }): UserCredentials {
    const { username, password } = request;
    if (typeof username !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(username.trim())) {
      throw Faults.invalidField('username must be a string in the form of an email address, such as ops@example.com');
    }
    const profile = profileNamed(typeof request.profile === 'string' ? request.profile : 'Standard User');
    if (!profile) throw Faults.invalidField(`profile must be one of ${PROFILES.map((p) => `"${p}"`).join(', ')}, not ${JSON.stringify(request.profile)}`);
    const requested = request.permissions ?? [];
    if (!Array.isArray(requested) || requested.some((p) => typeof p !== 'string')) throw Faults.invalidField('permissions must be an array of permission names');
    const permissions = [...new Set((requested as string[]).map((name) => {
      const known = permissionNamed(name);
      if (!known) throw Faults.invalidField(`Unknown permission ${JSON.stringify(name)}: Localforce knows ${Object.entries(PERMISSIONS).map(([api, label]) => `${api} (${label})`).join(', ')}`);
      return known;
    }))];
    if (password !== undefined && (typeof password !== 'string' || password === '')) throw Faults.invalidField('password must be a non-empty string');
    if (this.store.orgs.userByUsername(username.trim())) throw Faults.invalidField(`The username ${username.trim()} is already taken`);
    const user: User = {
      id: newId(IdPrefix.user), orgId, username: username.trim(), password: (password as string | undefined) ?? newSessionId(orgId).split('!')[1]!.slice(0, 16),
      fullName: username.trim().split('@')[0]!, email: username.trim(), profile, permissions,
    };
    const accessToken = newSessionId(orgId);
    this.store.transaction(() => {
      this.store.orgs.insertUser(user);
      this.store.sessions.insert({ id: accessToken, orgId, userId: user.id, createdDate: new Date().toISOString() });
    });
    return { id: user.id, orgId, username: user.username, password: user.password, profile, permissions, accessToken };
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
