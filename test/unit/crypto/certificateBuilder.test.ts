import { createPrivateKey, X509Certificate } from 'crypto';
import {
  buildSelfSignedCertificate,
  buildSignedCertificate,
  classifyContent,
  defaultSubject,
  generateRsaKeyPair,
  type ParsedCertificate,
  type RsaKeyPair,
} from '../../../src/crypto';
import { expectOrgMade, extensionsOf, keyIdOf } from '../../support/testCa';
import { openssl } from './helpers';

function parseOne(pem: string): ParsedCertificate {
  const c = classifyContent(Buffer.from(pem));
  if (c.kind !== 'chain' || c.certificates.length !== 1) throw new Error(`expected one certificate, got ${c.kind}`);
  return c.certificates[0];
}

describe('buildSelfSignedCertificate', () => {
  let key: RsaKeyPair;
  let other: RsaKeyPair;
  let pem: string;
  const notBefore = new Date('2024-03-05T10:20:30.456Z');
  const notAfter = new Date('2025-03-05T10:20:30.999Z');
  const sans = [
    { type: 2, value: 'api.example.com' },
    { type: 1, value: 'ops@example.com' },
    { type: 6, value: 'https://example.com/id' },
    { type: 7, ip: '10.1.2.3' },
  ];

  beforeAll(async () => {
    [key, other] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    pem = await buildSelfSignedCertificate({
      keyPair: key,
      subject: defaultSubject('My_Cert', '00D000000000001EAA'),
      subjectAltNames: sans,
      notBefore,
      notAfter,
    });
  });

  it('is a PEM certificate signed by its own key', () => {
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    const x509 = new X509Certificate(pem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key.privateKeyPem))).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(other.privateKeyPem))).toBe(false);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('carries subject = issuer (the org subject: 15-character org id, ST=CA, C=USA), SANs, second-precision dates, a 14-byte serial and the CA flag', () => {
    const x509 = new X509Certificate(pem);
    const dn = 'CN=My_Cert\nOU=00D000000000001\nO=Salesforce.com\nL=San Francisco\nST=CA\nC=USA';
    expect(x509.subject).toBe(dn);
    expect(x509.issuer).toBe(dn);
    expect(new Date(x509.validFrom).toISOString()).toBe('2024-03-05T10:20:30.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2025-03-05T10:20:30.000Z');
    // 6 bytes of creation time in milliseconds (notBefore, 2024-03-05T10:20:30.000Z), 4 zero bytes, 4 random ones.
    expect(Date.parse('2024-03-05T10:20:30.000Z').toString(16)).toBe('18e0e2109b0');
    expect(x509.serialNumber).toMatch(/^018E0E2109B000000000[0-9A-F]{8}$/);
    expect(x509.ca).toBe(true);
    expect(x509.subjectAltName).toBe(
      'DNS:api.example.com, email:ops@example.com, URI:https://example.com/id, IP Address:10.1.2.3',
    );

    const parsed = parseOne(pem);
    expect(parsed.notBefore.toISOString()).toBe('2024-03-05T10:20:30.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2025-03-05T10:20:30.000Z');
    expect(parsed.subjectAltNames).toEqual(sans);
    expect(parsed.serialNumber).toBe(x509.serialNumber);
    expect(parsed.isCa).toBe(true);
    expect(parsed.keyAlgorithm).toBe('rsa');
    expect(parsed.keyBits).toBe(2048);
    expect(parsed.publicKeyPem).toBe(key.publicKeyPem);
    expect(parsed.pem).toBe(pem);
  });

  it('has the extensions of an org-made certificate: SKI, CA:TRUE (critical), AKI with key id, issuer and serial, SANs, and no keyUsage', () => {
    const keyId = keyIdOf(key.publicKeyPem);
    const serial = new X509Certificate(pem).serialNumber.toUpperCase();
    expect(extensionsOf(pem)).toEqual({
      extensions: [
        { name: 'subjectKeyIdentifier', critical: false },
        { name: 'basicConstraints', critical: true },
        { name: 'authorityKeyIdentifier', critical: false },
        { name: 'subjectAltName', critical: false },
      ],
      cA: true,
      subjectKeyId: keyId,
      authorityKeyId: {
        keyId,
        issuer: ['CN=My_Cert', 'OU=00D000000000001', 'O=Salesforce.com', 'L=San Francisco', 'ST=CA', 'C=USA'],
        serial,
      },
    });
    expectOrgMade(pem);
  });

  it('draws a fresh serial each time', async () => {
    const again = await buildSelfSignedCertificate({ keyPair: key, subject: defaultSubject('x', 'y'), notBefore, notAfter });
    expect(new X509Certificate(again).serialNumber).not.toBe(new X509Certificate(pem).serialNumber);
  });

  it('has the expected X.509 v3 structure according to openssl', () => {
    const r = openssl(['x509', '-in', '{c.pem}', '-noout', '-text'], { 'c.pem': pem });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Version: 3 \(0x2\)/);
    expect(r.stdout).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(r.stdout).toMatch(/Public-Key: \(2048 bit\)/);
    expect(r.stdout).toMatch(/Exponent: 65537/);
    const keyId = keyIdOf(key.publicKeyPem).match(/../g)!.join(':');
    const serial = new X509Certificate(pem).serialNumber.toUpperCase().match(/../g)!.join(':');
    expect(r.stdout).toMatch(/Serial Number:\s*\n\s*01:8e:0e:21:09:b0:00:00:00:00(:[0-9a-f]{2}){4}\n/);
    expect(r.stdout).toMatch(/X509v3 Basic Constraints: critical\s*\n\s*CA:TRUE\n/);
    expect(r.stdout).not.toMatch(/Key Usage/);
    expect(r.stdout).toContain(`X509v3 Subject Key Identifier: \n                ${keyId}\n`);
    expect(r.stdout).toContain(
      `X509v3 Authority Key Identifier: \n                keyid:${keyId}\n` +
      '                DirName:/CN=My_Cert/OU=00D000000000001/O=Salesforce.com/L=San Francisco/ST=CA/C=USA\n' +
      `                serial:${serial}\n`,
    );
    expect(r.stdout).toMatch(/X509v3 Subject Alternative Name/);
    const extensions = [...r.stdout.matchAll(/^ {12}(X509v3 [\w ]+):/gm)].map((m) => m[1]);
    expect(extensions).toEqual(['X509v3 Subject Key Identifier', 'X509v3 Basic Constraints', 'X509v3 Authority Key Identifier', 'X509v3 Subject Alternative Name']);
    const selfVerify = openssl(['verify', '-CAfile', '{c.pem}', '-attime', '1720000000', '{c.pem}'], { 'c.pem': pem });
    expect(selfVerify.stdout).toMatch(/: OK/);
  });

  it('omits the SAN extension when there are none', async () => {
    const plain = await buildSelfSignedCertificate({ keyPair: key, subject: defaultSubject('x', 'y'), notBefore, notAfter });
    expect(new X509Certificate(plain).subjectAltName).toBeUndefined();
    expect(parseOne(plain).subjectAltNames).toEqual([]);
  });

  it('encodes dates from 2050 on as GeneralizedTime and reads them back', async () => {
    const late = await buildSelfSignedCertificate({
      keyPair: key,
      subject: defaultSubject('x', 'y'),
      notBefore: new Date('2049-12-31T23:59:59Z'),
      notAfter: new Date('2051-06-01T12:00:00Z'),
    });
    const parsed = parseOne(late);
    expect(parsed.notBefore.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2051-06-01T12:00:00.000Z');
  });

  it('refuses notAfter before notBefore', async () => {
    await expect(
      buildSelfSignedCertificate({ keyPair: key, subject: defaultSubject('x', 'y'), notBefore: notAfter, notAfter: notBefore }),
    ).rejects.toThrow(/notAfter/);
  });

  it('works with a 4096-bit key', async () => {
    const big = await generateRsaKeyPair(4096);
    const bigPem = await buildSelfSignedCertificate({ keyPair: big, subject: defaultSubject('Big', 'y'), notBefore, notAfter });
    const x509 = new X509Certificate(bigPem);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(parseOne(bigPem).keyBits).toBe(4096);
    expectOrgMade(bigPem);
  });
});

