import { orgNow } from '../clock';
import { hashPassword, hashPasswordSync, verifyPassword } from '../crypto/passwordHash';
import { Faults } from '../errors';
import { IdPrefix, newId, newSessionId } from '../ids';
import type { Caller, Org, User } from '../store/orgs';
import { scratchOrgEnded } from '../devhub/scratchOrgLifetime';
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
  federationId?: string;
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

/** What login answers as `sessionSecondsValid`: a session unused for this long on its org's clock is over. */
export const SESSION_SECONDS_VALID = 7200;

/** Orgs, their users and sessions: who is calling, and which org they see. */
export class OrgService {
  constructor(private readonly store: Store) {}

  /**
   * The default org, made on first start. Passwords that older versions stored in clear are hashed
   * here, once (a start-up cost of a few tens of milliseconds a user).
   */
  async ensureDefaultOrg(): Promise<OrgCredentials> {
    if (!this.store.orgs.get(DEFAULT_ORG.id)) await this.insertOrg(DEFAULT_ORG, 'Localforce Default Org');
    for (const { id, password } of this.store.orgs.usersWithClearPasswords()) this.store.orgs.setPasswordHash(id, hashPasswordSync(password));
    this.store.sessions.ensure({ id: DEFAULT_ORG.accessToken, orgId: DEFAULT_ORG.id, userId: DEFAULT_ORG.userId, createdDate: new Date().toISOString() });
    return DEFAULT_ORG;
  }

  /**
   * A new org with one admin user; its password is random unless given. A scratch org names its hub, and
   * starts on the hub's clock; it gets a lasting access token only when `lastingToken` (the admin API's),
   * else its first session comes from its hub's authorization code.
   */
  async createOrg(request: {
    name?: string; username?: string; password?: string; scratch?: Org['scratch']; clockOffsetMs?: number; lastingToken?: boolean;
  } = {}): Promise<OrgCredentials> {
    const id = newId(IdPrefix.org);
    const username = request.username ?? `admin@${id.toLowerCase()}.localforce.dev`;
    if (this.store.orgs.userByUsername(username)) throw Faults.invalidField(`The username ${username} is already taken`);
    const credentials: OrgCredentials = {
      id, userId: newId(IdPrefix.user), username, password: request.password ?? newSessionId(id).split('!')[1]!.slice(0, 16),
      accessToken: newSessionId(id),
    };
    const passwordHash = await hashPassword(credentials.password);
    // Checked again after the hash: another request may have taken the name meanwhile.
    if (this.store.orgs.userByUsername(username)) throw Faults.invalidField(`The username ${username} is already taken`);
    this.store.transaction(() => {
      this.insertOrgRows(credentials, request.name ?? `Localforce Org ${id.slice(0, 15)}`, passwordHash, request);
      if (request.lastingToken ?? true) {
        this.store.sessions.insert({
          id: credentials.accessToken, orgId: id, userId: credentials.userId, createdDate: new Date().toISOString(), lasting: true,
        });
      }
    });
    return credentials;
  }

