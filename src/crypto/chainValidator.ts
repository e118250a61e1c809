import { createPublicKey, X509Certificate } from 'crypto';
import { formatDn, sameDn } from './distinguishedName';
import { samePublicKey } from './keys';
import type { ParsedCertificate } from './pem';

export type ChainProblemCode =
  | 'EMPTY'
  | 'NOT_RSA'
  | 'KEY_SIZE'
  | 'KEY_MISMATCH'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'ISSUER_MISMATCH'
  | 'BAD_SIGNATURE';

export type ChainProblem = {
  code: ChainProblemCode;
  /** 1-based, 1 = leaf. */
  position: number;
  /** formatDn of that certificate's subject. */
  subject: string;
  /** A full sentence fragment naming the certificate, e.g. "certificate 2 (CN=x) expired on ...". */
  detail: string;
};

export interface ChainExpectation {
  /** The stored key the leaf must carry. */
  publicKeyPem: string;
  keySize: number;
  now: Date;
}

/**
 * Checks a chain, leaf first, the way a careful CA tool would, and returns the first problem or
 * null. The last certificate need not be a self-signed root: a chain ending at an intermediate
 * is accepted.
 */
export function validateChain(certificates: ParsedCertificate[], expect: ChainExpectation): ChainProblem | null {
  if (certificates.length === 0) {
    return { code: 'EMPTY', position: 0, subject: '', detail: 'the certificate chain holds no certificate' };
  }
  const name = (i: number) => `certificate ${i + 1} (${formatDn(certificates[i].subject)})`;
  const problem = (code: ChainProblemCode, i: number, detail: string): ChainProblem => ({
    code,
    position: i + 1,
    subject: formatDn(certificates[i].subject),
    detail,
  });

  // The leaf's own problems first, the most specific one first: a leaf with another key type or
  // size cannot be the certificate issued for this key, and saying why helps more than "no match".
  const leaf = certificates[0];
  if (leaf.keyAlgorithm !== 'rsa') {
    return problem('NOT_RSA', 0, `${name(0)} has a key of type ${leaf.keyAlgorithm}; only RSA keys are accepted`);
  }
  if (leaf.keyBits !== expect.keySize) {
    return problem('KEY_SIZE', 0, `${name(0)} has a ${leaf.keyBits}-bit key but the key size is ${expect.keySize}`);
  }
  if (!samePublicKey(leaf.publicKeyPem, expect.publicKeyPem)) {
    return problem('KEY_MISMATCH', 0, `${name(0)} does not hold this certificate's public key; the chain must start with the certificate issued for its certificate signing request`);
  }
  for (const [i, c] of certificates.entries()) {
    if (i > 0 && c.keyAlgorithm !== 'rsa') {
      return problem('NOT_RSA', i, `${name(i)} has a key of type ${c.keyAlgorithm}; only RSA keys are accepted`);
    }
  }
  for (const [i, c] of certificates.entries()) {
    if (expect.now < c.notBefore) {
      return problem('NOT_YET_VALID', i, `${name(i)} is not valid until ${c.notBefore.toISOString()}`);
    }
    if (expect.now > c.notAfter) {
      return problem('EXPIRED', i, `${name(i)} expired on ${c.notAfter.toISOString()}`);
    }
  }
  for (let i = 0; i + 1 < certificates.length; i++) {
    const child = certificates[i];
    const parent = certificates[i + 1];
    if (!sameDn(child.issuer, parent.subject)) {
      return problem('ISSUER_MISMATCH', i, `${name(i)} was issued by ${formatDn(child.issuer)}, but the next one is ${name(i + 1)}; order the chain leaf first, each certificate followed by its issuer`);
    }
    if (!new X509Certificate(child.pem).verify(createPublicKey(parent.publicKeyPem))) {
      return problem('BAD_SIGNATURE', i, `${name(i + 1)} did not sign ${name(i)}: its signature does not verify`);
    }
  }
  return null;
}
