import { spawnSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as forge from 'node-forge';
import { fromDer, toDer } from '../../../src/crypto/forgeInternals';
import { toPem } from '../../../src/crypto/pemFormat';

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** True when openssl can be used; otherwise logs why the cross-check is skipped. */
export function opensslOrSkip(what: string): boolean {
  if (!hasOpenssl) console.log(`openssl not found: skipping the openssl check of ${what}`);
  return hasOpenssl;
}

export interface OpensslResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs openssl with `files` written to a temp dir; `{name}` in args is replaced by the file's path. */
export function openssl(args: string[], files: Record<string, string | Buffer> = {}): OpensslResult {
  const dir = mkdtempSync(join(tmpdir(), 'lf-crypto-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const resolved = args.map((a) => a.replace(/\{([^}]+)\}/g, (_, name: string) => join(dir, name)));
    const r = spawnSync('openssl', resolved, { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
