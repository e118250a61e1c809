import { createPublicKey } from 'node:crypto';
import { promisify } from 'node:util';
import { encrypt } from 'xml-encryption';
import { SAML } from '../samlXml';

const encryptAsync = promisify(encrypt);

/** The block ciphers a connected app's `encryptionType` names (AES_256 when it names none). */
const CIPHERS = {
  AES_128: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  AES_256: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  Triple_Des: 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
} as const;
export type EncryptionType = keyof typeof CIPHERS;

/**
 * Encrypts a signed assertion for a service provider with its certificate (XML Encryption: the cipher
 * the app asks for, the key wrapped with RSA-OAEP), as an EncryptedAssertion the SP decrypts with its key.
 * Written with xml-encryption; only the wrapping element is ours.
 */
export async function encryptedAssertion(assertionXml: string, certificatePem: string, type: EncryptionType = 'AES_256'): Promise<string> {
  const publicKey = createPublicKey(certificatePem).export({ type: 'spki', format: 'pem' });
  const encrypted = await encryptAsync(assertionXml, {
    rsa_pub: publicKey, pem: certificatePem, encryptionAlgorithm: CIPHERS[type] ?? CIPHERS.AES_256,
    keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p', disallowEncryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false,
  });
  return `<saml:EncryptedAssertion xmlns:saml="${SAML.assertion}">${encrypted}</saml:EncryptedAssertion>`;
}
