/** Every sentence the Certificate type says, written once. */
export const CertificateMessages = {
  invalidName: (name: string) =>
    `The Certificate name '${name}' is not valid: it can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, not contain two consecutive underscores, and be at most 80 characters long.`,
  required: (field: string) => `Required field is missing: ${field}`,
  labelTooLong: (label: string) => `Master Label: data value too large: ${label} (max length=64)`,
  badKeySize: (name: string, size: unknown) =>
    `Certificate ${name}: keySize ${String(size)} is not supported. Use 2048 or 4096.`,
  immutable: (name: string, field: string, stored: unknown, incoming: unknown) =>
    `Certificate ${name}: ${field} cannot be changed after the certificate is created (it is ${String(stored)}, the file says ${String(incoming)}). To change it, create a new certificate under another name.`,
  privateKey: (name: string) =>
    `Certificate ${name}: the content holds a private key. Salesforce doesn't allow the import or export of the private key via the API; the org makes the key pair. Deploy the certificate, certificate chain or CSR without its key, or leave the content empty.`,
  invalidContent: (name: string, reason: string) =>
    `Certificate ${name}: ${reason}. Expected an empty file (to have the org make a new certificate), a PEM certificate or certificate chain, or, for a CA-signed certificate, a certificate signing request.`,
  csrForSelfSigned: (name: string) =>
    `Certificate ${name}: a certificate signing request only applies to a CA-signed certificate. Set caSigned to true, or deploy an empty file or a certificate instead.`,
  csrInsteadOfChain: (name: string) =>
    `Certificate ${name}: this CA-signed certificate is waiting for its signed certificate chain, not a new certificate signing request. Have a CA sign the CSR retrieved from the org and deploy the chain (leaf first). To start over with a new key, deploy a new certificate under another name.`,
  csrAfterChain: (name: string) =>
    `Certificate ${name}: the signed certificate chain is already uploaded; a certificate signing request can no longer replace it. To renew, deploy a new certificate under another name.`,
  chainAlreadyUploaded: (name: string) =>
    `Certificate ${name}: the signed certificate chain is already uploaded, so its CSR is no longer the certificate's content; the content was left unchanged.`,
  chainProblem: (name: string, detail: string) => `Certificate ${name}: the certificate chain is not valid: ${detail}.`,
  chainKeyMismatch: (name: string, active: boolean) =>
    `Certificate ${name}: the certificate chain does not match this certificate's private key: its first certificate must be issued for the CSR retrieved from the org.${active ? ' To renew with a new key, deploy it as a new certificate under another name.' : ''}`,
};
