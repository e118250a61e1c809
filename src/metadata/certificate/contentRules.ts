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
 * The content rules of certificate.md as one pure decision: stored state and incoming component in,
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
      return { ok: true, decision: { kind: 'newCsr', subject: content.csr.subject, subjectAltNames: content.csr.subjectAltNames } };
    default:
      return refuse(M.invalidContent(fullName, 'the content could not be read'));
  }
}

function decideForExisting(incoming: IncomingCertificate, existing: ExistingCertificate): RuleOutcome {
  const { fullName, fields, content, rawContent, now } = incoming;
  const stored = existing.fields;
  for (const field of IMMUTABLE) {
    const value = fields[field];
    if (value !== undefined && value !== stored[field]) return refuse(M.immutable(fullName, field, stored[field], value), field);
  }
  const sameAsRetrieved = content.kind === 'empty'
    || (rawContent !== null && normalizePem(rawContent.toString('utf8')) === normalizePem(existing.contentPem));
  if (sameAsRetrieved) return { ok: true, decision: { kind: 'keepContent' } };

  if (stored.state === 'selfSigned') {
    if (content.kind === 'csr') return refuse(M.csrForSelfSigned(fullName));
    if (content.kind === 'chain') return { ok: true, decision: { kind: 'newSelfSigned', ...leafParameters(content.certificates) } };
  } else if (content.kind === 'csr') {
    if (stored.state === 'awaitingChain') return refuse(M.csrInsteadOfChain(fullName));
    const before = stored.csrPem && normalizePem(rawContent?.toString('utf8') ?? '') === normalizePem(stored.csrPem);
    if (before) return { ok: true, decision: { kind: 'keepContent' }, warning: M.chainAlreadyUploaded(fullName) };
    return refuse(M.csrAfterChain(fullName));
  } else if (content.kind === 'chain') {
    const problem = validateChain(content.certificates, { publicKeyPem: existing.publicKeyPem, keySize: stored.keySize, now });
    if (problem) return refuse(chainMessage(fullName, problem, stored.state === 'active'));
    return { ok: true, decision: { kind: 'uploadChain', chain: content.certificates } };
  }
  return refuse(M.invalidContent(fullName, 'the content could not be read'));
}

function chainMessage(fullName: string, problem: ChainProblem, active: boolean): string {
  return problem.code === 'KEY_MISMATCH' ? M.chainKeyMismatch(fullName, active) : M.chainProblem(fullName, problem.detail);
}
