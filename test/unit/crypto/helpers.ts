import { generateKeyPairSync } from 'crypto';
import * as forge from 'node-forge';
import { fromDer, toDer } from '../../../src/crypto/forgeInternals';
import { toPem } from '../../../src/crypto/pemFormat';

// openssl as an independent checker, shared with the API tests.
export { openssl } from '../../support/testCa';

/**
 * The same certificate with its SubjectPublicKeyInfo swapped for a P-256 key: a structurally valid
 * non-RSA certificate (its signature no longer verifies) without needing openssl.
 */
export function withEcKey(certificatePem: string): string {
  const der = Buffer.from(certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const cert = fromDer(der);
  const tbs = (cert.value as forge.asn1.Asn1[])[0];
  const fields = tbs.value as forge.asn1.Asn1[];
  const ecSpki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
  fields[1 + 5] = fromDer(ecSpki); // [0] version, serial, sigAlg, issuer, validity, subject, spki
  return toPem('CERTIFICATE', toDer(cert));
}

export const pemBody = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
