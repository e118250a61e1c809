import * as forge from 'node-forge';
import { dnToForge, type DistinguishedName } from './distinguishedName';
import { pkiInternals } from './forgeInternals';
import type { RsaKeyPair } from './keys';
import { signEnvelope } from './nativeSigner';
import { toPem } from './pemFormat';
import { subjectAltNamesToForge, type SubjectAltName } from './subjectAltName';

export interface CsrSpec {
  keyPair: RsaKeyPair;
  subject: DistinguishedName;
  subjectAltNames?: SubjectAltName[];
}

/** PKCS#10 request signed with SHA-256 with RSA; SANs travel in an extensionRequest attribute. Returns PEM. */
export async function buildCsr(spec: CsrSpec): Promise<string> {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(spec.keyPair.publicKeyPem);
  csr.setSubject(dnToForge(spec.subject));
  const sans = spec.subjectAltNames ?? [];
  if (sans.length > 0) {
    csr.setAttributes([
      { name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: subjectAltNamesToForge(sans) }] },
    ]);
  }
  const der = await signEnvelope(pkiInternals.getCertificationRequestInfo(csr), spec.keyPair.privateKeyPem);
  return toPem('CERTIFICATE REQUEST', der);
}
