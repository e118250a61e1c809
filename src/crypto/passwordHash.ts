import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * User passwords are kept as scrypt hashes (node's own, memory-hard): `scrypt$N$r$p$salt$hash`.
 * Checking one costs tens of milliseconds, on libuv's thread pool, never on the event loop.
 */
const COST = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
const PREFIX = 'scrypt$';

export const isPasswordHash = (stored: string): boolean => stored.startsWith(PREFIX);

const format = (salt: Buffer, hash: Buffer) => `${PREFIX}${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${hash.toString('base64')}`;

function scryptAsync(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return format(salt, await scryptAsync(password, salt, COST));
}

/** For the one-time upgrade of passwords stored in clear, at start. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  return format(salt, scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { ...COST, maxmem: 64 * 1024 * 1024 }));
}

/** A hash to check against when the user does not exist, so that the answer takes as long either way. */
let decoy: Promise<string> | undefined;

/** Whether `password` matches the stored hash (or, with no hash, after the same work: always false). */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [, n, r, p, salt, hash] = (stored && isPasswordHash(stored) ? stored : await (decoy ??= hashPassword(randomBytes(12).toString('base64')))).split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!(cost.N > 1 && cost.N <= 2 ** 20 && cost.r > 0 && cost.r <= 32 && cost.p > 0 && cost.p <= 16)) return false;
  const expected = Buffer.from(hash ?? '', 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt ?? '', 'base64'), cost);
  return !!stored && expected.length === actual.length && timingSafeEqual(expected, actual);
}
