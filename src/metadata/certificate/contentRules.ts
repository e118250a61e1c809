import {
  defaultSubject, normalizePem, validateChain,
  type ChainProblem, type ContentClass, type DistinguishedName, type ParsedCertificate, type SubjectAltName,
} from '../../crypto';
import type { ComponentProblem } from '../metadataType';
import type { CertificateFields, StoredCertificateFields } from './fields';
import { CertificateMessages as M } from './messages';

/** What to do with a component's content; fields are always taken from the input. */
export type ContentDecision =
  | { kind: 'newSelfSigned'; subject: DistinguishedName; subjectAltNames: SubjectAltName[] }
  | { kind: 'newCsr'; subject: DistinguishedName; subjectAltNames: SubjectAltName[] }
  | { kind: 'uploadChain'; chain: ParsedCertificate[] }
  | { kind: 'keepContent' };

export type RuleOutcome = { ok: true; decision: ContentDecision; warning?: string } | ({ ok: false } & ComponentProblem);

export interface IncomingCertificate {
  fullName: string;
  orgId: string;
  fields: CertificateFields;
  rawContent: Buffer | null;
  content: ContentClass;
  now: Date;
}

export interface ExistingCertificate {
  fields: StoredCertificateFields;
  /** What a retrieve returns now: the certificate, CSR or chain PEM. */
  contentPem: string;
  publicKeyPem: string;
}

const IMMUTABLE = ['caSigned', 'keySize', 'privateKeyExportable'] as const;

const refuse = (problem: string, field = 'content', statusCode = 'FIELD_INTEGRITY_EXCEPTION'): RuleOutcome =>
  ({ ok: false, problem, statusCode, field });

const leafParameters = (chain: ParsedCertificate[]) =>
  ({ subject: chain[0]!.subject, subjectAltNames: chain[0]!.subjectAltNames });

/**
 * The content rules (README.md, Certificates) as one pure decision: stored state and incoming component in,
 * what to make out. No keys are made and nothing is stored here.
 */
export function decideCertificateContent(incoming: IncomingCertificate, existing?: ExistingCertificate): RuleOutcome {
  const { fullName, content } = incoming;
  if (content.kind === 'privateKey') return refuse(M.privateKey(fullName));
  if (content.kind === 'invalid') return refuse(M.invalidContent(fullName, content.reason));
  return existing ? decideForExisting(incoming, existing) : decideForNew(incoming);
}

function decideForNew({ fullName, orgId, fields, content }: IncomingCertificate): RuleOutcome {
  switch (content.kind) {
    case 'empty':
      return { ok: true, decision: { kind: fields.caSigned ? 'newCsr' : 'newSelfSigned', subject: defaultSubject(fullName, orgId), subjectAltNames: [] } };
    case 'chain':
      // Copying the X.509 parameters of an uploaded certificate: a new key, the leaf's names.
      return { ok: true, decision: { kind: fields.caSigned ? 'newCsr' : 'newSelfSigned', ...leafParameters(content.certificates) } };
    case 'csr':
      if (!fields.caSigned) return refuse(M.csrForSelfSigned(fullName));
      // A request whose own signature fails was damaged or altered: copying its names would spread that.
      if (!content.csr.signatureValid) return refuse(M.csrSignatureInvalid(fullName));
      return { ok: true, decision: { kind: 'newCsr', subject: content.csr.subject, subjectAltNames: content.csr.subjectAltNames } };
    default:
      return refuse(M.invalidContent(fullName, 'the content could not be read'));
  }
}

function decideForExisting(incoming: IncomingCertificate, existing: ExistingCertificate): RuleOutcome {
  const { fullName, fields, content, now } = incoming;
  const stored = existing.fields;
  for (const field of IMMUTABLE) {
    const value = fields[field];
    if (value !== undefined && value !== stored[field]) return refuse(M.immutable(fullName, field, stored[field], value), field);
  }
  if (content.kind === 'empty' || sameAsRetrieved(incoming, existing)) return { ok: true, decision: { kind: 'keepContent' } };
  if (content.kind !== 'csr' && content.kind !== 'chain') return refuse(M.invalidContent(fullName, 'the content could not be read'));

  switch (stored.state) {
    case 'selfSigned':
      // Renewal: a new key pair and a new self-signed certificate with the uploaded leaf's names.
      if (content.kind === 'csr') return refuse(M.csrForExistingSelfSigned(fullName));
      return { ok: true, decision: { kind: 'newSelfSigned', ...leafParameters(content.certificates) } };
    case 'awaitingChain':
      if (content.kind === 'csr') return refuse(M.csrInsteadOfChain(fullName));
      return uploadChain(incoming, existing, content.certificates, now);
    case 'active': {
      if (content.kind === 'chain') return uploadChain(incoming, existing, content.certificates, now);
      const before = stored.csrPem !== undefined && content.csr.pem === normalizePem(stored.csrPem);
      if (before) return { ok: true, decision: { kind: 'keepContent' }, warning: M.chainAlreadyUploaded(fullName) };
      return refuse(M.csrAfterChain(fullName));
    }
  }
}

/**
 * Whether the content is what a retrieve returns now, once PEM is normalised (line endings, wrapping,
 * surrounding text): such a deploy leaves the content as it is. A DER file of the stored certificate
 * counts as the same content too.
 */
function sameAsRetrieved({ content, rawContent }: IncomingCertificate, existing: ExistingCertificate): boolean {
  const retrieved = normalizePem(existing.contentPem);
  if (retrieved === '') return false;
  if (rawContent !== null && normalizePem(rawContent.toString('utf8')) === retrieved) return true;
  if (content.kind === 'chain') return content.certificates.map((c) => c.pem).join('') === retrieved;
  if (content.kind === 'csr') return content.csr.pem === retrieved;
  return false;
}

function uploadChain(incoming: IncomingCertificate, existing: ExistingCertificate, chain: ParsedCertificate[], now: Date): RuleOutcome {
  const { fullName } = incoming;
  const stored = existing.fields;
  const problem = validateChain(chain, { publicKeyPem: existing.publicKeyPem, keySize: stored.keySize, now });
  if (problem) return refuse(chainMessage(fullName, problem, stored.state === 'active'));
  return { ok: true, decision: { kind: 'uploadChain', chain } };
}

function chainMessage(fullName: string, problem: ChainProblem, active: boolean): string {
  return problem.code === 'KEY_MISMATCH' ? M.chainKeyMismatch(fullName, problem, active) : M.chainProblem(fullName, problem, active);
}
