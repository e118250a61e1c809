import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

/**
 * Private keys at rest are sealed with AES-256-GCM under the location's master key, the way an org
 * encrypts its keys under its master encryption key. A sealed value names the key that sealed it
 * (`lfenc:v1:<key id>:<iv|tag|ciphertext>`), so a rotation cut short by a crash is finished or undone
 * at the next start, and each value is bound to the row it belongs to (its context), so sealed
 * values cannot be swapped between rows.
 */
export interface MasterKey {
  id: string;
  bytes: Buffer;
}

const PREFIX = 'lfenc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

const keyId = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

export const newMasterKey = (): MasterKey => {
  const bytes = randomBytes(KEY_BYTES);
  return { id: keyId(bytes), bytes };
};

export class SecretBox {
  private readonly byId: Map<string, MasterKey>;

  /** `current` seals; `others` (a rotation's old or new key) can still open what they sealed. */
  constructor(readonly current: MasterKey, others: MasterKey[] = []) {
    this.byId = new Map([...others, current].map((k) => [k.id, k]));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The key id a sealed value was sealed with. */
  static keyIdOf(sealed: string): string {
    return sealed.slice(PREFIX.length, sealed.indexOf(':', PREFIX.length));
  }

  open(sealed: string, context: string): string {
    if (!isSealed(sealed)) throw new Error('A stored private key is not sealed');
    const id = SecretBox.keyIdOf(sealed);
    const key = this.byId.get(id);
    if (!key) throw new Error(`A stored private key is sealed with master key ${id}, which this server was not given (see --master-key-file)`);
    const raw = Buffer.from(sealed.slice(PREFIX.length + id.length + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Reads a master key file (base64 of 32 bytes); a key readable by others is named on stderr. */
export function readMasterKey(file: string): MasterKey {
  const text = readFileSync(file, 'utf8').trim();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== text) {
    throw new Error(`${file} is not a Localforce master key (base64 of ${KEY_BYTES} bytes)`);
  }
  if ((statSync(file).mode & 0o077) !== 0) console.error(`localforce: warning: the master key ${file} can be read by other users; chmod 600 it`);
  return { id: keyId(bytes), bytes };
}

/** Writes a key file with mode 600, durably, without ever leaving a half-written file under `file`. */
export function writeMasterKey(file: string, key: MasterKey): void {
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${key.bytes.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/** The master key in `file`, made on first use. */
export function loadOrCreateMasterKey(file: string): MasterKey {
  if (existsSync(file)) return readMasterKey(file);
  // Written aside and linked into place: a link never replaces a file, so when servers sharing a store
  // start together, the first key made is the one all of them use.
  const aside = `${file}.made-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeMasterKey(aside, newMasterKey());
  try {
    linkSync(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    removeIfPresent(aside);
  }
  return readMasterKey(file);
}

/** The file a rotation writes its new key to before the store is re-sealed. */
export const pendingKeyFile = (file: string) => `${file}.new`;

export function removeIfPresent(file: string): void {
  try { unlinkSync(file); } catch { /* not there */ }
}
