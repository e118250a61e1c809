import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { LocationFiles } from '../store/location';
import type { Store } from '../store/store';

const TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{16,200}$/;

/**
 * The token of the admin API (`/_localforce/…`): the one given (--admin-token), else the one kept in
 * the location (made at first start, mode 600) or in a shared store (made by its first server), else,
 * in memory, a new one for this run.
 */
export function resolveAdminToken(store: Store, given?: string): string {
  if (given !== undefined) {
    if (!TOKEN_SHAPE.test(given)) throw new Error('--admin-token must be 16 to 200 characters: letters, digits and . _ ~ + / = -');
    return given;
  }
  const made = `lfadmin_${randomBytes(24).toString('base64url')}`;
  if (store.shared) return store.sharedSecret('admin-token', made);
  const file = store.ownFile(LocationFiles.adminToken);
  if (file && existsSync(file)) {
    chmodSync(file, 0o600);
    const kept = readFileSync(file, 'utf8').trim();
    if (TOKEN_SHAPE.test(kept)) return kept;
  }
  if (file) writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}

/** Compares a presented token with the admin token in constant time. */
export function isAdminToken(presented: string | undefined, adminToken: string): boolean {
  if (!presented) return false;
  const digest = (t: string) => createHash('sha256').update(t).digest();
  return timingSafeEqual(digest(presented), digest(adminToken));
}
