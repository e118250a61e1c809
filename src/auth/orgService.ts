import { orgNow } from '../clock';
import { hashPassword, hashPasswordSync, verifyPassword } from '../crypto/passwordHash';
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

  /** A new org with one admin user; its password is random unless given. */
  async createOrg(request: { name?: string; username?: string; password?: string } = {}): Promise<OrgCredentials> {
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
      this.insertOrgRows(credentials, request.name ?? `Localforce Org ${id.slice(0, 15)}`, passwordHash);
      this.store.sessions.insert({
        id: credentials.accessToken, orgId: id, userId: credentials.userId, createdDate: new Date().toISOString(), lastActiveMs: Date.now(),
      });
    });
    return credentials;
  }

  private async insertOrg(c: OrgCredentials, name: string): Promise<void> {
    const passwordHash = await hashPassword(c.password);
    this.store.transaction(() => this.insertOrgRows(c, name, passwordHash));
  }

  private insertOrgRows(c: OrgCredentials, name: string, passwordHash: string): void {
    this.store.orgs.insert({ id: c.id, name, createdDate: new Date().toISOString(), clockOffsetMs: 0 });
    this.store.orgs.insertUser({ id: c.userId, orgId: c.id, username: c.username, passwordHash, fullName: 'Admin User', email: c.username });
  }

  /** Checks a username and password (off the event loop) and opens a new session. */
  async login(username: string, password: string): Promise<{ sessionId: string; caller: Caller }> {
    const user = this.store.orgs.userByUsername(username.trim());
    if (!(await verifyPassword(password, user?.passwordHash)) || !user) throw Faults.invalidLogin();
    const org = this.store.orgs.get(user.orgId)!;
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
   * service does, once more than half of that time has gone by (so most calls write nothing). The
   * default org's well-known token never expires.
   */
  caller(sessionId: string | undefined): Caller {
    const token = sessionId?.trim();
    const session = token ? this.store.sessions.active(token) : undefined;
    const org = session && this.store.orgs.get(session.orgId);
    const user = session && this.store.orgs.user(session.userId);
    if (!org || !user) throw Faults.invalidSession();
    if (token !== DEFAULT_ORG.accessToken) {
      const now = orgNow(org).getTime();
      const idle = now - (session.lastActiveMs ?? now);
      if (idle > SESSION_SECONDS_VALID * 1000) throw Faults.invalidSession();
      if (session.lastActiveMs === undefined || idle > (SESSION_SECONDS_VALID * 1000) / 2) this.store.sessions.renew(token!, now);
    }
    return { org, user };
  }
}
