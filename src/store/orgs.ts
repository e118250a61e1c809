import type { Db } from './database';

export interface Org {
  id: string;
  name: string;
  createdDate: string;
  /** Milliseconds added to the machine clock to get the org's "now" (tests move it to check expiry). */
  clockOffsetMs: number;
}

export interface User {
  id: string;
  orgId: string;
  username: string;
  password: string;
  fullName: string;
  email: string;
}

interface OrgRow { id: string; name: string; created_date: string; clock_offset_ms: number }
interface UserRow { id: string; org_id: string; username: string; password: string; full_name: string; email: string }

const toOrg = (r: OrgRow): Org => ({ id: r.id, name: r.name, createdDate: r.created_date, clockOffsetMs: r.clock_offset_ms });
const toUser = (r: UserRow): User => ({
  id: r.id, orgId: r.org_id, username: r.username, password: r.password, fullName: r.full_name, email: r.email,
});

export class OrgRepository {
  constructor(private readonly db: Db) {}

  get(id: string): Org | undefined {
    const row = this.db.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
    return row && toOrg(row);
  }

  insert(org: Org): void {
    this.db.prepare('INSERT INTO orgs (id, name, created_date, clock_offset_ms) VALUES (?, ?, ?, ?)')
      .run(org.id, org.name, org.createdDate, org.clockOffsetMs);
  }

  setClockOffset(id: string, offsetMs: number): void {
    this.db.prepare('UPDATE orgs SET clock_offset_ms = ? WHERE id = ?').run(offsetMs, id);
  }

  insertUser(user: User): void {
    this.db.prepare('INSERT INTO users (id, org_id, username, password, full_name, email) VALUES (?, ?, ?, ?, ?, ?)')
      .run(user.id, user.orgId, user.username, user.password, user.fullName, user.email);
  }

  user(id: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  userByUsername(username: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUser(row);
  }
}
