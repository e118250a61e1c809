import { createPrivateKey, createPublicKey } from 'crypto';
import { generateRsaKeyPair, publicKeyOf, samePublicKey, type RsaKeyPair } from '../../../src/crypto';

describe('keys', () => {
  let a: RsaKeyPair;
  let b: RsaKeyPair;
  beforeAll(async () => {
    [a, b] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  });

  it('generates a 2048-bit RSA pair as PKCS#8 and SPKI PEM with exponent 65537', () => {
    expect(a.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = createPrivateKey(a.privateKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.asymmetricKeyDetails?.publicExponent).toBe(65537n);
  });

  it('derives the SPKI public key from the private key', () => {
    expect(publicKeyOf(a.privateKeyPem)).toBe(a.publicKeyPem);
    expect(publicKeyOf(a.privateKeyPem)).not.toBe(b.publicKeyPem);
  });

  it('compares public keys by DER, ignoring PEM framing', () => {
    const pkcs1 = createPublicKey(a.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(samePublicKey(a.publicKeyPem, pkcs1)).toBe(true);
    expect(samePublicKey(a.publicKeyPem, a.publicKeyPem.replace(/\n/g, '\r\n'))).toBe(true);
    expect(samePublicKey(a.publicKeyPem, b.publicKeyPem)).toBe(false);
  });
});
