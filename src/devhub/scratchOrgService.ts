import { randomBytes } from 'node:crypto';
import { orgNow } from '../clock';
import type { OrgService } from '../auth/orgService';
import { IdPrefix, newId, to15 } from '../ids';
import type { Caller, Org } from '../store/orgs';
import type { ScratchOrgInfo } from '../store/scratchOrgInfos';
import type { Store } from '../store/store';
import { devHubLimits } from './devHubLimits';
import { endOf, expirationDateFrom, hubNow } from './scratchOrgLifetime';
import { isRefusal, readScratchOrgRequest, type RequestRefusal } from './scratchOrgRequest';

/** How long the authorization code of a new scratch org can be exchanged, as the real service's codes last. */
const AUTH_CODE_MS = 15 * 60_000;

/** A ScratchOrgInfo's Status as read: a stored Active whose org has ended on the hub's clock reads Expired. */
export type ScratchOrgStatus = ScratchOrgInfo['status'] | 'Expired';

/**
 * A Dev Hub's scratch orgs: a ScratchOrgInfo insert makes the org at once (it is Active on the CLI's
 * first poll), with its admin user and a one-time authorization code for the CLI's first token; an
 * ActiveScratchOrg delete ends it, and its data goes. Every scratch org is an ordinary org of the store,
 * kept apart like any other.
 */
export class ScratchOrgService {
  constructor(private readonly store: Store, private readonly orgs: OrgService) {}

  /** The request's record, or the REST refusal the hub answers the insert with. */
  async create(hub: Caller, body: unknown, loginUrl: string, options: { lastingToken?: boolean } = {}):
  Promise<{ info: ScratchOrgInfo; accessToken?: string; password?: string; unlistedFeatures?: string[] } | RequestRefusal> {
    const request = readScratchOrgRequest(body);
    if (isRefusal(request)) return request;
    const now = orgNow(hub.org);
    const limits = devHubLimits(hub.org);
    if (this.activeOf(hub.org).length >= limits.activeScratchOrgs) {
      return { errorCode: 'LIMIT_EXCEEDED', message: 'The signup request failed because this organization has reached its active scratch org limit', fields: [] };
    }
    if (this.store.scratchOrgInfos.countSince(hub.org.id, new Date(now.getTime() - 24 * 3600_000).toISOString()) >= limits.dailyScratchOrgs) {
      return { errorCode: 'LIMIT_EXCEEDED', message: 'The signup request failed because this organization has reached its daily scratch org signup limit', fields: [] };
    }
    const signupUsername = request.username ?? `test-${randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(12, '0').slice(0, 12)}@example.com`;
    const info: ScratchOrgInfo = {
      id: newId(IdPrefix.scratchOrgInfo), hubOrgId: hub.org.id, activeId: newId(IdPrefix.activeScratchOrg), status: 'Active', signupUsername,
      edition: request.edition, orgName: request.orgName, request: { ...request.fields, LoginUrl: loginUrl }, createdById: hub.user.id,
      createdDate: now.toISOString(), expirationDate: expirationDateFrom(now, request.durationDays),
      consumerKey: request.consumerKey ?? 'PlatformCLI', callbackUrl: request.callbackUrl,
    };
    // A username taken anywhere fails the signup, as on the real hub: the record says Error with the CLI's code for it.
    if (this.store.orgs.userByUsername(signupUsername)) {
      this.store.scratchOrgInfos.insert({ ...info, status: 'Error', errorCode: 'C-1007' });
      return { info: this.store.scratchOrgInfos.get(hub.org.id, info.id)! };
    }
    const made = await this.orgs.createOrg({
      name: request.orgName, username: signupUsername, clockOffsetMs: hub.org.clockOffsetMs, lastingToken: options.lastingToken ?? false,
      scratch: { hubOrgId: hub.org.id, edition: request.edition, expirationDate: info.expirationDate },
    });
    this.store.scratchOrgInfos.insert({ ...info, orgId: made.id, authCode: `aPrx${randomBytes(48).toString('base64url')}` });
    return {
      info: this.store.scratchOrgInfos.get(hub.org.id, info.id)!, ...(options.lastingToken ? { accessToken: made.accessToken } : {}), password: made.password,
      unlistedFeatures: request.unlistedFeatures,
    };
  }

  /** Status as the hub reads it now. */
  status(info: ScratchOrgInfo, hub: Org): ScratchOrgStatus {
    return info.status === 'Active' && orgNow(hub).getTime() >= endOf(info.expirationDate) ? 'Expired' : info.status;
  }

  /** The hub's requests whose org is active now (its ActiveScratchOrg rows). */
  activeOf(hub: Org): ScratchOrgInfo[] {
    return this.store.scratchOrgInfos.ofHub(hub.id).filter((i) => this.status(i, hub) === 'Active');
  }

  /**
   * The request behind an authorization code, taken once: the code must be the one issued, not older
   * than 15 minutes, for the consumer key and callback the insert named. Undefined otherwise.
   */
  takeAuthCode(code: string, clientId: string | undefined, redirectUri: string | undefined): ScratchOrgInfo | undefined {
    const info = code ? this.store.scratchOrgInfos.byAuthCode(code) : undefined;
    if (!info || !info.orgId) return undefined;
    const hubClock = hubNow(this.store, info.hubOrgId);
    if (!hubClock || hubClock.getTime() - Date.parse(info.createdDate) > AUTH_CODE_MS) return undefined;
    if ((clientId ?? 'PlatformCLI') !== (info.consumerKey ?? 'PlatformCLI')) return undefined;
    if (info.callbackUrl && redirectUri !== undefined && redirectUri !== info.callbackUrl) return undefined;
    return this.store.scratchOrgInfos.takeAuthCode(info.id, code) ? info : undefined;
  }

  /** Ends a scratch org by its ActiveScratchOrg id: sessions, tokens and data go, the record says Deleted. False when unknown. */
  delete(hub: Org, activeId: string): boolean {
    const info = this.store.scratchOrgInfos.byActiveId(hub.id, activeId);
    if (!info || info.status !== 'Active') return false;
    this.end(hub, info);
    return true;
  }

  /** Ends one of the hub's scratch orgs by its ScratchOrgInfo (the admin API's delete). */
  end(hub: Org, info: ScratchOrgInfo): void {
    this.store.transaction(() => {
      if (info.orgId && this.store.orgs.get(info.orgId)) this.store.deleteOrg(info.orgId);
      this.store.scratchOrgInfos.markDeleted(info.id, orgNow(hub).toISOString());
    });
  }

  /** Makes a scratch org expire now on its hub's clock (the admin API's expire): its last day was yesterday. */
  expire(hub: Org, info: ScratchOrgInfo): void {
    const yesterday = new Date(orgNow(hub).getTime() - 24 * 3600_000).toISOString().slice(0, 10);
    this.store.transaction(() => {
      this.store.scratchOrgInfos.setExpirationDate(info.id, yesterday);
      if (info.orgId) this.store.orgs.setExpirationDate(info.orgId, yesterday);
    });
  }

  /** The 15-character id the CLI keys scratch orgs by. */
  static orgId15(info: ScratchOrgInfo): string | null {
    return info.orgId ? to15(info.orgId) : null;
  }
}
