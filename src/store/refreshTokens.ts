import { Repository } from './repository';
import { tokenDigest } from './sessions';

/** A refresh token a connected app was given for a user. */
export interface RefreshToken {
  /** The token itself; the store keeps only its SHA-256. */
  token: string;
  orgId: string;
  userId: string;
  consumerKey: string;
  /** The scopes granted with it, by their metadata names. */
  scopes: string[];
  createdDate: string;
}

interface Row { org_id: string; user_id: string; consumer_key: string; scopes: string; created_date: string }

export class RefreshTokenRepository extends Repository {
  insert(t: RefreshToken): void {
    this.sql('INSERT INTO refresh_tokens (id, org_id, user_id, consumer_key, scopes, created_date) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenDigest(t.token), t.orgId, t.userId, t.consumerKey, JSON.stringify(t.scopes), t.createdDate);
  }

  active(token: string): RefreshToken | undefined {
    const row = this.sql('SELECT org_id, user_id, consumer_key, scopes, created_date FROM refresh_tokens WHERE id = ? AND revoked = 0')
      .get(tokenDigest(token)) as Row | undefined;
    return row && {
      token, orgId: row.org_id, userId: row.user_id, consumerKey: row.consumer_key, scopes: JSON.parse(row.scopes) as string[], createdDate: row.created_date,
    };
  }

  /** Revokes a refresh token and the sessions opened with it; returns whether it was active. */
  revoke(token: string): boolean {
    const id = tokenDigest(token);
    this.sql('UPDATE sessions SET revoked = 1 WHERE refresh_token = ?').run(id);
    return this.sql('UPDATE refresh_tokens SET revoked = 1 WHERE id = ? AND revoked = 0').run(id).changes > 0;
  }

  /** Every refresh token of an org (reset and delete of the org, with its sessions). */
  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM refresh_tokens WHERE org_id = ?').run(orgId);
  }
}
