import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildCsr, buildSelfSignedCertificate, buildSignedCertificate, classifyContent, defaultSubject, generateRsaKeyPair,
  type ContentClass, type DistinguishedName, type RsaKeyPair, type SubjectAltName,
} from '../../../src/crypto';
import { decideCertificateContent, type ExistingCertificate, type RuleOutcome } from '../../../src/metadata/certificate/contentRules';
import { readCertificateFields, validateCertificateName, type CertificateFields, type StoredCertificateFields } from '../../../src/metadata/certificate/fields';
import { isFileProblem, type PlanContext } from '../../../src/metadata/metadataType';
import { MetadataRegistry } from '../../../src/metadata/registry';
import type { StoredComponent } from '../../../src/store/components';
import { expectOrgMade } from '../../support/testCa';
import { withEcKey } from '../crypto/helpers';

/*
 * The content rules of certificate.md as a pure decision, row by row: (stored state, incoming
 * fields and content, org clock) in, decision or refusal out. Keys and certificates are made once
 * here with known validity so that the org time can be put before, inside or after it.
 */

const ORG = '00D000000000001AAA';
const NAME = 'My_Cert';
const now = new Date('2025-06-01T00:00:00Z');
const rootDn: DistinguishedName = [{ shortName: 'CN', value: 'Unit Root CA' }];
const interDn: DistinguishedName = [{ shortName: 'CN', value: 'Unit Intermediate CA' }];
const theirDn: DistinguishedName = [{ shortName: 'CN', value: 'theirs.example.com' }, { shortName: 'O', value: 'Theirs' }];
const theirSans: SubjectAltName[] = [{ type: 2, value: 'theirs.example.com' }, { type: 7, ip: '192.0.2.7' }];

let orgKey: RsaKeyPair; // the stored certificate's key
let otherKey: RsaKeyPair;
let rootKey: RsaKeyPair;
let interKey: RsaKeyPair;
let root: string;
let inter: string;
let csr: string; // the CSR the org handed out for orgKey
let leaf: string; // the CA's answer to it
let selfSigned: string; // a self-signed certificate of the org for orgKey
let theirCert: string;
let theirCsr: string;

const content = (text: string | Buffer): ContentClass => classifyContent(Buffer.isBuffer(text) ? text : Buffer.from(text));
const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
/** The same PEM re-wrapped at 76 columns with CRLF line endings and surrounding whitespace. */
const messy = (text: string) => `\r\n  ${text.replace(/-----BEGIN ([^-]+)-----\n([\s\S]+?)-----END [^-]+-----\n/g, (_m, label: string, body: string) =>
  `-----BEGIN ${label}-----\r\n${body.replace(/\s/g, '').match(/.{1,76}/g)!.join('\r\n')}\r\n-----END ${label}-----\r\n`)}\r\n\t`;

function fields(over: Partial<CertificateFields> = {}): CertificateFields {
  return { caSigned: false, encryptedWithPlatformEncryption: false, masterLabel: 'Label', ...over };
}

function stored(state: StoredCertificateFields['state'], contentPem: string, over: Partial<StoredCertificateFields> = {}): ExistingCertificate {
  return {
    fields: {
      caSigned: state !== 'selfSigned', encryptedWithPlatformEncryption: false, expirationDate: '2026-06-01T00:00:00.000Z',
      keySize: 2048, masterLabel: 'Label', privateKeyExportable: true, state, csrPem: state === 'selfSigned' ? undefined : csr, ...over,
    },
    contentPem,
    publicKeyPem: orgKey.publicKeyPem,
  };
}

function decide(raw: string | Buffer, f: Partial<CertificateFields> = {}, existing?: ExistingCertificate, at = now): RuleOutcome {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return decideCertificateContent({ fullName: NAME, orgId: ORG, fields: fields(f), rawContent: bytes, content: content(bytes), now: at }, existing);
}

