import {
  buildCsr,
  buildSelfSignedCertificate,
  classifyContent,
  defaultSubject,
  formatDn,
  generateRsaKeyPair,
  normalizePem,
  toPem,
  type ContentClass,
  type RsaKeyPair,
} from '../../../src/crypto';
import { MAX_PEM_BLOCKS } from '../../../src/crypto/pem';
import { pemBody, withEcKey } from './helpers';

const NOT_RECOGNISED = 'the content is not a PEM certificate, certificate chain or certificate signing request';

function kindOf(c: ContentClass): string {
  return c.kind;
}

function reasonOf(c: ContentClass): string {
  if (c.kind !== 'invalid') throw new Error(`expected invalid, got ${c.kind}`);
  return c.reason;
}

/** Re-wraps a PEM at 76 columns with CRLF line endings and surrounding whitespace. */
function messy(pem: string): string {
  const [, label, body] = /-----BEGIN ([^-]+)-----\n([\s\S]+?)-----END/.exec(pem)!;
  const lines = body.replace(/\s/g, '').match(/.{1,76}/g)!;
  return `\r\n  -----BEGIN ${label}-----\r\n${lines.join('\r\n')}\r\n-----END ${label}-----\r\n\r\n\t`;
}

describe('PEM content', () => {
  let key: RsaKeyPair;
  let certA: string;
  let certB: string;
  let csr: string;
  const validity = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') };

  beforeAll(async () => {
    key = await generateRsaKeyPair(2048);
    [certA, certB, csr] = await Promise.all([
      buildSelfSignedCertificate({ keyPair: key, subject: defaultSubject('A', 'org'), ...validity }),
      buildSelfSignedCertificate({ keyPair: key, subject: defaultSubject('B', 'org'), ...validity }),
      buildCsr({ keyPair: key, subject: defaultSubject('Req', 'org') }),
    ]);
  });

  describe('classifyContent', () => {
    it('treats zero bytes and whitespace-only content as empty', () => {
      expect(classifyContent(Buffer.alloc(0))).toEqual({ kind: 'empty' });
      expect(classifyContent(Buffer.from(' \r\n\t\n  '))).toEqual({ kind: 'empty' });
    });

    it('reads a CRLF, re-wrapped, whitespace-padded certificate', () => {
      const c = classifyContent(Buffer.from(messy(certA)));
      if (c.kind !== 'chain') throw new Error(`expected chain, got ${c.kind}`);
      expect(c.certificates).toHaveLength(1);
      expect(c.certificates[0].pem).toBe(certA);
      expect(formatDn(c.certificates[0].subject)).toMatch(/^CN=A, /);
    });

    it('keeps a chain in file order, ignoring text between blocks', () => {
      const c = classifyContent(Buffer.from(`subject=CN = B\n${certB}Bag Attributes: none\n${certA}`));
      if (c.kind !== 'chain') throw new Error(`expected chain, got ${c.kind}`);
      expect(c.certificates.map((x) => x.subject[0].value)).toEqual(['B', 'A']);
    });

    it('accepts a single binary DER certificate', () => {
      const c = classifyContent(pemBody(certA));
      if (c.kind !== 'chain') throw new Error(`expected chain, got ${c.kind}`);
      expect(c.certificates[0].pem).toBe(certA);
    });

    it('reads a certificate with a non-RSA key', () => {
      const c = classifyContent(Buffer.from(withEcKey(certA)));
      if (c.kind !== 'chain') throw new Error(`expected chain, got ${c.kind}`);
      expect(c.certificates[0].keyAlgorithm).toBe('ec');
      expect(c.certificates[0].keyBits).toBeUndefined();
      expect(formatDn(c.certificates[0].subject)).toMatch(/^CN=A, /);
    });

    it('recognises a CSR under both the standard and the NEW header', () => {
      expect(kindOf(classifyContent(Buffer.from(csr)))).toBe('csr');
      const legacy = csr.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
      const c = classifyContent(Buffer.from(messy(legacy)));
      if (c.kind !== 'csr') throw new Error(`expected csr, got ${c.kind}`);
      expect(formatDn(c.csr.subject)).toMatch(/^CN=Req, /);
      expect(c.csr.signatureValid).toBe(true);
      expect(c.csr.pem).toBe(csr); // canonical label and wrapping
    });

    it('flags any private key block, wherever it is', () => {
      const rsaKey = `-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n`;
      expect(classifyContent(Buffer.from(key.privateKeyPem))).toEqual({ kind: 'privateKey' });
      expect(classifyContent(Buffer.from(certA + key.privateKeyPem))).toEqual({ kind: 'privateKey' });
      expect(classifyContent(Buffer.from(rsaKey + certA))).toEqual({ kind: 'privateKey' });
      expect(classifyContent(Buffer.from('garbage\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nxx'))).toEqual({ kind: 'privateKey' });
      expect(classifyContent(Buffer.from('-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----'))).toEqual({
        kind: 'privateKey',
      });
    });

    it('rejects garbage text and binary', () => {
      expect(reasonOf(classifyContent(Buffer.from('hello world')))).toBe(NOT_RECOGNISED);
      expect(reasonOf(classifyContent(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])))).toBe(NOT_RECOGNISED);
      expect(reasonOf(classifyContent(Buffer.from([0x00, 0xff, 0x10])))).toBe(NOT_RECOGNISED);
    });

    it('rejects a CSR mixed with certificates, and two CSRs', () => {
      expect(reasonOf(classifyContent(Buffer.from(certA + csr)))).toMatch(/mixes a certificate signing request with certificates/);
      expect(reasonOf(classifyContent(Buffer.from(csr + csr)))).toMatch(/more than one certificate signing request/);
    });

    it('rejects other PEM blocks, broken base64, undecodable certificates and truncated PEM', () => {
      expect(reasonOf(classifyContent(Buffer.from(key.publicKeyPem)))).toMatch(/"PUBLIC KEY" PEM block/);
      const badBase64 = certA.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
      expect(reasonOf(classifyContent(Buffer.from(badBase64)))).toBe('the certificate cannot be read as an X.509 certificate');
      const notACert = toPem('CERTIFICATE', Buffer.from('not a certificate at all'));
      expect(reasonOf(classifyContent(Buffer.from(certA + notACert)))).toBe(
        'certificate 2 of the chain cannot be read as an X.509 certificate',
      );
      expect(reasonOf(classifyContent(Buffer.from(toPem('CERTIFICATE REQUEST', Buffer.from('nope')))))).toMatch(
        /cannot be read as a PKCS#10 request/,
      );
      expect(reasonOf(classifyContent(Buffer.from(certA.slice(0, 200))))).toMatch(/truncated/);
      expect(reasonOf(classifyContent(Buffer.from(certA.replace('END CERTIFICATE', 'END X509 CRL'))))).toMatch(/ends with/);
    });

    it('refuses BEGIN lines without an END wherever they stand, and more blocks than a chain holds', () => {
      // A BEGIN inside another block, a BEGIN whose END lacks its dashes, a lone BEGIN after good blocks.
      expect(reasonOf(classifyContent(Buffer.from(`-----BEGIN CERTIFICATE-----\n${certB}`)))).toMatch(/truncated/);
      expect(reasonOf(classifyContent(Buffer.from(certA.replace(/-----END CERTIFICATE-----/, '-----END CERTIFICATE'))))).toMatch(/truncated/);
      expect(reasonOf(classifyContent(Buffer.from(`${certA}${certB}-----BEGIN CERTIFICATE-----\n`)))).toMatch(/truncated/);
      // The hostile file from a real attack: one BEGIN line repeated 30,000 times, read once and refused.
      expect(reasonOf(classifyContent(Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(30_000))))).toMatch(/truncated/);
      const many = certA.repeat(MAX_PEM_BLOCKS + 1);
      expect(reasonOf(classifyContent(Buffer.from(many)))).toBe(`the content holds more than ${MAX_PEM_BLOCKS} PEM blocks; a certificate chain has only a few`);
      expect(kindOf(classifyContent(Buffer.from(certA.repeat(MAX_PEM_BLOCKS))))).toBe('chain');
    });
  });

  describe('normalizePem', () => {
    it('re-wraps at 64 columns with LF, no blank lines between blocks, one trailing newline', () => {
      expect(normalizePem(messy(certA))).toBe(certA);
      expect(normalizePem(`${messy(certA)}\n\n${messy(certB)}`)).toBe(certA + certB);
      expect(normalizePem(certA + certB)).toBe(certA + certB);
      expect(normalizePem('no pem here')).toBe('');
    });

    it('gives canonical text back as it is, and anything near it as the blocks it reads', () => {
      // Bodies whose last line is a full 64 columns, one line long, or of a single character.
      for (const bytes of [48, 96, 1]) {
        const pem = toPem('CERTIFICATE', Buffer.alloc(bytes, 7));
        expect(normalizePem(pem)).toBe(pem);
        expect(normalizePem(pem + pem)).toBe(pem + pem);
        // Wrapped at 76 columns, as base64 tools do: re-wrapped at 64.
        const wide = pem.replace(/\n(?!-)/g, '').replace(/(-----\n)([A-Za-z0-9+/=]+)/, (_, head: string, body: string) => head + body.match(/.{1,76}/g)!.join('\n'));
        expect(normalizePem(wide)).toBe(pem);
      }
      // Labels that differ are no block at all; more blocks than a chain holds keep the first ones.
      expect(normalizePem(certA.replace('END CERTIFICATE', 'END X509 CRL'))).toBe('');
      expect(normalizePem(certA.repeat(MAX_PEM_BLOCKS + 1))).toBe(certA.repeat(MAX_PEM_BLOCKS));
      // An empty body, a CRLF file, text after the last block.
      expect(normalizePem('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')).toBe('-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n');
      expect(normalizePem(certA.replace(/\n/g, '\r\n'))).toBe(certA);
      expect(normalizePem(`${certA}trailing`)).toBe(certA);
    });

    it('toPem wraps DER at 64 columns', () => {
      const pem = toPem('CERTIFICATE', pemBody(certA));
      expect(pem).toBe(certA);
      for (const line of pem.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(64);
    });
  });
});
