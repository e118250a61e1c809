import { generateKeyPairSync } from 'crypto';
import {
  buildCsr,
  classifyContent,
  defaultSubject,
  formatDn,
  generateRsaKeyPair,
  samePublicKey,
  toPem,
  type ParsedCsr,
  type RsaKeyPair,
} from '../../../src/crypto';
import { openssl, pemBody } from './helpers';

function parseCsr(pem: string | Buffer): ParsedCsr {
  const c = classifyContent(Buffer.from(pem));
  if (c.kind !== 'csr') throw new Error(`expected a CSR, got ${JSON.stringify(c)}`);
  return c.csr;
}

describe('buildCsr', () => {
  let key: RsaKeyPair;
  let pem: string;
  const subject = defaultSubject('Signed_Cert', '00D000000000001EAA');
  const sans = [
    { type: 2, value: 'login.example.com' },
    { type: 7, ip: '192.168.0.1' },
  ];

  beforeAll(async () => {
    key = await generateRsaKeyPair(2048);
    pem = await buildCsr({ keyPair: key, subject, subjectAltNames: sans });
  });

  it('carries the subject, SANs and public key, with a valid self-signature', () => {
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
    const csr = parseCsr(pem);
    expect(csr.subject).toEqual(subject);
    expect(formatDn(csr.subject)).toBe('CN=Signed_Cert, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA');
    expect(csr.subjectAltNames).toEqual(sans);
    expect(samePublicKey(csr.publicKeyPem, key.publicKeyPem)).toBe(true);
    expect(csr.keyBits).toBe(2048);
    expect(csr.signatureValid).toBe(true);
    expect(csr.pem).toBe(pem);
  });

  it('detects a tampered signature', () => {
    const der = pemBody(pem);
    der[der.length - 1] ^= 0x01;
    expect(parseCsr(toPem('CERTIFICATE REQUEST', der)).signatureValid).toBe(false);
  });

  it('has no attributes when there are no SANs', async () => {
    const plain = parseCsr(await buildCsr({ keyPair: key, subject }));
    expect(plain.subjectAltNames).toEqual([]);
    expect(plain.signatureValid).toBe(true);
  });

  it('verifies with openssl and shows SHA-256 with RSA, subject and SANs', () => {
    const r = openssl(['req', '-in', '{r.pem}', '-verify', '-noout', '-text'], { 'r.pem': pem });
    expect(r.status).toBe(0);
    expect(r.stderr + r.stdout).toMatch(/verify OK/);
    expect(r.stdout).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(r.stdout).toMatch(
      /Subject: CN ?= ?Signed_Cert, OU ?= ?00D000000000001, O ?= ?Salesforce\.com, L ?= ?San Francisco, ST ?= ?CA, C ?= ?USA\n/,
    );
    expect(r.stdout).toMatch(/DNS:login.example.com, IP Address:192.168.0.1/);

    const der = pemBody(pem);
    der[der.length - 1] ^= 0x01;
    const bad = openssl(['req', '-in', '{r.pem}', '-verify', '-noout'], { 'r.pem': toPem('CERTIFICATE REQUEST', der) });
    expect(bad.stderr + bad.stdout).not.toMatch(/verify OK/);
  });

  it('parses CSRs made by openssl, including a non-RSA one', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const made = openssl(
      ['req', '-new', '-key', '{k.pem}', '-subj', '/CN=Foreign/O=Other Org', '-addext', 'subjectAltName=DNS:foreign.example.com'],
      { 'k.pem': ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
    );
    expect(made.status).toBe(0);
    const csr = parseCsr(made.stdout);
    expect(formatDn(csr.subject)).toBe('CN=Foreign, O=Other Org');
    expect(csr.subjectAltNames).toEqual([{ type: 2, value: 'foreign.example.com' }]);
    expect(csr.keyBits).toBeUndefined();
    expect(csr.signatureValid).toBe(true);
  });
});
