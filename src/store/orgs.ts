import type { DeployPacing } from '../model/deployPacing';
import type { TestOutcomePolicy } from '../model/testOutcomePolicy';
import { Repository } from './repository';

export interface Org {
  id: string;
  name: string;
  createdDate: string;
  /** Milliseconds added to the machine clock to get the org's "now" (tests move it to check expiry). */
  clockOffsetMs: number;
  /** How its simulated Apex tests end, when it sets its own policy (else the server's). */
  testOutcomePolicy?: TestOutcomePolicy;
  /** How long its deploys stay InProgress, when it sets its own pacing (else the server's). */
  deployPacing?: DeployPacing;
  /** Which deploy checks it runs, when it sets its own (else the server's): `all`, `none` or families. */
  deployChecks?: string;
  /** How its anonymous Apex is answered, when it sets its own (src/apexRuns/anonymousApexPolicy.ts; else refuse). */
  anonymousApexPolicy?: string;
  /** Whether it is a Dev Hub: every org is, unless it says otherwise; scratch orgs never are. */
  devHub: boolean;
  /** A hub's own scratch org limits, when it sets them (else src/devhub/devHubLimits.ts's). */
  devHubLimits?: { activeScratchOrgs: number; dailyScratchOrgs: number };
  /** For a scratch org: its hub, its edition and the day it ends (on the hub's clock). */
  scratch?: { hubOrgId: string; edition: string; expirationDate: string };
}

export interface User {
  id: string;
  orgId: string;
  username: string;
  /** An scrypt hash (src/crypto/passwordHash.ts), never the password. */
  passwordHash: string;
  fullName: string;
  email: string;
  /** 'System Administrator' or 'Standard User'; absent (as in hand-made test users) reads as the former. */
  profile?: string;
  /** System permissions by API name (ModifyAllData, ReceiveCertificateExpirationNotifications…). */
  permissions?: string[];
  /** The name single sign-on knows the user by (SAML's Federation ID), unique in its org. */
  federationId?: string;
}

/** An org and one of its users: whom a request, a deploy or a retrieve acts for. */
export interface Caller {
  org: Org;
  user: User;
}

export interface OrgRow {
  id: string; name: string; created_date: string; clock_offset_ms: number; test_outcome_policy: string | null; deploy_pacing: string | null; deploy_checks?: string | null;
  dev_hub?: number; dev_hub_limits?: string | null; anonymous_apex_policy?: string | null; edition?: string | null; hub_org_id?: string | null; expiration_date?: string | null;
}
interface UserRow { id: string; org_id: string; username: string; password: string; full_name: string; email: string; profile: string; permissions: string; federation_id?: string | null }

export const toOrg = (r: OrgRow): Org => ({
  id: r.id, name: r.name, createdDate: r.created_date, clockOffsetMs: r.clock_offset_ms,
  testOutcomePolicy: r.test_outcome_policy ? JSON.parse(r.test_outcome_policy) as TestOutcomePolicy : undefined,
  deployPacing: r.deploy_pacing ? JSON.parse(r.deploy_pacing) as DeployPacing : undefined,
  deployChecks: r.deploy_checks ?? undefined,
  ...(r.anonymous_apex_policy ? { anonymousApexPolicy: r.anonymous_apex_policy } : {}),
  devHub: r.dev_hub !== 0,
  ...(r.dev_hub_limits ? { devHubLimits: JSON.parse(r.dev_hub_limits) as Org['devHubLimits'] } : {}),
  ...(r.hub_org_id ? { scratch: { hubOrgId: r.hub_org_id, edition: r.edition ?? 'Developer', expirationDate: r.expiration_date ?? '' } } : {}),
});
const toUser = (r: UserRow): User => ({
  id: r.id, orgId: r.org_id, username: r.username, passwordHash: r.password, fullName: r.full_name, email: r.email,
  profile: r.profile, permissions: JSON.parse(r.permissions) as string[], ...(r.federation_id ? { federationId: r.federation_id } : {}),
});

