import type { User } from '../../store/orgs';

/**
 * Certificate expiry notices, from the Certificate and Key Management help: 60, 30 and 10 days before
 * a certificate expires, the day before and the day of expiry, and once it has expired. Pure: the
 * org's clock, certificates and users in, notices out.
 */
export type NoticeKind = 'expires-in-60-days' | 'expires-in-30-days' | 'expires-in-10-days' | 'expires-tomorrow' | 'expires-today' | 'expired';

export interface NoticeCertificate {
  fullName: string;
  id: string;
  /** ISO time: the certificate's notAfter. */
  expirationDate: string;
  /** ISO time on the org's clock: notices due before the certificate existed are never sent. */
  createdDate: string;
}

export interface Notice {
  certificate: string;
  certificateId: string;
  kind: NoticeKind;
  /** The UTC date the notice is sent on. */
  date: string;
  /** When it is due, on the org's clock. */
  at: string;
  expirationDate: string;
  /** Usernames, by the help's rule (see recipientsOf). */
  recipients: string[];
}

const DAY = 24 * 3600 * 1000;
const RECEIVE_NOTIFICATIONS = 'ReceiveCertificateExpirationNotifications';

/** When each notice of a certificate expiring at `expiration` is due. */
export function noticeSchedule(expiration: Date): { kind: NoticeKind; at: Date }[] {
  const e = expiration.getTime();
  const startOfDay = Date.UTC(expiration.getUTCFullYear(), expiration.getUTCMonth(), expiration.getUTCDate());
  return [
    { kind: 'expires-in-60-days', at: new Date(e - 60 * DAY) },
    { kind: 'expires-in-30-days', at: new Date(e - 30 * DAY) },
    { kind: 'expires-in-10-days', at: new Date(e - 10 * DAY) },
    { kind: 'expires-tomorrow', at: new Date(e - DAY) },
    { kind: 'expires-today', at: new Date(startOfDay) },
    { kind: 'expired', at: new Date(e) },
  ];
}

const LAST_ONLY: ReadonlySet<NoticeKind> = new Set(['expires-tomorrow', 'expires-today', 'expired']);

const isAdmin = (u: User) => (u.profile ?? 'System Administrator') === 'System Administrator' || (u.permissions ?? []).includes('ModifyAllData');
const holdsPermission = (u: User) => (u.permissions ?? []).includes(RECEIVE_NOTIFICATIONS);

/**
 * Who is told, by the help's rule: users holding "Receive Certificate Expiration Notifications" get
 * every notice; other System Administrators and Modify All Data users only the day before, the day of
 * expiry and the expiry itself. When nobody holds the permission, all of those get every notice.
 */
export function recipientsOf(kind: NoticeKind, users: User[]): string[] {
  const holders = users.filter(holdsPermission);
  const admins = users.filter((u) => isAdmin(u) && !holdsPermission(u));
  const told = holders.length === 0 ? admins : [...holders, ...(LAST_ONLY.has(kind) ? admins : [])];
  return told.map((u) => u.username).sort();
}

/** The notices due in (from, to] on the org's clock (from undefined: since each certificate was made). */
export function noticesDue(certificates: NoticeCertificate[], users: User[], to: Date, from?: Date): Notice[] {
  const out: Notice[] = [];
  for (const c of certificates) {
    const created = Date.parse(c.createdDate);
    for (const { kind, at } of noticeSchedule(new Date(c.expirationDate))) {
      const t = at.getTime();
      if (t < created || t > to.getTime() || (from && t <= from.getTime())) continue;
      out.push({
        certificate: c.fullName, certificateId: c.id, kind, date: at.toISOString().slice(0, 10), at: at.toISOString(),
        expirationDate: c.expirationDate, recipients: recipientsOf(kind, users),
      });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at) || a.certificate.localeCompare(b.certificate));
}