function refusal(outcome: RuleOutcome): { problem: string; field?: string; statusCode: string } {
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.decision.kind)}`);
  expect(outcome.problem).toMatch(new RegExp(`^Certificate ${NAME}: `));
  return outcome;
}

function decision(outcome: RuleOutcome) {
  if (!outcome.ok) throw new Error(`expected a decision, got: ${outcome.problem}`);
  return outcome.decision;
}

beforeAll(async () => {
  [orgKey, otherKey, rootKey, interKey] = await Promise.all(Array.from({ length: 4 }, () => generateRsaKeyPair(2048)));
  root = await buildSignedCertificate({
    keyPair: rootKey, subject: rootDn, issuer: rootDn, issuerKeyPair: rootKey, isCa: true,
    notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z'),
  });
  inter = await buildSignedCertificate({
    keyPair: interKey, subject: interDn, issuer: rootDn, issuerKeyPair: rootKey, isCa: true,
    notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z'),
  });
  csr = await buildCsr({ keyPair: orgKey, subject: defaultSubject(NAME, ORG) });
  leaf = await signed(orgKey, '2025-01-01', '2026-01-01');
  selfSigned = await buildSelfSignedCertificate({
    keyPair: orgKey, subject: defaultSubject(NAME, ORG), notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z'),
  });
  theirCert = await buildSelfSignedCertificate({
    keyPair: otherKey, subject: theirDn, subjectAltNames: theirSans, notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z'),
  });
  theirCsr = await buildCsr({ keyPair: otherKey, subject: theirDn, subjectAltNames: theirSans });
});

/** A leaf for `key` issued by the intermediate, valid between two dates. */
function signed(key: Pick<RsaKeyPair, 'publicKeyPem'>, from: string, to: string, issuerKey = interKey): Promise<string> {
  return buildSignedCertificate({
    keyPair: key, subject: defaultSubject(NAME, ORG), issuer: interDn, issuerKeyPair: issuerKey,
    notBefore: new Date(`${from}T00:00:00Z`), notAfter: new Date(`${to}T00:00:00Z`),
  });
}

describe('content classification feeding the rules', () => {
  it('recognises empty, CSR, chain, one DER certificate, private keys and garbage', async () => {
    expect(content('').kind).toBe('empty');
    expect(content(' \r\n\t\n').kind).toBe('empty');
    expect(content(csr).kind).toBe('csr');
    expect(content(csr.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')).kind).toBe('csr');
    expect(content(leaf + inter)).toMatchObject({ kind: 'chain', certificates: [{}, {}] });
    expect(content(der(leaf))).toMatchObject({ kind: 'chain', certificates: [{}] });
    const rsa = createPrivateKey(orgKey.privateKeyPem);
    for (const key of [
      orgKey.privateKeyPem,
      rsa.export({ type: 'pkcs1', format: 'pem' }) as string,
      rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string,
    ]) {
      expect(content(key).kind).toBe('privateKey');
      expect(content(leaf + key).kind).toBe('privateKey');
    }
    expect(content('not a certificate').kind).toBe('invalid');
  });
});

describe('new component (fullName not in the org)', () => {
  it('false + empty: new key pair and a self-signed certificate with the org subject', () => {
    expect(decision(decide('', { caSigned: false }))).toEqual({ kind: 'newSelfSigned', subject: defaultSubject(NAME, ORG), subjectAltNames: [] });
    expect(defaultSubject(NAME, ORG).map((a) => `${a.shortName}=${a.value}`).join(', '))
      .toBe('CN=My_Cert, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA');
  });

  it.each([
    ['PEM certificate', () => theirCert],
    ['chain', () => theirCert + inter + root],
    ['DER certificate', () => der(theirCert)],
  ])('false + a %s: a new self-signed certificate with the leaf subject and SANs', (_what, make) => {
    expect(decision(decide(make(), { caSigned: false }))).toEqual({ kind: 'newSelfSigned', subject: theirDn, subjectAltNames: theirSans });
  });

  it('false + a CSR: refused, a CSR only applies to a CA-signed certificate', () => {
    const r = refusal(decide(theirCsr, { caSigned: false }));
    expect(r).toMatchObject({ field: 'content', statusCode: 'FIELD_INTEGRITY_EXCEPTION' });
    expect(r.problem).toMatch(/a certificate signing request only applies to a CA-signed certificate\. Set caSigned to true/);
  });

  it('true + empty: new key pair and a CSR with the org subject', () => {
    expect(decision(decide('', { caSigned: true }))).toEqual({ kind: 'newCsr', subject: defaultSubject(NAME, ORG), subjectAltNames: [] });
  });

  it('true + a certificate or chain: a new CSR with the leaf subject and SANs (the renewal path)', () => {
    expect(decision(decide(theirCert + inter, { caSigned: true }))).toEqual({ kind: 'newCsr', subject: theirDn, subjectAltNames: theirSans });
  });

  it('true + a CSR: a new CSR with its subject and SANs', () => {
    expect(decision(decide(theirCsr, { caSigned: true }))).toEqual({ kind: 'newCsr', subject: theirDn, subjectAltNames: theirSans });
  });

  it('true + a CSR whose signature does not verify: refused as damaged', () => {
    const der = Buffer.from(theirCsr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] ^= 0xff; // the last byte belongs to the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const r = refusal(decide(tampered, { caSigned: true }));
    expect(r.problem).toMatch(/signing request's signature does not verify, so the request was damaged or altered/);
  });

  it.each([false, true])('caSigned %s + a private key: always refused', (caSigned) => {
    const r = refusal(decide(orgKey.privateKeyPem, { caSigned }));
    expect(r.problem).toMatch(/holds a private key\. Salesforce doesn't allow the import or export of the private key via the API/);
    expect(r.field).toBe('content');
  });

  it('anything else: refused, naming what was expected', () => {
    const r = refusal(decide('hello', { caSigned: true }));
    expect(r.problem).toMatch(/the content is not a PEM certificate, certificate chain or certificate signing request\. Expected an empty file/);
    const block = refusal(decide('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'));
    expect(block.problem).toMatch(/"PUBLIC KEY" PEM block/);
  });
});

describe('existing component', () => {
  describe('any state: immutable fields', () => {
    it.each([
      ['caSigned', { caSigned: false }, 'it is true, the file says false'],
      ['keySize', { caSigned: true, keySize: 4096 }, 'it is 2048, the file says 4096'],
      ['privateKeyExportable', { caSigned: true, privateKeyExportable: false }, 'it is true, the file says false'],
    ] as const)('%s differs from the stored value: refused, naming the field', (field, f, values) => {
      const r = refusal(decide('', f, stored('awaitingChain', csr)));
      expect(r.field).toBe(field);
      expect(r.problem).toContain(`${field} cannot be changed after the certificate is created (${values})`);
      expect(r.problem).toMatch(/create a new certificate under another name/);
    });

    it('is checked before the content, even for content that would otherwise be fine', () => {
      expect(refusal(decide(leaf + inter, { caSigned: true, keySize: 4096 }, stored('awaitingChain', csr))).field).toBe('keySize');
    });

    it('leaves out keySize and privateKeyExportable without an error (the stored ones stay)', () => {
      expect(decision(decide('', { caSigned: true }, stored('awaitingChain', csr)))).toEqual({ kind: 'keepContent' });
      expect(decision(decide('', { caSigned: true, keySize: 2048, privateKeyExportable: true }, stored('awaitingChain', csr)))).toEqual({ kind: 'keepContent' });
    });
  });

  describe('any state: empty, or byte-equal after PEM normalisation to what a retrieve returns', () => {
    const states = () => [
      ['selfSigned', stored('selfSigned', selfSigned), false],
      ['awaitingChain', stored('awaitingChain', csr), true],
      ['active', stored('active', leaf + inter), true],
    ] as const;

    it.each([
      ['empty', () => ''],
      ['exactly as retrieved', (pem: string) => pem],
      ['with CRLF, re-wrapping and surrounding whitespace', (pem: string) => messy(pem)],
    ])('%s: the content is left as it is', (_how, transform) => {
      for (const [, existing, caSigned] of states()) {
        expect(decide(transform(existing.contentPem), { caSigned }, existing)).toEqual({ ok: true, decision: { kind: 'keepContent' } });
      }
    });

    it('a DER file of the stored certificate counts as the same content', () => {
      expect(decision(decide(der(selfSigned), {}, stored('selfSigned', selfSigned)))).toEqual({ kind: 'keepContent' });
    });
  });

  describe('self-signed', () => {
    it('a different certificate: renewal with a new key, that subject and SANs', () => {
      expect(decision(decide(theirCert, {}, stored('selfSigned', selfSigned)))).toEqual({ kind: 'newSelfSigned', subject: theirDn, subjectAltNames: theirSans });
    });

    it('a CSR: refused as for a new one, saying caSigned cannot change', () => {
      const r = refusal(decide(theirCsr, {}, stored('selfSigned', selfSigned)));
      expect(r.problem).toMatch(/only applies to a CA-signed certificate, and this one is self-signed/);
    });
  });

  describe('CA-signed, waiting for its chain', () => {
    it('a chain whose leaf carries the stored key: the chain is uploaded', () => {
      const d = decision(decide(leaf + inter, { caSigned: true }, stored('awaitingChain', csr)));
      expect(d.kind).toBe('uploadChain');
      if (d.kind !== 'uploadChain') return;
      expect(d.chain.map((c) => c.pem)).toEqual([leaf, inter]);
      expect(d.chain[0]!.notAfter.toISOString()).toBe(new Date(new X509Certificate(leaf).validTo).toISOString());
    });

    it('a leaf alone, or a chain up to the root, are accepted too', () => {
      expect(decision(decide(leaf, { caSigned: true }, stored('awaitingChain', csr))).kind).toBe('uploadChain');
      expect(decision(decide(leaf + inter + root, { caSigned: true }, stored('awaitingChain', csr))).kind).toBe('uploadChain');
    });

    it('a chain whose leaf key does not match: refused, naming the component and how to fix it', async () => {
      const wrong = await signed(otherKey, '2025-01-01', '2026-01-01');
      const r = refusal(decide(wrong + inter, { caSigned: true }, stored('awaitingChain', csr)));
      expect(r.problem).toMatch(/^Certificate My_Cert: the certificate chain does not match this certificate's private key: certificate 1 \(CN=My_Cert, OU=00D000000000001, O=Salesforce\.com, L=San Francisco, ST=CA, C=USA\) holds another public key/);
      expect(r.problem).toMatch(/Have the CA sign that CSR/);
      expect(r.problem).not.toMatch(/To renew/);
    });

    it('a different CSR: refused, upload the signed chain instead', () => {
      const r = refusal(decide(theirCsr, { caSigned: true }, stored('awaitingChain', csr)));
      expect(r.problem).toMatch(/waiting for its signed certificate chain, not a new certificate signing request\. Have a CA sign the CSR retrieved from the org/);
    });
  });

  describe('CA-signed, active', () => {
    it('a chain for the same key (re-issued leaf, new intermediate): replaced', async () => {
      const reissued = await signed(orgKey, '2025-03-01', '2027-03-01');
      const d = decision(decide(reissued + inter, { caSigned: true }, stored('active', leaf + inter)));
      expect(d).toMatchObject({ kind: 'uploadChain' });
      if (d.kind === 'uploadChain') expect(d.chain[0]!.notAfter.toISOString()).toBe('2027-03-01T00:00:00.000Z');
    });

    it('a chain for another key: refused, pointing to a new component for a renewal', async () => {
      const wrong = await signed(otherKey, '2025-01-01', '2026-01-01');
      const r = refusal(decide(wrong + inter, { caSigned: true }, stored('active', leaf + inter)));
      expect(r.problem).toMatch(/does not match this certificate's private key.*To renew with a new key, deploy it as a new certificate under another name\./);
    });

    it('a leaf of another key size: refused as a chain for another key would be', async () => {
      const small = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const smallLeaf = await signed({ publicKeyPem: small.publicKey }, '2025-01-01', '2026-01-01');
      const r = refusal(decide(smallLeaf + inter, { caSigned: true }, stored('active', leaf + inter)));
      expect(r.problem).toMatch(/has a 1024-bit key but the key size is 2048\..*To renew with a new key, deploy it as a new certificate under another name\.$/);
      expect(refusal(decide(smallLeaf + inter, { caSigned: true }, stored('awaitingChain', csr))).problem).not.toMatch(/To renew/);
    });

    it('the CSR it had before: a Warning, content left unchanged', () => {
      for (const form of [csr, messy(csr)]) {
        const outcome = decide(form, { caSigned: true }, stored('active', leaf + inter));
        expect(outcome).toMatchObject({ ok: true, decision: { kind: 'keepContent' } });
        expect(outcome.ok && outcome.warning).toMatch(/^Certificate My_Cert: the signed certificate chain is already uploaded.*the content was left unchanged/);
      }
    });

    it('another CSR: refused', () => {
      const r = refusal(decide(theirCsr, { caSigned: true }, stored('active', leaf + inter)));
      expect(r.problem).toMatch(/already uploaded; a certificate signing request can no longer replace it/);
    });
  });

  describe('chain validation: each failure its own message with position and subject', () => {
    const waiting = () => stored('awaitingChain', csr);
    const leafName = 'certificate 1 (CN=My_Cert, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA)';

    it('wrong order', () => {
      expect(refusal(decide(leaf + root + inter, { caSigned: true }, waiting())).problem)
        .toContain(`${leafName} was issued by CN=Unit Intermediate CA, but the next one is certificate 2 (CN=Unit Root CA); order the chain leaf first`);
    });

    it('a signature that does not verify', async () => {
      const forged = await signed(orgKey, '2025-01-01', '2026-01-01', otherKey);
      expect(refusal(decide(forged + inter, { caSigned: true }, waiting())).problem)
        .toContain(`certificate 2 (CN=Unit Intermediate CA) did not sign ${leafName}: its signature does not verify`);
    });

    it('expired at the org time, and not valid yet', async () => {
      const late = refusal(decide(leaf + inter, { caSigned: true }, waiting(), new Date('2026-01-01T00:00:01Z')));
      expect(late.problem).toContain(`${leafName} expired on 2026-01-01T00:00:00.000Z`);
      expect(late.problem).toMatch(/Have the CA issue a new certificate/);
      const longLeaf = await signed(orgKey, '2025-01-01', '2031-01-01');
      const interLate = refusal(decide(longLeaf + inter, { caSigned: true }, waiting(), new Date('2030-06-01T00:00:00Z')));
      expect(interLate.problem).toContain('certificate 2 (CN=Unit Intermediate CA) expired on 2030-01-01T00:00:00.000Z');
      const early = refusal(decide(leaf + inter, { caSigned: true }, waiting(), new Date('2024-12-31T23:59:59Z')));
      expect(early.problem).toContain(`${leafName} is not valid until 2025-01-01T00:00:00.000Z`);
    });

    it('a leaf of another key size than keySize', async () => {
      const small = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const smallLeaf = await signed({ publicKeyPem: small.publicKey }, '2025-01-01', '2026-01-01');
      expect(refusal(decide(smallLeaf + inter, { caSigned: true }, waiting())).problem).toContain(`${leafName} has a 1024-bit key but the key size is 2048`);
    });

    it('a certificate with a non-RSA key', () => {
      expect(refusal(decide(leaf + withEcKey(inter), { caSigned: true }, waiting())).problem)
        .toContain('certificate 2 (CN=Unit Intermediate CA) has a key of type ec; only RSA keys are accepted');
    });
  });
});

describe('fields', () => {
  it('requires caSigned and masterLabel, trims the label, and limits it to 64 characters', () => {
    expect(readCertificateFields(NAME, { masterLabel: 'x' })).toMatchObject({ ok: false, statusCode: 'REQUIRED_FIELD_MISSING', field: 'caSigned' });
    expect(readCertificateFields(NAME, { caSigned: true, masterLabel: '  ' })).toMatchObject({ ok: false, statusCode: 'REQUIRED_FIELD_MISSING', field: 'masterLabel' });
    expect(readCertificateFields(NAME, { caSigned: true, masterLabel: 'x'.repeat(65) })).toMatchObject({ ok: false, statusCode: 'STRING_TOO_LONG', field: 'masterLabel' });
    expect(readCertificateFields(NAME, { caSigned: true, masterLabel: ` ${'x'.repeat(64)} ` })).toMatchObject({ ok: true, fields: { masterLabel: 'x'.repeat(64) } });
  });

  it('takes keySize 2048 or 4096 only, and ignores expirationDate', () => {
    expect(readCertificateFields(NAME, { caSigned: true, masterLabel: 'x', keySize: 1024 })).toMatchObject({ ok: false, statusCode: 'FIELD_INTEGRITY_EXCEPTION', field: 'keySize' });
    const ok = readCertificateFields(NAME, { caSigned: true, masterLabel: 'x', keySize: 4096, expirationDate: '2017-03-19' });
    expect(ok).toEqual({ ok: true, fields: { caSigned: true, encryptedWithPlatformEncryption: false, keySize: 4096, masterLabel: 'x', privateKeyExportable: undefined } });
  });

  it.each([
    ['My_Cert', true], ['a', true], ['A1_b2', true], ['x'.repeat(80), true],
    ['1Cert', false], ['_Cert', false], ['My__Cert', false], ['My_Cert_', false], ['My Cert', false], ['My-Cert', false], ['x'.repeat(81), false],
  ])('name %s valid: %s', (name, valid) => {
    expect(validateCertificateName(name) === undefined).toBe(valid);
  });
});

/**
 * The type's plan around the pure rule: the changed/created flags a deploy reports. Components are
 * made with the type's own apply (fixed keys), then what a retrieve would return is planned again.
 */
describe('the Certificate type: no-op, changes and warnings', () => {
  const CertificateType = MetadataRegistry.get('Certificate')!;
  const CRT = `certs/${NAME}.crt`;
  const META = `${CRT}-meta.xml`;
  const org = { id: ORG, name: 'Org', createdDate: '2025-01-01T00:00:00.000Z', clockOffsetMs: 0, devHub: true };
  const user = { id: '005000000000001AAA', orgId: ORG, username: 'u', passwordHash: 'scrypt$-', fullName: 'U', email: 'u@x' };
  const keyOf = new Map<string, string>();

  async function make(
    input: { fields: Record<string, unknown>; content: string }, existing?: StoredComponent, at = now,
  ): Promise<StoredComponent> {
    const ctx: PlanContext = { org, now: at, privateKeyOf: (c) => keyOf.get(c.id) };
    const planned = CertificateType.plan({ fullName: NAME, fields: input.fields, content: Buffer.from(input.content), files: new Map() }, existing, ctx);
    if (!planned.ok) throw new Error(planned.problem);
    const write = await CertificateType.apply(planned.plan, { fullName: NAME, fields: input.fields, content: null, files: new Map() }, existing, {
      org, user, now: at, keys: { take: async () => orgKey },
    });
    const id = existing?.id ?? `0P1${keyOf.size}`;
    if (write.privateKeyPem) keyOf.set(id, write.privateKeyPem);
    return {
      orgId: ORG, type: 'Certificate', fullName: NAME, id, fields: write.fields, content: write.content,
      createdById: user.id, createdDate: at.toISOString(), lastModifiedById: user.id, lastModifiedDate: at.toISOString(),
    };
  }

  /** Plans a deploy of exactly the files a retrieve of `component` gives, optionally edited. */
  function planRetrieved(component: StoredComponent, edit: { meta?: (m: string) => string; content?: (c: string) => string } = {}) {
    const files = CertificateType.files(component);
    const meta = (edit.meta ?? ((m) => m))(files.get(META)!.toString('utf8'));
    const text = (edit.content ?? ((c) => c))(files.get(CRT)!.toString('utf8'));
    const input = CertificateType.read({
      type: CertificateType.definition, fullName: NAME, mainPath: CRT, files: new Map([[CRT, Buffer.from(text)], [META, Buffer.from(meta)]]),
    });
    if (isFileProblem(input)) throw new Error(input.problem);
    return CertificateType.plan(input, component, { org, now, privateKeyOf: (c: StoredComponent) => keyOf.get(c.id) });
  }

  it('is a no-op (created false, changed false) for what a retrieve returned, in every state', async () => {
    const self = await make({ fields: { caSigned: false, masterLabel: 'Self' }, content: '' });
    const waiting = await make({ fields: { caSigned: true, masterLabel: 'Signed' }, content: '' });
    const orgCsr = waiting.content!.toString('utf8');
    const theirLeaf = await signed({ publicKeyPem: orgKey.publicKeyPem }, '2025-01-01', '2026-01-01');
    const active = await make({ fields: { caSigned: true, masterLabel: 'Signed' }, content: theirLeaf + inter }, waiting);
    expect((active.fields as { state: string }).state).toBe('active');
    expect(active.content!.toString('utf8')).toBe(theirLeaf + inter);
    expect((active.fields as { expirationDate: string }).expirationDate).toBe('2026-01-01T00:00:00.000Z');
    expect((active.fields as { csrPem: string }).csrPem).toBe(orgCsr);

    for (const component of [self, waiting, active]) {
      expect(planRetrieved(component)).toMatchObject({ ok: true, created: false, changed: false, plan: { decision: { kind: 'keepContent' } } });
      expect(planRetrieved(component, { content: messy })).toMatchObject({ ok: true, changed: false });
      // expirationDate is the org's: any value given on input, in either form, is ignored.
      const dated = planRetrieved(component, { meta: (m) => m.replace(/<expirationDate>[^<]*</, '<expirationDate>2017-03-19<') });
      expect(dated).toMatchObject({ ok: true, changed: false });
    }

    // A change of another field is a change; the content stays.
    const relabelled = planRetrieved(active, { meta: (m) => m.replace('<masterLabel>Signed<', '<masterLabel>Signed, renamed<') });
    expect(relabelled).toMatchObject({ ok: true, changed: true, plan: { decision: { kind: 'keepContent' }, fields: { masterLabel: 'Signed, renamed' } } });
    // A retrieve always carries encryptedWithPlatformEncryption, false included; turning it on is a change.
    expect(CertificateType.files(self).get(META)!.toString()).toContain('    <caSigned>false</caSigned>\n    <encryptedWithPlatformEncryption>false</encryptedWithPlatformEncryption>\n');
    const encrypted = planRetrieved(self, { meta: (m) => m.replace('<encryptedWithPlatformEncryption>false<', '<encryptedWithPlatformEncryption>true<') });
    expect(encrypted).toMatchObject({ ok: true, changed: true, plan: { fields: { encryptedWithPlatformEncryption: true } } });

    // The CSR after the chain: a Warning, nothing changed.
    const warned = planRetrieved(active, { content: () => orgCsr });
    expect(warned).toMatchObject({ ok: true, changed: false, plan: { decision: { kind: 'keepContent' } } });
    expect(warned.ok && warned.warning).toMatch(/already uploaded/);
  });

  it('writes the retrieve files as certificate.md says: LF, trailing newline, fields in WSDL order', async () => {
    const self = await make({ fields: { caSigned: false, masterLabel: 'Self', encryptedWithPlatformEncryption: true }, content: '' });
    const files = CertificateType.files(self);
    expect(files.get(CRT)!.toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
    const expiration = (self.fields as { expirationDate: string }).expirationDate;
    expect(expiration).toBe('2026-06-01T00:00:00.000Z');
    expect(files.get(META)!.toString()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
      '    <caSigned>false</caSigned>\n    <encryptedWithPlatformEncryption>true</encryptedWithPlatformEncryption>\n' +
      `    <expirationDate>${expiration}</expirationDate>\n    <keySize>2048</keySize>\n    <masterLabel>Self</masterLabel>\n` +
      '    <privateKeyExportable>true</privateKeyExportable>\n</Certificate>\n',
    );
    expect(JSON.stringify(CertificateType.record(self))).not.toMatch(/PRIVATE KEY/);
  });

  it('expires on the anniversary of the org date, at 00:00:00 UTC if made in the morning and 12:00:00 from noon: one year for 2048-bit keys, two for 4096, CSRs included', async () => {
    const fieldsOf = (c: StoredComponent) => c.fields as unknown as StoredCertificateFields;
    // Times of day that are neither midnight nor noon, the last moment of a morning, and the last millisecond of a day.
    const morning = new Date('2025-06-01T09:42:10.123Z');
    const lastOfMorning = new Date('2025-06-01T11:59:59.999Z');
    const afternoon = new Date('2025-06-01T15:42:10.123Z');
    const lastMoment = new Date('2025-12-31T23:59:59.999Z');

    const self = await make({ fields: { caSigned: false, masterLabel: 'Self' }, content: '' }, undefined, afternoon);
    const x509 = new X509Certificate(self.content!);
    expect(new Date(x509.validFrom).toISOString()).toBe('2025-06-01T15:42:10.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(fieldsOf(self).expirationDate).toBe('2026-06-01T12:00:00.000Z');
    expect(x509.subject).toBe('CN=My_Cert\nOU=00D000000000001\nO=Salesforce.com\nL=San Francisco\nST=CA\nC=USA');
    expectOrgMade(self.content!.toString('utf8'));

    for (const [at, expires] of [[morning, '2026-06-01T00:00:00.000Z'], [lastOfMorning, '2026-06-01T00:00:00.000Z'], [lastMoment, '2026-12-31T12:00:00.000Z']] as const) {
      const made = await make({ fields: { caSigned: false, masterLabel: 'Self' }, content: '' }, undefined, at);
      expect([at, new Date(new X509Certificate(made.content!).validTo).toISOString(), fieldsOf(made).expirationDate]).toEqual([at, expires, expires]);
    }

    const waiting = await make({ fields: { caSigned: true, masterLabel: 'Signed' }, content: '' }, undefined, lastMoment);
    expect(fieldsOf(waiting)).toMatchObject({ state: 'awaitingChain', expirationDate: '2026-12-31T12:00:00.000Z' });

    // keySize 4096: two years. (The key handed out here is the file's 2048-bit one, to spare a 4096-bit
    // generation; deploy.test.ts checks a real 4096-bit certificate end to end.)
    const big = await make({ fields: { caSigned: false, keySize: 4096, masterLabel: 'Big' }, content: '' }, undefined, afternoon);
    expect(new Date(new X509Certificate(big.content!).validTo).toISOString()).toBe('2027-06-01T12:00:00.000Z');
    expect(fieldsOf(big).expirationDate).toBe('2027-06-01T12:00:00.000Z');
    const bigCsr = await make({ fields: { caSigned: true, keySize: 4096, masterLabel: 'Big' }, content: '' }, undefined, lastMoment);
    expect(fieldsOf(bigCsr).expirationDate).toBe('2027-12-31T12:00:00.000Z');
  });

  it('expires as each org-made certificate of the corpus does, made on its clock at the time it was', async () => {
    const corpus = join(__dirname, '..', '..', '..', 'fixtures', 'corpus', 'certs');
    const orgMade = readdirSync(corpus).filter((f) => f.endsWith('.crt')).map((f) => readFileSync(join(corpus, f)))
      .filter((pem) => !pem.includes('BEGIN CERTIFICATE REQUEST')) // CSRs wait for their chain
      .map((pem) => new X509Certificate(pem))
      .filter((c) => c.subject.includes('O=Salesforce.com') && c.issuer === c.subject);
    expect(orgMade.length).toBe(23);
    for (const real of orgMade) {
      const years = Math.round((Date.parse(real.validTo) - Date.parse(real.validFrom)) / (365.25 * 86_400_000));
      const keySize = real.publicKey.asymmetricKeyDetails!.modulusLength! === 4096 || years === 2 ? 4096 : 2048;
      const made = await make({ fields: { caSigned: false, keySize, masterLabel: 'Corpus' }, content: '' }, undefined, new Date(real.validFrom));
      expect([real.validFrom, new Date(new X509Certificate(made.content!).validTo).toISOString()])
        .toEqual([real.validFrom, new Date(real.validTo).toISOString()]);
    }
  });
});
