import { createHash } from 'node:crypto';
import { Repository } from './repository';
import { toOrg, type Org, type OrgRow } from './orgs';

export interface Session {
  /** The token itself; the store keeps only its SHA-256. */
  id: string;
  orgId: string;
  userId: string;
  createdDate: string;
  /** When it was last renewed, in milliseconds on its org's clock (undefined: not used since before expiry existed). */
  lastActiveMs?: number;
  /**
   * Never expires: the default org's well-known token, and the tokens the admin API hands out with a
   * new org or user (test credentials, used across clock moves of months). Logins' sessions expire.
   */
  lasting?: boolean;
  /** The consumer key of the connected app it was opened through, if any: deleting the app ends it. */
  consumerKey?: string;
  /** The refresh token it was opened with, if any: revoking that token ends it. */
  refreshToken?: string;
}

/** What the store keeps of a token: enough to recognise it, not enough to use it. */
export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');
const digest = tokenDigest;

interface SessionRow { user_id: string; session_created_date: string; last_active_ms: number | null; lasting: number }

export class SessionRepository extends Repository {
  insert(session: Session): void {
    this.sql('INSERT INTO sessions (id, org_id, user_id, created_date, last_active_ms, lasting, consumer_key, refresh_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(digest(session.id), session.orgId, session.userId, session.createdDate, session.lastActiveMs ?? null, session.lasting ? 1 : 0,
        session.consumerKey ?? null, session.refreshToken === undefined ? null : digest(session.refreshToken));
  }

  /** Insert, or reactivate if present: the default org's well-known access token is valid after every start. */
  ensure(session: Session): void {
    this.sql('INSERT INTO sessions (id, org_id, user_id, created_date, lasting) VALUES (?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET revoked = 0, lasting = 1')
      .run(digest(session.id), session.orgId, session.userId, session.createdDate);
  }

  /** An active session with its org, in one read: every API call starts here. */
  active(id: string): { session: Session; org: Org } | undefined {
    const row = this.sql(
      `SELECT s.user_id, s.created_date AS session_created_date, s.last_active_ms, s.lasting, o.*
       FROM sessions s JOIN orgs o ON o.id = s.org_id WHERE s.id = ? AND s.revoked = 0`,
    ).get(digest(id)) as (SessionRow & OrgRow) | undefined;
    if (!row) return undefined;
    return {
      session: {
        id, orgId: row.id, userId: row.user_id, createdDate: row.session_created_date, lastActiveMs: row.last_active_ms ?? undefined,
        lasting: row.lasting === 1,
      },
      org: toOrg(row),
    };
  }

  /** Marks a session as used at `atMs` on its org's clock. */
  renew(id: string, atMs: number): void {
    this.sql('UPDATE sessions SET last_active_ms = ? WHERE id = ?').run(atMs, digest(id));
  }

  /** Ends every session of an org (reset and delete of the org). */
  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM sessions WHERE org_id = ?').run(orgId);
  }

  /** Returns whether the session was active. */
  revoke(id: string): boolean {
    return this.sql('UPDATE sessions SET revoked = 1 WHERE id = ? AND revoked = 0').run(digest(id)).changes > 0;
  }
}