  /**
   * Empties an org: its components (with their keys), deploys, retrieves and sessions go; the org,
   * its users and its settings stay. The default org's well-known access token keeps working.
   */
  async reset(orgId: string): Promise<void> {
    this.store.emptyOrg(orgId);
    if (orgId === DEFAULT_ORG.id) await this.ensureDefaultOrg();
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

  private async insertOrg(c: OrgCredentials, name: string): Promise<void> {
    const passwordHash = await hashPassword(c.password);
    this.store.transaction(() => this.insertOrgRows(c, name, passwordHash));
  }

  private insertOrgRows(c: OrgCredentials, name: string, passwordHash: string, more: { scratch?: Org['scratch']; clockOffsetMs?: number } = {}): void {
    // The default org may be made by several servers of a shared store starting at once: the first wins.
    const org = { id: c.id, name, createdDate: new Date().toISOString(), clockOffsetMs: more.clockOffsetMs ?? 0, ...(more.scratch ? { scratch: more.scratch } : {}) };
    if (!this.store.orgs.insert(org)) return;
    this.store.orgs.insertUser({
      id: c.userId, orgId: c.id, username: c.username, passwordHash, fullName: 'Admin User', email: c.username,
      profile: 'System Administrator', permissions: [],
    });
  }

  /**
   * Another user of an org, with a profile and system permissions, a random password unless given,
   * and a session of its own. Names and values are checked; a username is unique across orgs.
   */
  async createUser(orgId: string, request: { username?: unknown; profile?: unknown; permissions?: unknown; password?: unknown; federationId?: unknown }): Promise<UserCredentials> {
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
    const federationId = this.checkedFederationId(orgId, request.federationId);
    const name = username.trim();
    if (this.store.orgs.userByUsername(name)) throw Faults.invalidField(`The username ${name} is already taken`);
    const clearPassword = (password as string | undefined) ?? newSessionId(orgId).split('!')[1]!.slice(0, 16);
    const passwordHash = await hashPassword(clearPassword);
    // Checked again after the hash: another request may have taken the name meanwhile.
    if (this.store.orgs.userByUsername(name)) throw Faults.invalidField(`The username ${name} is already taken`);
    const user: User = {
      id: newId(IdPrefix.user), orgId, username: name, passwordHash, fullName: name.split('@')[0]!, email: name, profile, permissions,
      ...(federationId ? { federationId } : {}),
    };
    const accessToken = newSessionId(orgId);
    this.store.transaction(() => {
      this.store.orgs.insertUser(user);
      this.store.sessions.insert({ id: accessToken, orgId, userId: user.id, createdDate: new Date().toISOString(), lasting: true });
    });
    return { id: user.id, orgId, username: name, password: clearPassword, profile, permissions, ...(federationId ? { federationId } : {}), accessToken };
  }

  /** Sets (a string) or clears (null) the Federation ID of one of the org's users. */
  setFederationId(orgId: string, userId: string, value: unknown): User {
    const user = this.store.orgs.user(userId);
    if (!user || user.orgId !== orgId) throw Faults.invalidField(`No user with id ${userId} in org ${orgId}`);
    this.store.orgs.setFederationId(user.id, value === null ? undefined : this.checkedFederationId(orgId, value, user.id));
    return this.store.orgs.user(user.id)!;
  }

  /** A Federation ID as users are given one: a non-empty string of at most 512 characters, unique in the org. */
  private checkedFederationId(orgId: string, value: unknown, forUser?: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 512) throw Faults.invalidField('federationId must be a non-empty string of at most 512 characters');
    const holder = this.store.orgs.userByFederationId(orgId, value);
    if (holder && holder.id !== forUser) throw Faults.invalidField(`The Federation ID ${value} is already used by ${holder.username}`);
    return value;
  }

  /** Checks a username and password (off the event loop) and opens a new session. */
  async login(username: string, password: string): Promise<{ sessionId: string; caller: Caller }> {
    const user = this.store.orgs.userByUsername(username.trim());
    if (!(await verifyPassword(password, user?.passwordHash)) || !user) throw Faults.invalidLogin();
    const org = this.store.orgs.get(user.orgId)!;
    if (scratchOrgEnded(this.store, org)) throw Faults.invalidLogin();
    const sessionId = newSessionId(org.id);
    this.store.sessions.insert({ id: sessionId, orgId: org.id, userId: user.id, createdDate: new Date().toISOString(), lastActiveMs: orgNow(org).getTime() });
    return { sessionId, caller: { org, user } };
  }

  /** The default org's well-known token is never revoked: it is documented as always valid. */
  logout(sessionId: string): void {
    if (sessionId.trim() !== DEFAULT_ORG.accessToken) this.store.sessions.revoke(sessionId.trim());
  }

  /**
   * The caller behind a session id or access token; INVALID_SESSION_ID otherwise. A session unused
   * for SESSION_SECONDS_VALID on its org's clock has expired; using one renews it, as the real
   * service does, once more than half of that time has gone by (so most calls write nothing). Lasting
   * tokens (the default org's, and those the admin API hands out) never expire.
   */
  caller(sessionId: string | undefined): Caller {
    const token = sessionId?.trim();
    const { session, org } = (token && this.store.sessions.active(token)) || {};
    const user = session && this.store.orgs.user(session.userId);
    if (!session || !org || !user || scratchOrgEnded(this.store, org)) throw Faults.invalidSession();
    if (!session.lasting) {
      const now = orgNow(org).getTime();
      const idle = now - (session.lastActiveMs ?? now);
      if (idle > SESSION_SECONDS_VALID * 1000) throw Faults.invalidSession();
      if (session.lastActiveMs === undefined || idle > (SESSION_SECONDS_VALID * 1000) / 2) this.store.sessions.renew(token!, now);
    }
    return { org, user };
  }
}
