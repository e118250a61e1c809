import { createHash, randomBytes, X509Certificate } from 'crypto';
import * as forge from 'node-forge';
import { toDer } from '../forgeInternals';
import { KeystoreError, type KeyEntryToWrite, type KeystoreEntry } from './keystoreEntry';

// PKCS#12 on node-forge. forge's own toPkcs12Asn1 holds one key per file and re-encodes each
// certificate from its parsed fields; a keystore of an org holds many keys, and a certificate must
// keep its exact bytes (its signature covers them), so the bags are assembled here from forge's
// primitives: PBES2 (AES-256, PBKDF2 with HMAC-SHA-256) for each key, certificates as their DER,
// and an HMAC-SHA-256 integrity MAC, which OpenSSL 3 and keytool 17 read.

const { Class, Type } = forge.asn1;
const { oids } = forge.pki;
const ITERATIONS = 2048;

const seq = (items: forge.asn1.Asn1[]) => forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) => forge.asn1.create(Class.UNIVERSAL, Type.SET, true, items);
const oid = (id: string) => forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(id).getBytes());
const octets = (bytes: string) => forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes);
const explicit0 = (node: forge.asn1.Asn1) => forge.asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [node]);
const integer = (n: number) => forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());
const binary = (b: Buffer) => b.toString('binary');

/** A `data` ContentInfo holding `node`'s DER. */
const dataContent = (node: forge.asn1.Asn1) => seq([oid(oids.data), explicit0(octets(forge.asn1.toDer(node).getBytes()))]);

/** friendlyName (the alias) and localKeyId (SHA-1 of the leaf, which pairs key and certificate). */
function bagAttributes(alias: string, localKeyId: Buffer): forge.asn1.Asn1 {
  return set([
    seq([oid(oids.friendlyName), set([forge.asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, alias)])]),
    seq([oid(oids.localKeyId), set([octets(binary(localKeyId))])]),
  ]);
}

/** A PKCS#12 keystore of private key entries, every key and the integrity MAC under one password. */
export function writePkcs12(entries: KeyEntryToWrite[], password: string): Buffer {
  const keyBags: forge.asn1.Asn1[] = [];
  const certBags: forge.asn1.Asn1[] = [];
  for (const e of entries) {
    const attributes = bagAttributes(e.alias, createHash('sha1').update(e.chain[0]!).digest());
    const privateKeyInfo = forge.asn1.fromDer(binary(Buffer.from(e.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    const sealed = forge.pki.encryptPrivateKeyInfo(privateKeyInfo, password, { algorithm: 'aes256', prfAlgorithm: 'sha256', count: ITERATIONS } as never);
    keyBags.push(seq([oid(oids.pkcs8ShroudedKeyBag), explicit0(sealed), attributes]));
    e.chain.forEach((der, i) => {
      const certBag = seq([oid(oids.x509Certificate), explicit0(octets(binary(der)))]);
      certBags.push(seq([oid(oids.certBag), explicit0(certBag), ...(i === 0 ? [attributes] : [])]));
    });
  }
  const authenticatedSafe = forge.asn1.toDer(seq([dataContent(seq(certBags)), dataContent(seq(keyBags))])).getBytes();
  const salt = randomBytes(20).toString('binary');
  const md = forge.md.sha256.create();
  const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 3, ITERATIONS, 32, md);
  const hmac = forge.hmac.create();
  hmac.start(md, macKey);
  hmac.update(authenticatedSafe);
  const macData = seq([
    seq([seq([oid(oids.sha256), forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]), octets(hmac.digest().getBytes())]),
    octets(salt),
    integer(ITERATIONS),
  ]);
  return toDer(seq([integer(3), seq([oid(oids.data), explicit0(octets(authenticatedSafe))]), macData]));
}

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

/** forge's errors, in keytool's words where keytool has them. */
function readError(err: Error): KeystoreError {
  const message = err.message;
  if (/MAC could not be verified/.test(message)) return new KeystoreError('PASSWORD_INCORRECT', 'keystore password was incorrect');
  if (/ShroudedKeyBag/.test(message)) {
    return new KeystoreError('KEY_PASSWORD_DIFFERS', 'The Keystore contains a certificate whose per key password is not the same as the keystore password.');
  }
  if (/decrypt|password/i.test(message)) return new KeystoreError('PASSWORD_INCORRECT', 'keystore password was incorrect');
  return new KeystoreError('DAMAGED', `The PKCS#12 keystore cannot be read: ${message}`);
}

/** The certificate's own bytes: forge keeps the parsed TBSCertificate, so nothing signed is re-encoded. */
const certificateDer = (bag: Bag): Buffer => toDer(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1!);

/** Leaf, then each issuer found among the file's certificates. */
function chainFrom(leaf: Buffer, all: Buffer[]): Buffer[] {
  const chain = [leaf];
  let current = new X509Certificate(leaf);
  while (chain.length <= all.length) {
    if (current.checkIssued(current)) break; // self-issued: the root
    const issuer = all.find((der) => !chain.some((c) => c.equals(der)) && current.checkIssued(new X509Certificate(der)));
    if (!issuer) break;
    chain.push(issuer);
    current = new X509Certificate(issuer);
  }
  return chain;
}

/**
 * Reads a PKCS#12 keystore with its password (MAC checked first). Each key becomes a private key
 * entry named by its friendlyName (keytool's "1", "2"… when it has none), with the certificate that
 * shares its localKeyId and that certificate's issuers; named certificates without a key are
 * trusted certificate entries.
 */
export function readPkcs12(bytes: Buffer, password: string): KeystoreEntry[] {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xfeedfeed) {
    throw new KeystoreError('NOT_A_KEYSTORE', 'The file is not a PKCS#12 keystore (it is a JKS keystore: import it with format jks)');
  }
  let pfx: forge.asn1.Asn1;
  try {
    pfx = forge.asn1.fromDer(binary(bytes), { strict: false } as never);
  } catch {
    throw new KeystoreError('NOT_A_KEYSTORE', 'The file is not a PKCS#12 keystore');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(pfx, false, password);
  } catch (err) {
    throw readError(err as Error);
  }
  const bags = p12.safeContents.flatMap((s) => s.safeBags) as Bag[];
  const certs = bags.filter((b) => b.type === oids.certBag).map((b) => ({ bag: b, der: certificateDer(b) }));
  const idOf = (b: Bag) => (b.attributes.localKeyId?.[0] as string | undefined);
  const used = new Set<number>();
  const entries: KeystoreEntry[] = [];
  bags.filter((b) => b.type === oids.pkcs8ShroudedKeyBag || b.type === oids.keyBag).forEach((bag, i) => {
    const alias = (bag.attributes.friendlyName?.[0] as string | undefined) ?? String(i + 1);
    const privateKeyDer = bag.key
      ? toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
      : toDer(bag.asn1!);
    const id = idOf(bag);
    const leaf = (id !== undefined ? certs.find((c) => idOf(c.bag) === id) : undefined) ?? (certs.length === 1 ? certs[0] : undefined);
    const chain = leaf ? chainFrom(leaf.der, certs.map((c) => c.der)) : [];
    certs.forEach((c, j) => { if (chain.some((der) => der.equals(c.der))) used.add(j); });
    entries.push({ kind: 'privateKey', alias, privateKeyDer, chain });
  });
  for (const [j, c] of certs.entries()) {
    const name = c.bag.attributes.friendlyName?.[0] as string | undefined;
    if (!used.has(j) && name !== undefined) entries.push({ kind: 'trustedCertificate', alias: name, certificate: c.der });
  }
  return entries;
}
