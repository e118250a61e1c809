import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import * as forge from 'node-forge';
import { fromDer, toDer } from '../forgeInternals';
import { KeystoreError, type KeyEntryToWrite, type KeystoreEntry } from './keystoreEntry';

// The Java KeyStore (JKS) format, as OpenJDK's sun.security.provider.JavaKeyStore and KeyProtector
// write it. No npm package writes JKS (jks-js and jksreader only read, with generic errors and no way
// to tell a wrong store password from a different key password), so this is written here, on
// node:crypto's SHA-1 and forge's ASN.1:
//   u32 magic 0xFEEDFEED, u32 version 2, u32 count, entries, then SHA-1(password ‖ "Mighty Aphrodite" ‖ all before)
//   key entry:  u32 1, UTF alias, u64 ms, u32 length + EncryptedPrivateKeyInfo, u32 n, n × (UTF "X.509", u32 length + DER)
//   cert entry: u32 2, UTF alias, u64 ms, UTF "X.509", u32 length + DER
// UTF = u16 length + modified UTF-8. Passwords enter every digest as UTF-16BE.

const MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;
const KEY_ENTRY = 1;
const CERT_ENTRY = 2;
const SUN_KEY_PROTECTOR = '1.3.6.1.4.1.42.2.17.1.1';
const WHITENER = Buffer.from('Mighty Aphrodite', 'utf8');
const SHA1_LENGTH = 20;

const sha1 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha1');
  for (const p of parts) hash.update(p);
  return hash.digest();
};

/** Java's char[] password as bytes: UTF-16 big-endian, no terminator. */
function passwordBytes(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** KeyProtector's stream: d_1 = SHA1(pw ‖ salt), d_i = SHA1(pw ‖ d_{i-1}), cut to `length`. */
function keystream(password: Buffer, salt: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let digest = salt;
  for (let offset = 0; offset < length; offset += SHA1_LENGTH) {
    digest = sha1(password, digest);
    digest.copy(out, offset, 0, Math.min(SHA1_LENGTH, length - offset));
  }
  return out;
}

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ b[i]!));

function protectKey(pkcs8: Buffer, password: Buffer): Buffer {
  const salt = randomBytes(SHA1_LENGTH);
  const sealed = Buffer.concat([salt, xor(pkcs8, keystream(password, salt, pkcs8.length)), sha1(password, pkcs8)]);
  const { Class, Type } = forge.asn1;
  return toDer(forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
      forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(SUN_KEY_PROTECTOR).getBytes()),
      forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, ''),
    ]),
    forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, sealed.toString('binary')),
  ]));
}

/** The key inside an EncryptedPrivateKeyInfo, or null when it was sealed with another password. */
function recoverKey(encrypted: Buffer, password: Buffer, alias: string): Buffer | null {
  let algorithm: string;
  let sealed: Buffer;
  try {
    const [algorithmId, data] = fromDer(encrypted).value as forge.asn1.Asn1[];
    algorithm = forge.asn1.derToOid((algorithmId!.value as forge.asn1.Asn1[])[0]!.value as string);
    sealed = Buffer.from(data!.value as string, 'binary');
  } catch {
    throw new KeystoreError('DAMAGED', `The key of the entry '${alias}' cannot be read`, alias);
  }
  if (algorithm !== SUN_KEY_PROTECTOR) {
    throw new KeystoreError('DAMAGED', `The key of the entry '${alias}' is protected with algorithm ${algorithm}, which the JKS format does not use (a JCEKS keystore?)`, alias);
  }
  if (sealed.length < 2 * SHA1_LENGTH) throw new KeystoreError('DAMAGED', `The key of the entry '${alias}' is truncated`, alias);
  const salt = sealed.subarray(0, SHA1_LENGTH);
  const body = sealed.subarray(SHA1_LENGTH, sealed.length - SHA1_LENGTH);
  const check = sealed.subarray(sealed.length - SHA1_LENGTH);
  const key = xor(body, keystream(password, salt, body.length));
  return timingSafeEqual(sha1(password, key), check) ? key : null;
}

// Java's DataOutputStream.writeUTF: modified UTF-8 (NUL as two bytes, surrogates encoded one by one).
function writeUtf(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) bytes.push(c);
    else if (c <= 0x7ff) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  if (bytes.length > 0xffff) throw new Error(`"${text.slice(0, 20)}…" is too long for a keystore alias`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, Buffer.from(bytes)]);
}

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const u64 = (n: number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };
const sized = (bytes: Buffer): Buffer => Buffer.concat([u32(bytes.length), bytes]);

