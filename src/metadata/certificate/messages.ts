import type { ChainProblem, ChainProblemCode } from '../../crypto';
import { CERTIFICATE_KEY_SIZES, MASTER_LABEL_MAX } from './definition';

/** How to fix each way a signed chain can be wrong (the problem itself names position and subject). */
const CHAIN_FIXES: Record<ChainProblemCode, string> = {
  EMPTY: 'Deploy the signed certificate chain, leaf first.',
  NOT_RSA: 'Only RSA keys are accepted: have the CA issue the chain with RSA certificates.',
  KEY_SIZE:
    "The chain must start with the certificate the CA issued for this certificate's CSR (retrieve it from the org); that certificate carries the org's own key of keySize bits.",
  KEY_MISMATCH: "Have the CA sign the CSR retrieved from the org and deploy the chain it returns, leaf first.",
  NOT_YET_VALID: 'Deploy it once it is valid, or have the CA issue a certificate that is valid now.',
  EXPIRED: 'Have the CA issue a new certificate (or intermediate certificate) and deploy the new chain.',
  ISSUER_MISMATCH: 'Put the certificates in order: the leaf first, then each certificate followed by the one that issued it.',
  BAD_SIGNATURE: "Deploy the issuers' certificates exactly as the CA provided them, leaf first.",
};

/** Every sentence the Certificate type says, written once. */
export const CertificateMessages = {
  invalidName: (name: string) =>
    `The Certificate name '${name}' is not valid: it can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, not contain two consecutive underscores, and be at most 80 characters long. Rename the file (or fullName) to a valid name.`,
  required: (name: string, field: string) =>
    `Certificate ${name}: Required field is missing: ${field}. Set ${field}${field === 'masterLabel' ? ` to a label of 1 to ${MASTER_LABEL_MAX} characters` : ' to true or false'}.`,
  labelTooLong: (name: string, label: string) =>
    `Certificate ${name}: Master Label: data value too large: ${label} (max length=${MASTER_LABEL_MAX}). Shorten masterLabel to at most ${MASTER_LABEL_MAX} characters.`,
  badKeySize: (name: string, size: unknown) =>
    `Certificate ${name}: keySize ${String(size)} is not supported. Use ${CERTIFICATE_KEY_SIZES.join(' or ')}${size === 3072 ? ' (a 3072-bit certificate can only be imported from a keystore)' : ''}.`,
  immutable: (name: string, field: string, stored: unknown, incoming: unknown) =>
    `Certificate ${name}: ${field} cannot be changed after the certificate is created (it is ${String(stored)}, the file says ${String(incoming)}). Set ${field} back to ${String(stored)}, or create a new certificate under another name.`,
  privateKey: (name: string) =>
    `Certificate ${name}: the content holds a private key. Salesforce doesn't allow the import or export of the private key via the API; the org makes the key pair. Deploy the certificate, certificate chain or CSR without its key, or leave the content empty.`,
  invalidContent: (name: string, reason: string) =>
    `Certificate ${name}: ${reason}. Expected an empty file (to have the org make a new certificate), a PEM certificate or certificate chain, or, for a CA-signed certificate, a certificate signing request.`,
  csrForSelfSigned: (name: string) =>
    `Certificate ${name}: a certificate signing request only applies to a CA-signed certificate. Set caSigned to true, or deploy an empty file or a certificate instead.`,
  csrSignatureInvalid: (name: string) =>
    `Certificate ${name}: the certificate signing request's signature does not verify, so the request was damaged or altered. Export it again from where it was made, or leave the content empty to have the org make a new CSR.`,
  csrForExistingSelfSigned: (name: string) =>
    `Certificate ${name}: a certificate signing request only applies to a CA-signed certificate, and this one is self-signed (caSigned cannot change). Deploy an empty file or a certificate to renew it, or deploy the CSR as a new CA-signed certificate under another name.`,
  csrInsteadOfChain: (name: string) =>
    `Certificate ${name}: this CA-signed certificate is waiting for its signed certificate chain, not a new certificate signing request. Have a CA sign the CSR retrieved from the org and deploy the chain (leaf first). To start over with a new key, deploy a new certificate under another name.`,
  csrAfterChain: (name: string) =>
    `Certificate ${name}: the signed certificate chain is already uploaded; a certificate signing request can no longer replace it. To renew, deploy a new certificate under another name.`,
  chainAlreadyUploaded: (name: string) =>
    `Certificate ${name}: the signed certificate chain is already uploaded, so its CSR is no longer the certificate's content; the content was left unchanged. Deploy the chain a retrieve returns (or an empty file) instead of the CSR.`,
  chainProblem: (name: string, problem: ChainProblem, active: boolean) =>
    `Certificate ${name}: the certificate chain is not valid: ${problem.detail}. ${CHAIN_FIXES[problem.code]}` +
    // A leaf of another key type or size is a certificate for another key.
    (active && problem.position === 1 && (problem.code === 'KEY_SIZE' || problem.code === 'NOT_RSA') ? ' To renew with a new key, deploy it as a new certificate under another name.' : ''),
  chainKeyMismatch: (name: string, problem: ChainProblem, active: boolean) =>
    `Certificate ${name}: the certificate chain does not match this certificate's private key: certificate ${problem.position} (${problem.subject}) holds another public key, and the chain must start with the certificate issued for the CSR retrieved from the org.${active ? ' To renew with a new key, deploy it as a new certificate under another name.' : ' Have the CA sign that CSR and deploy the chain it returns, leaf first.'}`,
};

