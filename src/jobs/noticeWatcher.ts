import { currentOrgNow } from '../clock';
import { noticesDue, type Notice, type NoticeCertificate } from '../metadata/certificate/expiryNotices';
import type { Org } from '../store/orgs';
import type { Store } from '../store/store';

const CHECK_EVERY_MS = 60_000;

/**
 * Certificate expiry notices on each org's own clock: listed on demand, and logged once each as the
 * clock crosses it, whether real time passes or a test moves the clock.
 */
export class NoticeWatcher {
  /** How far each org's clock has been looked at. */
  private readonly seen = new Map<string, Date>();
  /** Notices already logged (certificate id, kind and expiry): a clock moved back and forth logs nothing twice. */
  private readonly logged = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store, private readonly log: (line: string) => void) {}

  /** Every notice due so far on the org's clock. */
  list(org: Org): Notice[] {
    return noticesDue(this.certificates(org.id), this.store.orgs.usersOf(org.id), currentOrgNow(this.store, org));
  }

  /** Starts looking at every org's clock now and then; nothing due before now is logged. */
  start(): void {
    this.observeAll();
    this.timer = setInterval(() => this.observeAll(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** From a timer, where nothing may throw: a store that fails is read again at the next round. */
  private observeAll(): void {
    try {
      for (const id of this.store.orgs.ids()) this.observe(id);
    } catch (err) {
      this.log(`Certificate notices: the store could not be read (${(err as Error).message}); trying again in ${CHECK_EVERY_MS / 1000} s`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Logs the notices the org's clock crossed since it was last looked at (or since `before`, the time
   * it showed before a move, for an org not looked at yet).
   */
  observe(orgId: string, before?: Date): void {
    const org = this.store.orgs.get(orgId);
    if (!org) return;
    const now = currentOrgNow(this.store, org);
    const from = this.seen.get(orgId) ?? before ?? now;
    this.seen.set(orgId, now);
    if (now <= from) return;
    for (const n of noticesDue(this.certificates(orgId), this.store.orgs.usersOf(orgId), now, from)) {
      const key = `${n.certificateId}|${n.kind}|${n.expirationDate}`;
      if (this.logged.has(key)) continue;
      this.logged.add(key);
      this.log(`Certificate notice for org ${orgId} on ${n.date}: ${n.certificate} ${n.kind} (expires ${n.expirationDate}), to ${n.recipients.join(', ') || 'nobody'}`);
    }
  }

  private certificates(orgId: string): NoticeCertificate[] {
    return this.store.components.list(orgId, 'Certificate').map((c) => ({
      fullName: c.fullName, id: c.id, expirationDate: String(c.fields.expirationDate), createdDate: c.createdDate,
    }));
  }
}
