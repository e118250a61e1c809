import { to15, to18 } from '../ids';
import { Repository } from './repository';

/** What a Dev Hub keeps of one scratch org request (its ScratchOrgInfo), from insert to deletion and after. */
export interface ScratchOrgInfo {
  /** 2SR…: the ScratchOrgInfo's id. */
  id: string;
  hubOrgId: string;
  /** 2AS…: the id of its ActiveScratchOrg row while the org is active. */
  activeId: string;
  /** The scratch org (00D…); absent when the request failed. */
  orgId?: string;
  /** New, Active, Error or Deleted as stored; Expired is read from the hub's clock (src/devhub/scratchOrgStatus.ts). */
  status: 'New' | 'Active' | 'Error' | 'Deleted';
  errorCode?: string;
  signupUsername: string;
  edition: string;
  orgName: string;
  /** The insert's fields as sent (Features, Description, AdminEmail…), answered back on reads. */
  request: Record<string, unknown>;
  createdById: string;
  createdDate: string;
  /** YYYY-MM-DD on the hub's clock. */
  expirationDate: string;
  /**
   * The one-time authorization code the CLI reads from the record and exchanges for the first token.
   * Kept readable (the hub's user reads it back) but only until it is exchanged or 15 minutes pass.
   */
  authCode?: string;
  consumerKey?: string;
  callbackUrl?: string;
  deletedDate?: string;
}

interface Row {
  id: string; hub_org_id: string; active_id: string; org_id: string | null; status: string; error_code: string | null; signup_username: string;
  edition: string; org_name: string; request: string; created_by_id: string; created_date: string; expiration_date: string;
  auth_code: string | null; consumer_key: string | null; callback_url: string | null; deleted_date: string | null;
}

const toInfo = (r: Row): ScratchOrgInfo => ({
  id: r.id, hubOrgId: r.hub_org_id, activeId: r.active_id, ...(r.org_id ? { orgId: r.org_id } : {}), status: r.status as ScratchOrgInfo['status'],
  ...(r.error_code ? { errorCode: r.error_code } : {}), signupUsername: r.signup_username, edition: r.edition, orgName: r.org_name,
  request: JSON.parse(r.request) as Record<string, unknown>, createdById: r.created_by_id, createdDate: r.created_date, expirationDate: r.expiration_date,
  ...(r.auth_code ? { authCode: r.auth_code } : {}), ...(r.consumer_key ? { consumerKey: r.consumer_key } : {}),
  ...(r.callback_url ? { callbackUrl: r.callback_url } : {}), ...(r.deleted_date ? { deletedDate: r.deleted_date } : {}),
});

export class ScratchOrgInfoRepository extends Repository {
  insert(i: ScratchOrgInfo): void {
    this.sql(`INSERT INTO scratch_org_infos (id, hub_org_id, active_id, org_id, status, error_code, signup_username, edition, org_name, request,
                created_by_id, created_date, expiration_date, auth_code, consumer_key, callback_url)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(i.id, i.hubOrgId, i.activeId, i.orgId ?? null, i.status, i.errorCode ?? null, i.signupUsername, i.edition, i.orgName, JSON.stringify(i.request),
        i.createdById, i.createdDate, i.expirationDate, i.authCode ?? null, i.consumerKey ?? null, i.callbackUrl ?? null);
  }

  /** One of a hub's requests by its 2SR… id (either length). */
  get(hubOrgId: string, id: string): ScratchOrgInfo | undefined {
    const row = this.sql('SELECT * FROM scratch_org_infos WHERE hub_org_id = ? AND id = ?').get(hubOrgId, to18(to15(id))) as Row | undefined;
    return row && toInfo(row);
  }

  /** The request of an active scratch org by its ActiveScratchOrg id (2AS…). */
  byActiveId(hubOrgId: string, activeId: string): ScratchOrgInfo | undefined {
    const row = this.sql('SELECT * FROM scratch_org_infos WHERE hub_org_id = ? AND active_id = ?').get(hubOrgId, to18(to15(activeId))) as Row | undefined;
    return row && toInfo(row);
  }

  /** The request that made a scratch org. */
  byOrg(orgId: string): ScratchOrgInfo | undefined {
    const row = this.sql('SELECT * FROM scratch_org_infos WHERE org_id = ?').get(orgId) as Row | undefined;
    return row && toInfo(row);
  }

  /** A hub's requests, oldest first. */
  ofHub(hubOrgId: string): ScratchOrgInfo[] {
    return (this.sql('SELECT * FROM scratch_org_infos WHERE hub_org_id = ? ORDER BY created_date, id').all(hubOrgId) as Row[]).map(toInfo);
  }

  /** How many of a hub's requests were made since a time (ISO), whatever became of them: the daily limit counts them. */
  countSince(hubOrgId: string, since: string): number {
    return (this.sql('SELECT COUNT(*) AS n FROM scratch_org_infos WHERE hub_org_id = ? AND created_date >= ?').get(hubOrgId, since) as { n: number | string }).n as number;
  }

  /** Takes the one-time code: true once for the code that was issued, then never again (two servers may race for it). */
  takeAuthCode(id: string, code: string): boolean {
    return this.sql('UPDATE scratch_org_infos SET auth_code = NULL WHERE id = ? AND auth_code = ?').run(id, code).changes > 0;
  }

  /** The request an authorization code was issued for. */
  byAuthCode(code: string): ScratchOrgInfo | undefined {
    const row = this.sql('SELECT * FROM scratch_org_infos WHERE auth_code = ?').get(code) as Row | undefined;
    return row && toInfo(row);
  }

  /** Ends a scratch org early (the admin API's expire): its last day becomes the given one. */
  setExpirationDate(id: string, date: string): void {
    this.sql('UPDATE scratch_org_infos SET expiration_date = ? WHERE id = ?').run(date, id);
  }

  markDeleted(id: string, when: string): void {
    this.sql("UPDATE scratch_org_infos SET status = 'Deleted', deleted_date = ?, auth_code = NULL WHERE id = ?").run(when, id);
  }

  /** A hub's records go with the hub. */
  deleteHub(hubOrgId: string): void {
    this.sql('DELETE FROM scratch_org_infos WHERE hub_org_id = ?').run(hubOrgId);
  }
}
