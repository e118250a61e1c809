import { createPrivateKey, X509Certificate } from 'crypto';
import { formatDn, normalizePem, samePublicKey, toPem, type ParsedCertificate } from '../../crypto';
import { parseCertificateDer } from '../../crypto/certificateParser';
import type { KeystoreEntry } from '../../crypto/keystore';
import { IMPORTED_KEY_SIZES, MASTER_LABEL_MAX } from './definition';
import { validateCertificateName, type StoredCertificateFields } from './fields';
import { KeystoreMessages as M } from './messages';

/** A certificate of the org as the export sees it. */
export interface ExportCandidate {
  fullName: string;
  fields: StoredCertificateFields;
  /** What a retrieve returns: the certificate, or the chain (leaf first), or a CSR while waiting. */
  contentPem: string;
}

export interface ExportPlan {
  /** Exported under their API name, with the chain as DER, leaf first. */
  included: { fullName: string; chain: Buffer[] }[];
  leftOut: { fullName: string; reason: string }[];
}

const derBlocks = (pem: string): Buffer[] =>
  (normalizePem(pem).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [])
    .map((block) => Buffer.from(block.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

/**
 * What an export holds: every certificate with its private key and chain, except those whose key
 * may not leave the org and CA-signed ones that have no chain yet, which are named with why.
 */
export function planExport(certificates: ExportCandidate[]): ExportPlan {
  const plan: ExportPlan = { included: [], leftOut: [] };
  for (const c of certificates) {
    if (!c.fields.privateKeyExportable) plan.leftOut.push({ fullName: c.fullName, reason: M.privateKeyNotExportable });
    else if (c.fields.state === 'awaitingChain') plan.leftOut.push({ fullName: c.fullName, reason: M.awaitingChain });
    else plan.included.push({ fullName: c.fullName, chain: derBlocks(c.contentPem) });
  }
  return plan;
}

/** A certificate an import makes, ready to store. */
export interface ImportedCertificate {
  fullName: string;
  fields: StoredCertificateFields;
  /** The certificate, or the chain leaf first, as a retrieve returns it. */
  contentPem: string;
  privateKeyPem: string;
}

export type ImportPlan =
  | { ok: true; certificates: ImportedCertificate[] }
  | { ok: false; problems: { alias?: string; message: string }[] };

/**
 * The help's import rules, all or nothing: one certificate per private key entry, named by its
 * alias; RSA keys of 2048, 3072 or 4096 bits in PKCS#8 whose public half is the chain's leaf's;
 * names valid and free. `taken` gives the existing certificate a name collides with.
 */
export function planImport(entries: KeystoreEntry[], taken: (name: string) => string | undefined): ImportPlan {
  const keyEntries = entries.filter((e): e is Extract<KeystoreEntry, { kind: 'privateKey' }> => e.kind === 'privateKey');
  if (keyEntries.length === 0) return { ok: false, problems: [{ message: M.noPrivateKeyEntry }] };
  const problems: { alias: string; message: string }[] = [];
  const certificates: ImportedCertificate[] = [];
  const seen = new Set<string>();
  for (const entry of keyEntries) {
    const refuse = (problem: string) => problems.push({ alias: entry.alias, message: M.entry(entry.alias, problem) });
    const nameProblem = validateCertificateName(entry.alias) ? M.invalidName(entry.alias) : undefined;
    const existing = taken(entry.alias);
    const twice = seen.has(entry.alias.toLowerCase());
    seen.add(entry.alias.toLowerCase());
    if (nameProblem) refuse(nameProblem);
    else if (existing !== undefined) refuse(M.nameTaken(existing));
    else if (twice) refuse(M.nameTwice);
    const made = certificateOf(entry);
    if ('problem' in made) refuse(made.problem);
    else if (!nameProblem && existing === undefined && !twice) certificates.push(made);
  }
  return problems.length ? { ok: false, problems } : { ok: true, certificates };
}

function certificateOf(entry: Extract<KeystoreEntry, { kind: 'privateKey' }>): ImportedCertificate | { problem: string } {
  let key;
  try {
    key = createPrivateKey({ key: entry.privateKeyDer, format: 'der', type: 'pkcs8' });
  } catch {
    return { problem: M.notPkcs8 };
  }
  if (key.asymmetricKeyType !== 'rsa') return { problem: M.notRsa };
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits || !(IMPORTED_KEY_SIZES as readonly number[]).includes(bits)) return { problem: M.keySize(bits) };
  if (entry.chain.length === 0) return { problem: M.noChain };
  const chain: ParsedCertificate[] = [];
  for (const [i, der] of entry.chain.entries()) {
    try {
      chain.push(parseCertificateDer(der));
    } catch {
      return { problem: M.unreadableCertificate(i + 1) };
    }
    const c = chain[i]!;
    if (c.keyAlgorithm !== 'rsa') return { problem: M.chainNotRsa(i + 1, formatDn(c.subject), c.keyAlgorithm) };
  }
  const privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
  if (!samePublicKey(chain[0]!.publicKeyPem, privateKeyPem)) return { problem: M.keyMismatch };
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = new X509Certificate(entry.chain[i]!);
    const parent = new X509Certificate(entry.chain[i + 1]!);
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      return { problem: M.chainOrder(i + 1, formatDn(chain[i]!.subject), formatDn(chain[i + 1]!.subject)) };
    }
  }
  const leaf = new X509Certificate(entry.chain[0]!);
  const selfSigned = chain.length === 1 && leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey);
  return {
    fullName: entry.alias,
    fields: {
      caSigned: !selfSigned, encryptedWithPlatformEncryption: false, expirationDate: chain[0]!.notAfter.toISOString(), keySize: bits,
      masterLabel: entry.alias.slice(0, MASTER_LABEL_MAX), privateKeyExportable: true, state: selfSigned ? 'selfSigned' : 'active',
    },
    contentPem: entry.chain.map((der) => toPem('CERTIFICATE', der)).join(''),
    privateKeyPem,
  };
}
