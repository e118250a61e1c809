import { randomBytes, randomFillSync } from 'node:crypto';

/** Key prefixes of the record kinds Localforce hands out. */
export const IdPrefix = {
  org: '00D',
  user: '005',
  deploy: '0Af',
  retrieve: '09S',
  package: '0A2',
  asyncApexJob: '707',
  apexTestQueueItem: '709',
  apexTestRunResult: '05m',
  apexTestResult: '07M',
  apexCodeCoverage: '714',
  apexCodeCoverageAggregate: '715',
  apexOrgWideCoverage: '716',
  apexLog: '07L',
  sourceMember: '0MZ',
  scratchOrgInfo: '2SR',
  activeScratchOrg: '2AS',
  /** Our own: uploaded mutual authentication certificates. */
  mutualAuthCertificate: '0Ma',
} as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 3-character suffix that turns a case-sensitive 15-character id into the
 * case-insensitive 18-character form: one character per 5-character chunk, whose
 * bits mark the upper-case letters of that chunk.
 */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15.length === 18 ? id15 : id15 + idChecksum(id15);
}

export function to15(id: string): string {
  return id.slice(0, 15);
}

// Random bytes for ids, drawn a page at a time: a deploy makes an id per component, and one call to
// the system's generator per id was a measurable share of a 16,000-component deploy.
const idEntropy = Buffer.alloc(4096);
let idEntropyUsed = idEntropy.length;

/** A new random 18-character id with the given key prefix. */
export function newId(prefix: string): string {
  if (idEntropyUsed + 11 > idEntropy.length) { randomFillSync(idEntropy); idEntropyUsed = 0; }
  let body = '';
  for (let k = 0; k < 11; k++) body += BASE62.charAt(idEntropy[idEntropyUsed++]! % 62);
  return to18(prefix + '0' + body);
}

/** Two ids name the same record when their 15-character forms are equal. */
export function sameId(a: string, b: string): boolean {
  return a.length >= 15 && b.length >= 15 && to15(a) === to15(b);
}

/** A session id or access token in the `00D…!…` form the sf CLI insists on. */
export function newSessionId(orgId: string): string {
  return `${orgId}!${randomBytes(36).toString('base64url').replace(/-/g, '.')}`;
}

/** A consumer key in the shape of real ones (`3MVG9…`, letters, digits and dots). */
export function newConsumerKey(): string {
  return `3MVG9${randomBytes(63).toString('base64url').replace(/[-_]/g, '.')}`;
}

/** A consumer secret as the real service makes them: 64 upper-case hex digits. */
export function newConsumerSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

/** A refresh token (`5Aep861…`), in the characters an SFDX auth URL can carry. */
export function newRefreshToken(): string {
  return `5Aep861${randomBytes(60).toString('base64url').replace(/-/g, '.')}`;
}
