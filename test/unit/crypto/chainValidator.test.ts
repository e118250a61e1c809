import { X509Certificate } from 'crypto';
import {
  buildCsr,
  buildSignedCertificate,
  classifyContent,
  generateRsaKeyPair,
  validateChain,
  type ChainProblem,
  type DistinguishedName,
  type ParsedCertificate,
  type RsaKeyPair,
} from '../../../src/crypto';
import { openssl, withEcKey } from './helpers';

const rootDn: DistinguishedName = [{ shortName: 'CN', value: 'Test Root CA' }, { shortName: 'O', value: 'Test CA' }];
const interDn: DistinguishedName = [{ shortName: 'CN', value: 'Test Intermediate' }, { shortName: 'O', value: 'Test CA' }];
const leafDn: DistinguishedName = [{ shortName: 'CN', value: 'Signed_Cert' }, { shortName: 'OU', value: '00D000000000001EAA' }];
const now = new Date('2025-06-01T00:00:00Z');
const atTime = String(now.getTime() / 1000);

function parse(...pems: string[]): ParsedCertificate[] {
  const c = classifyContent(Buffer.from(pems.join('')));
  if (c.kind !== 'chain') throw new Error(`expected a chain, got ${JSON.stringify(c)}`);
  return c.certificates;
}