/** A JKS keystore of private key entries; each key is sealed with the store password, as keytool expects. */
export function writeJks(entries: KeyEntryToWrite[], password: string): Buffer {
  const pw = passwordBytes(password);
  const parts: Buffer[] = [u32(MAGIC), u32(2), u32(entries.length)];
  for (const e of entries) {
    const pkcs8 = Buffer.from(e.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    parts.push(u32(KEY_ENTRY), writeUtf(e.alias), u64((e.created ?? new Date()).getTime()), sized(protectKey(pkcs8, pw)), u32(e.chain.length));
    for (const der of e.chain) parts.push(writeUtf('X.509'), sized(der));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, sha1(pw, WHITENER, body)]);
}

/** Reads a byte buffer front to back; running off the end is a damaged keystore. */
class Cursor {
  private at = 0;
  constructor(private readonly bytes: Buffer, private readonly end: number) {}
  private take(n: number): Buffer {
    if (this.at + n > this.end) throw new KeystoreError('DAMAGED', 'The keystore is truncated or damaged');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u32(): number { return this.take(4).readUInt32BE(); }
  u64(): number { return Number(this.take(8).readBigUInt64BE()); }
  sized(): Buffer { return this.take(this.u32()); }
  utf(): string {
    const bytes = this.take(this.take(2).readUInt16BE());
    let out = '';
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i]!;
      if (b < 0x80) { out += String.fromCharCode(b); i += 1; }
      else if ((b & 0xe0) === 0xc0) { out += String.fromCharCode(((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f)); i += 2; }
      else { out += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f)); i += 3; }
    }
    return out;
  }
  get done(): boolean { return this.at === this.end; }
}

/**
 * Reads a JKS keystore (versions 1 and 2) with its store password: the integrity digest first, as
 * keytool does, then every key, each of which must open with that same password.
 */
export function readJks(bytes: Buffer, password: string): KeystoreEntry[] {
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  if (magic !== MAGIC) {
    const looksLike = magic === JCEKS_MAGIC ? ' (it is a JCEKS keystore; convert it with keytool -importkeystore -deststoretype JKS)'
      : bytes[0] === 0x30 ? ' (it looks like a PKCS#12 keystore: import it with format pkcs12)' : '';
    throw new KeystoreError('NOT_A_KEYSTORE', `The file is not a JKS keystore${looksLike}`);
  }
  if (bytes.length < 12 + SHA1_LENGTH) throw new KeystoreError('DAMAGED', 'The keystore is truncated or damaged');
  const pw = passwordBytes(password);
  const end = bytes.length - SHA1_LENGTH;
  if (!timingSafeEqual(sha1(pw, WHITENER, bytes.subarray(0, end)), bytes.subarray(end))) {
    throw new KeystoreError('PASSWORD_INCORRECT', 'Keystore was tampered with, or password was incorrect');
  }
  const cursor = new Cursor(bytes, end);
  cursor.u32();
  const version = cursor.u32();
  if (version !== 1 && version !== 2) throw new KeystoreError('NOT_A_KEYSTORE', `The JKS keystore has version ${version}; only versions 1 and 2 exist`);
  const certificate = () => {
    const type = version === 2 ? cursor.utf() : 'X.509';
    const der = cursor.sized();
    if (type !== 'X.509') throw new KeystoreError('DAMAGED', `The keystore holds a certificate of type ${type}; only X.509 certificates are read`);
    return der;
  };
  const entries: KeystoreEntry[] = [];
  for (let n = cursor.u32(); n > 0; n--) {
    const tag = cursor.u32();
    const alias = cursor.utf();
    const created = new Date(cursor.u64());
    if (tag === KEY_ENTRY) {
      const sealed = cursor.sized();
      const chain = Array.from({ length: cursor.u32() }, certificate);
      const key = recoverKey(sealed, pw, alias);
      if (!key) {
        throw new KeystoreError('KEY_PASSWORD_DIFFERS',
          `The Keystore contains a certificate '${alias}' whose per key password is not the same as the keystore password.`, alias);
      }
      entries.push({ kind: 'privateKey', alias, privateKeyDer: key, chain, created });
    } else if (tag === CERT_ENTRY) {
      entries.push({ kind: 'trustedCertificate', alias, certificate: certificate() });
    } else {
      throw new KeystoreError('DAMAGED', `The keystore entry '${alias}' has the unknown tag ${tag}`, alias);
    }
  }
  if (!cursor.done) throw new KeystoreError('DAMAGED', 'The keystore has bytes after its last entry');
  return entries;
}
