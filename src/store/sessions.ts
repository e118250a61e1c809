import { Repository } from './repository';

export interface Session {
  id: string;
  orgId: string;
  userId: string;
  createdDate: string;
}

export class SessionRepository extends Repository {
  insert(session: Session): void {
    this.sql('INSERT INTO sessions (id, org_id, user_id, created_date) VALUES (?, ?, ?, ?)')
      .run(session.id, session.orgId, session.userId, session.createdDate);
  }

  /** Insert, or reactivate if present: the default org's well-known access token is valid after every start. */
  ensure(session: Session): void {
    this.sql('INSERT INTO sessions (id, org_id, user_id, created_date) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET revoked = 0')
      .run(session.id, session.orgId, session.userId, session.createdDate);
  }

  active(id: string): Session | undefined {
    const row = this.sql('SELECT id, org_id, user_id, created_date FROM sessions WHERE id = ? AND revoked = 0')
      .get(id) as { id: string; org_id: string; user_id: string; created_date: string } | undefined;
    return row && { id: row.id, orgId: row.org_id, userId: row.user_id, createdDate: row.created_date };
  }

  /** Ends every session of an org (reset and delete of the org). */
  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM sessions WHERE org_id = ?').run(orgId);
  }

  revoke(id: string): void {
    this.sql('UPDATE sessions SET revoked = 1 WHERE id = ?').run(id);
  }
}