describe('validateChain', () => {
  let rootKey: RsaKeyPair;
  let interKey: RsaKeyPair;
  let leafKey: RsaKeyPair;
  let imposterKey: RsaKeyPair;
  let root: string;
  let inter: string;
  let leaf: string;
  let expect2048: { publicKeyPem: string; keySize: number; now: Date };

  beforeAll(async () => {
    [rootKey, interKey, leafKey, imposterKey] = await Promise.all(
      Array.from({ length: 4 }, () => generateRsaKeyPair(2048)),
    );
    root = await buildSignedCertificate({
      keyPair: rootKey,
      subject: rootDn,
      issuer: rootDn,
      issuerKeyPair: rootKey,
      isCa: true,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
    });
    inter = await buildSignedCertificate({
      keyPair: interKey,
      subject: interDn,
      issuer: rootDn,
      issuerKeyPair: rootKey,
      isCa: true,
      serial: '1001',
      notBefore: new Date('2021-01-01T00:00:00Z'),
      notAfter: new Date('2028-01-01T00:00:00Z'),
    });
    // The CA signs what the CSR carries; it never sees the leaf's private key.
    const csrClass = classifyContent(
      Buffer.from(await buildCsr({ keyPair: leafKey, subject: leafDn, subjectAltNames: [{ type: 2, value: 'a.example.com' }] })),
    );
    if (csrClass.kind !== 'csr') throw new Error('CSR did not parse');
    leaf = await buildSignedCertificate({
      keyPair: { publicKeyPem: csrClass.csr.publicKeyPem },
      subject: csrClass.csr.subject,
      subjectAltNames: csrClass.csr.subjectAltNames,
      issuer: interDn,
      issuerKeyPair: interKey,
      serial: 'ff01',
      notBefore: new Date('2022-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    });
    expect2048 = { publicKeyPem: leafKey.publicKeyPem, keySize: 2048, now };
  });

  function problem(chain: ParsedCertificate[], overrides: Partial<typeof expect2048> = {}): ChainProblem {
    const p = validateChain(chain, { ...expect2048, ...overrides });
    if (!p) throw new Error('expected a problem, the chain validated');
    return p;
  }

  it('accepts root → intermediate → leaf, with or without the root', () => {
    expect(validateChain(parse(leaf, inter, root), expect2048)).toBeNull();
    expect(validateChain(parse(leaf, inter), expect2048)).toBeNull();
    const [l, i] = parse(leaf, inter);
    expect(l.isCa).toBe(false);
    expect(i.isCa).toBe(true);
    expect(l.serialNumber).toBe('FF01');
    expect(i.serialNumber).toBe('1001');
    expect(l.subjectAltNames).toEqual([{ type: 2, value: 'a.example.com' }]);
  });

  it('is accepted by node and by openssl verify', () => {
    const [r, i, l] = [root, inter, leaf].map((p) => new X509Certificate(p));
    expect(l.checkIssued(i)).toBe(true);
    expect(l.verify(i.publicKey)).toBe(true);
    expect(i.verify(r.publicKey)).toBe(true);
    expect(l.verify(r.publicKey)).toBe(false);
    const ok = openssl(['verify', '-attime', atTime, '-CAfile', '{root.pem}', '-untrusted', '{inter.pem}', '{leaf.pem}'], {
      'root.pem': root,
      'inter.pem': inter,
      'leaf.pem': leaf,
    });
    expect(ok.stdout).toMatch(/leaf\.pem: OK/);
    expect(ok.status).toBe(0);
  });

  it('EMPTY: no certificate', () => {
    expect(problem([]).code).toBe('EMPTY');
  });

  it("KEY_MISMATCH: the leaf does not carry the stored key", () => {
    const p = problem(parse(leaf, inter, root), { publicKeyPem: imposterKey.publicKeyPem });
    expect(p).toMatchObject({ code: 'KEY_MISMATCH', position: 1, subject: 'CN=Signed_Cert, OU=00D000000000001EAA' });
    expect(p.detail).toMatch(/^certificate 1 \(CN=Signed_Cert, OU=00D000000000001EAA\) does not hold/);
  });

  it('NOT_RSA: a certificate with a non-RSA key', () => {
    const p = problem(parse(leaf, withEcKey(inter), root));
    expect(p).toMatchObject({ code: 'NOT_RSA', position: 2, subject: 'CN=Test Intermediate, O=Test CA' });
    expect(p.detail).toMatch(/type ec; only RSA/);
  });

  it('KEY_SIZE: the leaf key is not keySize bits', () => {
    const p = problem(parse(leaf, inter, root), { keySize: 4096 });
    expect(p).toMatchObject({ code: 'KEY_SIZE', position: 1 });
    expect(p.detail).toMatch(/2048-bit key but the key size is 4096/);
  });

  it('NOT_YET_VALID and EXPIRED at the org time', () => {
    const early = problem(parse(leaf, inter, root), { now: new Date('2021-12-31T23:59:59Z') });
    expect(early).toMatchObject({ code: 'NOT_YET_VALID', position: 1 });
    expect(early.detail).toMatch(/not valid until 2022-01-01T00:00:00.000Z/);
    const late = problem(parse(leaf, inter, root), { now: new Date('2028-01-01T00:00:01Z') });
    expect(late).toMatchObject({ code: 'EXPIRED', position: 2, subject: 'CN=Test Intermediate, O=Test CA' });
    expect(late.detail).toMatch(/^certificate 2 \(CN=Test Intermediate, O=Test CA\) expired on 2028-01-01T00:00:00.000Z/);
  });

  it('ISSUER_MISMATCH: a missing or misplaced intermediate', () => {
    const p = problem(parse(leaf, root));
    expect(p).toMatchObject({ code: 'ISSUER_MISMATCH', position: 1 });
    expect(p.detail).toMatch(/issued by CN=Test Intermediate, O=Test CA, but the next one is certificate 2 \(CN=Test Root CA/);
    expect(problem(parse(leaf, root, inter))).toMatchObject({ code: 'ISSUER_MISMATCH', position: 1 });
    expect(problem(parse(leaf, inter, inter))).toMatchObject({ code: 'ISSUER_MISMATCH', position: 2 });
  });

  it('BAD_SIGNATURE: an issuer with the right name but the wrong key', async () => {
    const fakeInter = await buildSignedCertificate({
      keyPair: imposterKey,
      subject: interDn,
      issuer: rootDn,
      issuerKeyPair: rootKey,
      isCa: true,
      notBefore: new Date('2021-01-01T00:00:00Z'),
      notAfter: new Date('2028-01-01T00:00:00Z'),
    });
    const p = problem(parse(leaf, fakeInter, root));
    expect(p).toMatchObject({ code: 'BAD_SIGNATURE', position: 1 });
    expect(p.detail).toBe(
      'certificate 2 (CN=Test Intermediate, O=Test CA) did not sign certificate 1 (CN=Signed_Cert, OU=00D000000000001EAA): its signature does not verify',
    );

    const fakeRoot = await buildSignedCertificate({
      keyPair: imposterKey,
      subject: rootDn,
      issuer: rootDn,
      issuerKeyPair: imposterKey,
      isCa: true,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
    });
    expect(problem(parse(leaf, inter, fakeRoot))).toMatchObject({ code: 'BAD_SIGNATURE', position: 2 });

    const bad = openssl(['verify', '-attime', atTime, '-CAfile', '{root.pem}', '-untrusted', '{inter.pem}', '{leaf.pem}'], {
      'root.pem': root,
      'inter.pem': fakeInter,
      'leaf.pem': leaf,
    });
    expect(bad.status).not.toBe(0);
  });
});
