import { generateKeyPairSync } from 'node:crypto';
import { buildSelfSignedCertificate, defaultSubject, type RsaKeyPair } from '../../../src/crypto';
import { KeystoreError, readKeystore, writeKeystore, type KeystoreFormat } from '../../../src/crypto/keystore';
import { planExport, planImport } from '../../../src/metadata/certificate/keystoreRules';
import { readCertificateFields, type StoredCertificateFields } from '../../../src/metadata/certificate/fields';

const rsa = (bits = 2048): RsaKeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
};
const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

let key: RsaKeyPair;
let cert: Buffer;
beforeAll(async () => {
  key = rsa();
  cert = der(await buildSelfSignedCertificate({
    keyPair: key, subject: defaultSubject('Unit_Cert', '00D000000000001AAA'), notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000),
  }));
});

const readError = (format: KeystoreFormat, bytes: Buffer, password: string): KeystoreError => {
  try {
    readKeystore(format, bytes, password);
  } catch (err) {
    if (err instanceof KeystoreError) return err;
    throw err;
  }
  throw new Error('the keystore was read');
};

describe.each(['jks', 'pkcs12'] as const)('%s', (format) => {
  it('reads back what it writes: aliases (any characters), keys and chains', () => {
    const bytes = writeKeystore(format, [
      { alias: 'unit_cert', privateKeyPem: key.privateKeyPem, chain: [cert] },
      { alias: 'Ünïcode\u0000名', privateKeyPem: key.privateKeyPem, chain: [cert] },
    ], 'pässwörd');
    const entries = readKeystore(format, bytes, 'pässwörd');
    expect(entries.map((e) => e.kind === 'privateKey' && [e.alias, e.privateKeyDer.equals(der(key.privateKeyPem)), e.chain.length, e.chain[0]!.equals(cert)]))
      .toEqual([['unit_cert', true, 1, true], ['Ünïcode\u0000名', true, 1, true]]);
  });

  it('tells a wrong password and an altered file from a good one', () => {
    const bytes = writeKeystore(format, [{ alias: 'unit_cert', privateKeyPem: key.privateKeyPem, chain: [cert] }], 'secret');
    expect(readError(format, bytes, 'Secret').code).toBe('PASSWORD_INCORRECT');
    const altered = Buffer.from(bytes);
    altered[Math.floor(altered.length / 2)] ^= 0x01;
    expect(['PASSWORD_INCORRECT', 'DAMAGED']).toContain(readError(format, altered, 'secret').code);
    expect(readError(format, Buffer.from('not a keystore'), 'secret').code).toMatch(/NOT_A_KEYSTORE|DAMAGED/);
  });
});

it('a JKS key sealed with another password than the store\'s is named', () => {
  const jks = writeKeystore('jks', [{ alias: 'unit_cert', privateKeyPem: key.privateKeyPem, chain: [cert] }], 'one');
  // Re-seal the trailer with another password: the store opens with it, the key does not.
  const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  const body = jks.subarray(0, jks.length - 20);
  const pw = Buffer.from('two'.split('').flatMap((c) => [0, c.charCodeAt(0)]));
  const resealed = Buffer.concat([body, createHash('sha1').update(pw).update('Mighty Aphrodite').update(body).digest()]);
  const err = readError('jks', resealed, 'two');
  expect(err).toMatchObject({ code: 'KEY_PASSWORD_DIFFERS', alias: 'unit_cert' });
  expect(err.message).toBe("The Keystore contains a certificate 'unit_cert' whose per key password is not the same as the keystore password.");
});

describe('keystore rules', () => {
  const fields = (over: Partial<StoredCertificateFields>): StoredCertificateFields => ({
    caSigned: false, encryptedWithPlatformEncryption: false, expirationDate: '2030-01-01T00:00:00.000Z', keySize: 2048, masterLabel: 'x',
    privateKeyExportable: true, state: 'selfSigned', ...over,
  });

  it('exports what may leave the org and names what may not', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${cert.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const plan = planExport([
      { fullName: 'A', fields: fields({}), contentPem: pem },
      { fullName: 'B', fields: fields({ privateKeyExportable: false }), contentPem: pem },
      { fullName: 'C', fields: fields({ caSigned: true, state: 'awaitingChain' }), contentPem: '-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n' },
    ]);
    expect(plan.included).toEqual([{ fullName: 'A', chain: [cert] }]);
    expect(plan.leftOut.map((l) => l.fullName)).toEqual(['B', 'C']);
  });

  it('imports a 3072-bit key as a 3072-bit self-signed certificate named by its alias', async () => {
    const big = rsa(3072);
    const bigCert = der(await buildSelfSignedCertificate({
      keyPair: big, subject: defaultSubject('Big', '00D000000000001AAA'), notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000),
    }));
    const plan = planImport([{ kind: 'privateKey', alias: 'Big', privateKeyDer: der(big.privateKeyPem), chain: [bigCert] }], () => undefined);
    expect(plan).toMatchObject({ ok: true, certificates: [{ fullName: 'Big', fields: { keySize: 3072, caSigned: false, state: 'selfSigned', masterLabel: 'Big' } }] });
  });

  it('refuses a key that is not PKCS#8, and a name another certificate has', () => {
    const pkcs1 = der(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    expect(planImport([{ kind: 'privateKey', alias: 'Old', privateKeyDer: pkcs1, chain: [cert] }], () => undefined))
      .toEqual({ ok: false, problems: [{ alias: 'Old', message: "Keystore entry 'Old': The key must be in PKCS#8 format." }] });
    expect(planImport([{ kind: 'privateKey', alias: 'unit_cert', privateKeyDer: der(key.privateKeyPem), chain: [cert] }], () => 'Unit_Cert'))
      .toMatchObject({ ok: false, problems: [{ alias: 'unit_cert', message: expect.stringContaining('already has a certificate named Unit_Cert') }] });
  });

  it('lets a 3072-bit certificate (only ever imported) deploy with the keySize its retrieve says, while a deploy cannot ask for a new one', () => {
    expect(readCertificateFields('Big', { caSigned: false, masterLabel: 'Big', keySize: 3072 }, 3072)).toMatchObject({ ok: true, fields: { keySize: 3072 } });
    expect(readCertificateFields('Big', { caSigned: false, masterLabel: 'Big', keySize: 3072 })).toMatchObject({
      ok: false, field: 'keySize', problem: 'Certificate Big: keySize 3072 is not supported. Use 2048 or 4096 (a 3072-bit certificate can only be imported from a keystore).',
    });
  });
});