describe('buildSignedCertificate without a profile (test CAs and the leaves they issue)', () => {
  let caKey: RsaKeyPair;
  let leafKey: RsaKeyPair;
  let ca: string;
  let leaf: string;
  const caDn = [{ shortName: 'CN', value: 'Builder CA' }];
  const notBefore = new Date('2024-03-05T10:20:30.456Z');
  const notAfter = new Date('2025-03-05T10:20:30.999Z');

  beforeAll(async () => {
    [caKey, leafKey] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    ca = await buildSignedCertificate({ keyPair: caKey, subject: caDn, issuer: caDn, issuerKeyPair: caKey, isCa: true, notBefore, notAfter });
    leaf = await buildSignedCertificate({
      keyPair: { publicKeyPem: leafKey.publicKeyPem }, subject: defaultSubject('Leaf', '00D000000000001EAA'),
      subjectAltNames: [{ type: 2, value: 'leaf.example.com' }], issuer: caDn, issuerKeyPair: caKey, notBefore, notAfter,
    });
  });

  it('makes a leaf with CA:FALSE, keyUsage and a positive 16-byte random serial', () => {
    const x509 = new X509Certificate(leaf);
    expect(x509.verify(new X509Certificate(ca).publicKey)).toBe(true);
    expect(x509.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(x509.ca).toBe(false);
    expect(parseOne(leaf).isCa).toBe(false);
    expect(extensionsOf(leaf)).toEqual({
      extensions: [
        { name: 'basicConstraints', critical: false },
        { name: 'keyUsage', critical: true },
        { name: 'subjectKeyIdentifier', critical: false },
        { name: 'authorityKeyIdentifier', critical: false },
        { name: 'subjectAltName', critical: false },
      ],
      cA: false,
      subjectKeyId: keyIdOf(leafKey.publicKeyPem),
      authorityKeyId: { keyId: keyIdOf(caKey.publicKeyPem) },
    });
  });

  it('makes a CA with CA:TRUE (critical), certificate-signing keyUsage and a 16-byte serial', () => {
    const x509 = new X509Certificate(ca);
    expect(x509.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(x509.ca).toBe(true);
    expect(extensionsOf(ca)).toMatchObject({
      extensions: [
        { name: 'basicConstraints', critical: true },
        { name: 'keyUsage', critical: true },
        { name: 'subjectKeyIdentifier', critical: false },
        { name: 'authorityKeyIdentifier', critical: false },
      ],
      cA: true,
      authorityKeyId: { keyId: keyIdOf(caKey.publicKeyPem) },
    });
  });

  it('has the expected keyUsage according to openssl', () => {
    const l = openssl(['x509', '-in', '{c.pem}', '-noout', '-text'], { 'c.pem': leaf });
    expect(l.stdout).toMatch(/X509v3 Basic Constraints:\s*\n\s*CA:FALSE/);
    expect(l.stdout).toMatch(/X509v3 Key Usage: critical\s*\n\s*Digital Signature, Key Encipherment\n/);
    const c = openssl(['x509', '-in', '{c.pem}', '-noout', '-text'], { 'c.pem': ca });
    expect(c.stdout).toMatch(/X509v3 Basic Constraints: critical\s*\n\s*CA:TRUE/);
    expect(c.stdout).toMatch(/X509v3 Key Usage: critical\s*\n\s*Digital Signature, Certificate Sign, CRL Sign\n/);
  });
});
