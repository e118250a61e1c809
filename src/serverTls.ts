import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { buildLocalCa, buildServerCertificate, type CertificateAndKey } from './crypto';

/** What the HTTPS listeners serve with. */
export interface ServerTls {
  key: string;
  /** The server certificate, then its issuer when Localforce made it (clients may need the chain). */
  cert: string;
  /** The local CA's certificate file, when Localforce made the server certificate: for NODE_EXTRA_CA_CERTS. */
  caPath?: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** `--cert` and `--key`: the user's own certificate and key, checked to belong together. */
export function ownTls(certPath: string, keyPath: string): ServerTls {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the ${what} file ${path}: ${(err as Error).message}`);
    }
  };
  const cert = read(certPath, '--cert');
  const key = read(keyPath, '--key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`--cert ${certPath} is not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new Error(`--key ${keyPath} is not an unencrypted PEM private key`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error(`--key ${keyPath} is not the key of the certificate in --cert ${certPath}`);
  return { key, cert };
}

/**
 * `--https` without a certificate of one's own: a local CA and a server certificate for `hosts`,
 * made on the first start and kept in `<location>/tls/`, so the CA clients trust stays the same.
 * The server certificate is made again (by the same CA) when it nears its end or misses a host.
 */
export async function localTls(location: string, hosts: string[]): Promise<ServerTls> {
  const dir = resolve(location, 'tls');
  mkdirSync(dir, { recursive: true });
  const files = { ca: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') };
  const load = (cert: string, key: string): CertificateAndKey | undefined =>
    existsSync(cert) && existsSync(key) ? { certificatePem: readFileSync(cert, 'utf8'), privateKeyPem: readFileSync(key, 'utf8') } : undefined;
  const save = (pair: CertificateAndKey, cert: string, key: string) => {
    writeFileSync(key, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(cert, pair.certificatePem);
  };

  let ca = load(files.ca, files.caKey);
  if (!ca) {
    ca = await buildLocalCa();
    save(ca, files.ca, files.caKey);
  }
  let server = load(files.cert, files.key);
  if (!server || !stillGood(server, ca, hosts)) {
    server = await buildServerCertificate(ca, hosts);
    save(server, files.cert, files.key);
  }
  return { key: server.privateKeyPem, cert: server.certificatePem + ca.certificatePem, caPath: files.ca };
}

function stillGood(server: CertificateAndKey, ca: CertificateAndKey, hosts: string[]): boolean {
  try {
    const x509 = new X509Certificate(server.certificatePem);
    const issuer = new X509Certificate(ca.certificatePem);
    const covers = hosts.every((h) => (isIP(h) ? x509.checkIP(h) : x509.checkHost(h)) !== undefined);
    return covers && x509.verify(issuer.publicKey) && Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/** The names a local server certificate covers: loopback by name and address, and the host listened on. */
export function localHosts(host: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1'];
  if (host !== '0.0.0.0' && host !== '::' && !hosts.includes(host)) hosts.push(host);
  return hosts;
}
