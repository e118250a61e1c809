import { parseCertificateDer, type ParsedCertificate } from './certificateParser';
import { parseCsrDer, type ParsedCsr } from './csrParser';
import { formatPemBlock } from './pemFormat';

export type { ParsedCertificate } from './certificateParser';
export type { ParsedCsr } from './csrParser';
export { toPem } from './pemFormat';

export type ContentClass =
  | { kind: 'empty' }
  | { kind: 'csr'; csr: ParsedCsr }
  | { kind: 'chain'; certificates: ParsedCertificate[] }
  | { kind: 'privateKey' }
  | { kind: 'invalid'; reason: string };

interface PemBlock {
  label: string;
  /** Base64 body with all whitespace removed. */
  base64: string;
}

const EXPECTED = 'a PEM certificate, certificate chain or certificate signing request';
const NOT_RECOGNISED = `the content is not ${EXPECTED}`;
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const CERTIFICATE_LABEL = 'CERTIFICATE';
// PRIVATE KEY, RSA/EC/DSA/ENCRYPTED/OPENSSH PRIVATE KEY...: checked on the raw text so that a key
// is refused even inside otherwise broken content.
const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const BEGIN = '-----BEGIN ';
const END = '-----END ';
const BEGIN_LINE = /-----BEGIN ([^\r\n-]+)-----/y;
const END_LINE = /-----END ([^\r\n-]+)-----/y;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A chain holds a handful of certificates; past this many blocks the content is refused unread. */
export const MAX_PEM_BLOCKS = 32;
/**
 * Text normalizePem would give back unchanged: blocks back to back, each body wrapped at 64 columns
 * with a last line of 1 to 64 characters, LF endings, BEGIN and END labels alike.
 */
const CANONICAL_PEM = new RegExp(
  `^(?:-----BEGIN ([^\\r\\n-]+)-----\\n(?:[A-Za-z0-9+/=]{64}\\n)*[A-Za-z0-9+/=]{1,64}\\n-----END \\1-----\\n){1,${MAX_PEM_BLOCKS}}$`,
);

const TRUNCATED = 'the PEM content is truncated: a BEGIN line has no matching END line';

/** The match of a sticky pattern at exactly `at`, or null. */
function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/**
 * Splits PEM text into blocks; text between blocks (e.g. openssl's "Bag Attributes" or -text
 * output) is ignored, as OpenSSL does. RFC 1421 header lines ("Proc-Type: ...") are dropped.
 * One pass with indexOf, never a search from every BEGIN to the end: the time is linear in the
 * text, whatever it holds, and the number of blocks is bounded.
 */
function readBlocks(text: string): { blocks: PemBlock[]; problem?: string } {
  const blocks: PemBlock[] = [];
  let at = 0;
  for (let begin = text.indexOf(BEGIN); begin >= 0; begin = text.indexOf(BEGIN, at)) {
    if (blocks.length === MAX_PEM_BLOCKS) {
      return { blocks, problem: `the content holds more than ${MAX_PEM_BLOCKS} PEM blocks; a certificate chain has only a few` };
    }
    const head = matchAt(BEGIN_LINE, text, begin);
    if (!head) return { blocks, problem: TRUNCATED };
    const bodyStart = begin + head[0].length;
    const nextBegin = text.indexOf(BEGIN, bodyStart);
    let end = text.indexOf(END, bodyStart);
    let tail = end >= 0 ? matchAt(END_LINE, text, end) : null;
    while (end >= 0 && !tail) { // an END without its closing dashes is body text
      end = text.indexOf(END, end + END.length);
      tail = end >= 0 ? matchAt(END_LINE, text, end) : null;
    }
    if (!tail || (nextBegin >= 0 && nextBegin < end)) return { blocks, problem: TRUNCATED };
    const label = head[1]!;
    const endLabel = tail[1]!;
    if (label !== endLabel) {
      return { blocks, problem: `the PEM block "BEGIN ${label}" ends with "END ${endLabel}"` };
    }
    const base64 = text.slice(bodyStart, end)
      .split(/\r\n|\r|\n/)
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    blocks.push({ label, base64 });
    at = end + tail[0].length;
  }
  return { blocks };
}

/**
 * Canonical PEM: each block re-wrapped at 64 columns, LF line endings, blocks back to back, one
 * trailing newline. Text without any PEM block normalises to ''.
 */
export function normalizePem(text: string): string {
  // What the org stores is canonical already (every read and retrieve of a certificate asks): one
  // pattern test instead of splitting and joining every line.
  if (CANONICAL_PEM.test(text)) return text;
  return readBlocks(text)
    .blocks.map((b) => formatPemBlock(b.label, b.base64))
    .join('');
}

/** Classifies uploaded Certificate (.crt) content per the content rules in README.md's Certificates section. */
export function classifyContent(content: Buffer): ContentClass {
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'empty' };
  if (PRIVATE_KEY_BEGIN.test(text)) return { kind: 'privateKey' };

  const { blocks, problem } = readBlocks(text);
  if (problem) return { kind: 'invalid', reason: problem };
  if (blocks.length === 0) return classifyBinary(content);

  const other = blocks.find((b) => b.label !== CERTIFICATE_LABEL && !CSR_LABELS.has(b.label));
  if (other) return { kind: 'invalid', reason: `the content holds a "${other.label}" PEM block; expected ${EXPECTED}` };
  const csrs = blocks.filter((b) => CSR_LABELS.has(b.label));
  const certificates = blocks.filter((b) => b.label === CERTIFICATE_LABEL);
  if (csrs.length > 0 && certificates.length > 0) {
    return {
      kind: 'invalid',
      reason: 'the content mixes a certificate signing request with certificates; upload one or the other',
    };
  }
  if (csrs.length > 1) return { kind: 'invalid', reason: 'the content holds more than one certificate signing request' };

  if (csrs.length === 1) {
    const der = decode(csrs[0]);
    try {
      if (der) return { kind: 'csr', csr: parseCsrDer(der) };
    } catch {
      // falls through to the invalid result below
    }
    return { kind: 'invalid', reason: 'the certificate signing request cannot be read as a PKCS#10 request' };
  }

  const parsed: ParsedCertificate[] = [];
  for (const [i, block] of certificates.entries()) {
    const der = decode(block);
    const certificate = der && tryParseCertificate(der);
    if (!certificate) {
      const which = certificates.length === 1 ? 'the certificate' : `certificate ${i + 1} of the chain`;
      return { kind: 'invalid', reason: `${which} cannot be read as an X.509 certificate` };
    }
    parsed.push(certificate);
  }
  return { kind: 'chain', certificates: parsed };
}

// No PEM armour: accept exactly one DER certificate (a DER SEQUENCE starts with 0x30).
function classifyBinary(content: Buffer): ContentClass {
  const certificate = content[0] === 0x30 ? tryParseCertificate(content) : undefined;
  return certificate ? { kind: 'chain', certificates: [certificate] } : { kind: 'invalid', reason: NOT_RECOGNISED };
}

function decode(block: PemBlock): Buffer | undefined {
  return block.base64 !== '' && BASE64.test(block.base64) ? Buffer.from(block.base64, 'base64') : undefined;
}

function tryParseCertificate(der: Buffer): ParsedCertificate | undefined {
  try {
    return parseCertificateDer(der);
  } catch {
    return undefined;
  }
}