/**
 * Keystore export and import, in the help's words where it has them ("Export to Keystore", "Import
 * from Keystore"), each import refusal naming the entry's alias.
 */
export const KeystoreMessages = {
  privateKeyNotExportable: 'privateKeyExportable is false, so its private key cannot leave the org',
  awaitingChain: 'it is a CA-signed certificate still waiting for its signed certificate chain; deploy the chain, then export',
  nothingToExport: (leftOut: string[]) =>
    `The org has no certificate to export: a keystore holds certificates with their private keys${leftOut.length ? `, and ${leftOut.join(', ')} cannot be exported` : ', and the org has none'}.`,
  passwordTooShort: 'The keystore password must be at least 6 characters long, as keytool requires.',
  noPrivateKeyEntry: "No certificate was imported because the keystore file doesn't contain a PrivateKey entry.",
  entry: (alias: string, problem: string) => `Keystore entry '${alias}': ${problem}`,
  notRsa: 'The key is not an RSA key.',
  notPkcs8: 'The key must be in PKCS#8 format.',
  keySize: (bits: number | undefined) => `Imported keys must have a bit size of 2048, 3072, or 4096 (this key has ${bits ?? 'an unknown number of'} bits).`,
  keyMismatch: 'The private key does not match the certificate chain in the keystore.',
  noChain: 'the entry holds a private key without its certificate.',
  unreadableCertificate: (position: number) => `certificate ${position} of the entry's chain cannot be read as an X.509 certificate.`,
  chainNotRsa: (position: number, subject: string, type: string) =>
    `certificate ${position} of the chain (${subject}) has a key of type ${type}; only RSA certificates are accepted.`,
  chainOrder: (position: number, subject: string, next: string) =>
    `the certificate chain is not in order: certificate ${position + 1} (${next}) did not issue certificate ${position} (${subject}). Put the leaf first, each certificate followed by its issuer.`,
  invalidName: (alias: string) =>
    `the alias is not a valid certificate name: the name of the certificate it becomes can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, not contain two consecutive underscores, and be at most 80 characters long. Rename the entry (keytool -changealias -alias ${alias} -destalias <name>) and import again.`,
  nameTaken: (existing: string) =>
    `the org already has a certificate named ${existing}. Rename the entry (keytool -changealias) or delete that certificate, then import again.`,
  nameTwice: 'the keystore holds two entries with this alias (names are unique regardless of case).',
  nothingImported: (problems: number) => `Nothing was imported: ${problems === 1 ? 'one entry was refused' : `${problems} entries were refused`}, and an import is all or nothing.`,
};
