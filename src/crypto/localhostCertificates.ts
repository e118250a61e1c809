import { isIP } from 'net';
import { buildSignedCertificate } from './certificateBuilder';
import type { DistinguishedName } from './distinguishedName';
import { generateRsaKeyPair, publicKeyOf } from './keys';
import type { SubjectAltName } from './subjectAltName';

export interface CertificateAndKey {
  certificatePem: string;
  privateKeyPem: string;
}

const DAY = 24 * 3600 * 1000;
const CA_SUBJECT: DistinguishedName = [{ shortName: 'CN', value: 'Localforce Local CA' }, { shortName: 'O', value: 'Localforce' }];

/** A certificate authority of one machine (one store location), made once, that clients trust through NODE_EXTRA_CA_CERTS. */
export async function buildLocalCa(now = new Date()): Promise<CertificateAndKey> {
  const key = await generateRsaKeyPair(2048);
  const certificatePem = await buildSignedCertificate({
    keyPair: key, subject: CA_SUBJECT, issuer: CA_SUBJECT, issuerKeyPair: key, isCa: true,
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 10 * 365 * DAY),
  });
  return { certificatePem, privateKeyPem: key.privateKeyPem };
}

/**
 * A server certificate for `hosts` (names and IP addresses), signed by the local CA. Clients check
 * the address they dialled against the subject alternative names: `https://127.0.0.1` needs
 * IP:127.0.0.1, and a CN alone is not enough.
 */
export async function buildServerCertificate(ca: CertificateAndKey, hosts: string[], now = new Date()): Promise<CertificateAndKey> {
  const key = await generateRsaKeyPair(2048);
  const caKey = { privateKeyPem: ca.privateKeyPem, publicKeyPem: publicKeyOf(ca.privateKeyPem) };
  const subjectAltNames: SubjectAltName[] = [...new Set(hosts)].map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  const certificatePem = await buildSignedCertificate({
    keyPair: key, subject: [{ shortName: 'CN', value: hosts[0] ?? 'localhost' }, { shortName: 'O', value: 'Localforce' }],
    subjectAltNames, issuer: CA_SUBJECT, issuerKeyPair: caKey,
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 397 * DAY),
  });
  return { certificatePem, privateKeyPem: key.privateKeyPem };
}