export class OrgRepository extends Repository {
  get(id: string): Org | undefined {
    const row = this.sql('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
    return row && toOrg(row);
  }

  /** Returns false, inserting nothing, when the org exists (another server sharing the store made it first). */
  insert(org: Omit<Org, 'devHub'> & { devHub?: boolean }): boolean {
    const { scratch } = org;
    return this.sql(`INSERT INTO orgs (id, name, created_date, clock_offset_ms, dev_hub, edition, hub_org_id, expiration_date)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
      .run(org.id, org.name, org.createdDate, org.clockOffsetMs, org.devHub === false || scratch ? 0 : 1, scratch?.edition ?? null,
        scratch?.hubOrgId ?? null, scratch?.expirationDate ?? null).changes > 0;
  }

  /** Sets the org's anonymous Apex policy; undefined goes back to the default. */
  setAnonymousApexPolicy(id: string, policy: string | undefined): void {
    this.sql('UPDATE orgs SET anonymous_apex_policy = ? WHERE id = ?').run(policy ?? null, id);
  }

  /** Makes the org a Dev Hub or not (a scratch org never is). */
  setDevHub(id: string, devHub: boolean): void {
    this.sql('UPDATE orgs SET dev_hub = ? WHERE id = ? AND hub_org_id IS NULL').run(devHub ? 1 : 0, id);
  }

  /** Moves a scratch org's last day (the admin API's expire). */
  setExpirationDate(id: string, date: string): void {
    this.sql('UPDATE orgs SET expiration_date = ? WHERE id = ?').run(date, id);
  }

  /** Sets a hub's own scratch org limits; undefined goes back to the server's. */
  setDevHubLimits(id: string, limits: Org['devHubLimits']): void {
    this.sql('UPDATE orgs SET dev_hub_limits = ? WHERE id = ?').run(limits ? JSON.stringify(limits) : null, id);
  }

  /** The scratch orgs a hub made that still exist. */
  scratchOrgIds(hubOrgId: string): string[] {
    return (this.sql('SELECT id FROM orgs WHERE hub_org_id = ? ORDER BY created_date').all(hubOrgId) as { id: string }[]).map((r) => r.id);
  }

  setClockOffset(id: string, offsetMs: number): void {
    this.sql('UPDATE orgs SET clock_offset_ms = ? WHERE id = ?').run(offsetMs, id);
  }

  /** Sets the org's test outcome policy; undefined goes back to the server's. */
  setTestOutcomePolicy(id: string, policy: TestOutcomePolicy | undefined): void {
    this.sql('UPDATE orgs SET test_outcome_policy = ? WHERE id = ?').run(policy ? JSON.stringify(policy) : null, id);
  }

  /** Sets the org's deploy pacing; undefined goes back to the server's. */
  setDeployPacing(id: string, pacing: DeployPacing | undefined): void {
    this.sql('UPDATE orgs SET deploy_pacing = ? WHERE id = ?').run(pacing ? JSON.stringify(pacing) : null, id);
  }

  /** Sets the org's deploy checks (`all`, `none`, families); undefined goes back to the server's. */
  setDeployChecks(id: string, checks: string | undefined): void {
    this.sql('UPDATE orgs SET deploy_checks = ? WHERE id = ?').run(checks ?? null, id);
  }

  /** Removes the org and its users; what refers to them must be gone first (Store.deleteOrg). */
  delete(id: string): void {
    for (const [userId, user] of this.users) if (user.orgId === id) this.users.delete(userId);
    this.sql('DELETE FROM users WHERE org_id = ?').run(id);
    this.sql('DELETE FROM orgs WHERE id = ?').run(id);
  }

  insertUser(user: User): void {
    this.sql('INSERT INTO users (id, org_id, username, password, full_name, email, profile, permissions, federation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(user.id, user.orgId, user.username, user.passwordHash, user.fullName, user.email, user.profile ?? 'System Administrator', JSON.stringify(user.permissions ?? []),
        user.federationId ?? null);
  }

  /** Every user of an org, in the order they were made. */
  usersOf(orgId: string): User[] {
    return (this.sql({ sqlite: 'SELECT * FROM users WHERE org_id = ? ORDER BY rowid', postgres: 'SELECT * FROM users WHERE org_id = ? ORDER BY seq' }).all(orgId) as UserRow[]).map(toUser);
  }

  /** Every org's id: what background checks go through. */
  ids(): string[] {
    return (this.sql('SELECT id FROM orgs ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }

  /** Users never change once made, so each is read once; listings name them for every component. */
  private readonly users = new Map<string, User>();

  user(id: string): User | undefined {
    const cached = this.users.get(id);
    if (cached) return cached;
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    const user = row && toUser(row);
    if (user) this.users.set(id, user);
    return user;
  }

  /** Users whose password an older version stored in clear (anything that is not a hash). */
  usersWithClearPasswords(): { id: string; password: string }[] {
    return this.sql("SELECT id, password FROM users WHERE password NOT LIKE 'scrypt$%'").all() as { id: string; password: string }[];
  }

  setPasswordHash(userId: string, hash: string): void {
    this.users.delete(userId);
    this.sql('UPDATE users SET password = ? WHERE id = ?').run(hash, userId);
  }

  userByUsername(username: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  /** The org's user with this Federation ID (SAML single sign-on's name for it); case matters, as on the real service by default. */
  userByFederationId(orgId: string, federationId: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE org_id = ? AND federation_id = ?').get(orgId, federationId) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Sets or clears (undefined) a user's Federation ID. */
  setFederationId(userId: string, federationId: string | undefined): void {
    this.users.delete(userId);
    this.sql('UPDATE users SET federation_id = ? WHERE id = ?').run(federationId ?? null, userId);
  }
}
