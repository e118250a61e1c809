import { createHash, X509Certificate } from 'node:crypto';
import { classifyContent, formatDn, type ParsedCertificate } from '../../crypto';
import type { StoredCertificateFields } from '../../metadata/certificate/fields';
import type { StoredComponent } from '../../store/components';

export interface CertificateDetails {
  fullName: string;
  masterLabel: string;
  caSigned: boolean;
  keySize: number;
  expirationDate: string;
  privateKeyExportable: boolean;
  /** The org's own state: self-signed, a CSR waiting for its signed chain, or a CA-signed chain in place. */
  state: StoredCertificateFields['state'];
  /** The certificates of the content, leaf first (none while a CSR waits). */
  chain: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string; sha256Fingerprint: string }[];
  /** The CSR the org handed out, when it made one: still there after the chain came. */
  csr?: { subject: string; sha256Fingerprint: string };
  createdDate: string;
  lastModifiedDate: string;
}

const fingerprint = (der: Buffer) => createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');

/** What the certificate page shows beyond the Metadata API's fields: the X.509 facts of its content. */
export function certificateDetails(component: StoredComponent): CertificateDetails {
  const f = component.fields as unknown as StoredCertificateFields;
  const content = classifyContent(component.content ?? Buffer.alloc(0));
  const chain = content.kind === 'chain' ? content.certificates.map((c: ParsedCertificate) => ({
    subject: formatDn(c.subject), issuer: formatDn(c.issuer), serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sha256Fingerprint: new X509Certificate(c.pem).fingerprint256,
  })) : [];
  const csrText = f.csrPem ?? (content.kind === 'csr' ? content.csr.pem : undefined);
  const csr = csrText ? classifyContent(Buffer.from(csrText)) : undefined;
  return {
    fullName: component.fullName, masterLabel: f.masterLabel, caSigned: f.caSigned, keySize: f.keySize, expirationDate: f.expirationDate,
    privateKeyExportable: f.privateKeyExportable, state: f.state, chain,
    csr: csr?.kind === 'csr' ? { subject: formatDn(csr.csr.subject), sha256Fingerprint: fingerprint(derOf(csr.csr.pem)) } : undefined,
    createdDate: component.createdDate, lastModifiedDate: component.lastModifiedDate,
  };
}

/** The CSR of a CA-signed certificate, also once its chain is uploaded (as the real page keeps offering it). */
export function certificateCsr(component: StoredComponent): string | undefined {
  const f = component.fields as unknown as StoredCertificateFields;
  if (f.csrPem) return f.csrPem;
  const content = classifyContent(component.content ?? Buffer.alloc(0));
  return content.kind === 'csr' ? content.csr.pem : undefined;
}
