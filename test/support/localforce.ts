import { Connection } from 'jsforce';
import JSZip from 'jszip';
import { startLocalforce, type LocalforceOptions, type LocalforceServer } from '../../src';
import { newPostgresStore, SUITES_ON_POSTGRES } from './postgres';

export type { LocalforceServer };

/**
 * A started server for one test file, its store in memory; or, when the tests run beside a PostgreSQL
 * server and LOCALFORCE_TEST_STORE=postgres, in a new database of its own there (test/support/postgres.ts).
 */
export async function startTestServer(options: LocalforceOptions = {}): Promise<LocalforceServer> {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  delete process.env.HTTP_PROXY;
  delete process.env.HTTPS_PROXY;
  if (SUITES_ON_POSTGRES && options.inMemory !== false && options.location === undefined && options.store === undefined) {
    const { url, masterKeyFile } = await newPostgresStore();
    return startLocalforce({ port: 0, ...options, inMemory: false, store: url, masterKeyFile: options.masterKeyFile ?? masterKeyFile });
  }
  return startLocalforce({ port: 0, inMemory: true, ...options });
}

/** A call to the admin API (`/_localforce/…`) with the server's admin token, as tools and tests make it. */
export function adminFetch(server: LocalforceServer, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${server.adminToken}`, ...(init.headers as Record<string, string> | undefined) } });
}

/** jsforce logged in with a username and password over SOAP, as users do. */
export async function soapLogin(server: LocalforceServer, username = server.org.username, password = server.org.password): Promise<Connection> {
  const conn = new Connection({ loginUrl: server.url, version: '66.0' });
  await conn.login(username, password);
  return conn;
}

/** jsforce on an access token (the sf CLI's way). */
export function tokenConnection(server: LocalforceServer, accessToken = server.org.accessToken): Connection {
  return new Connection({ instanceUrl: server.url, accessToken, version: '66.0' });
}

export interface CertSpec {
  name: string;
  caSigned?: boolean;
  keySize?: number;
  label?: string;
  content?: string;
  /** Replaces the whole meta file. */
  meta?: string;
}

export const certMeta = (c: { caSigned?: boolean; keySize?: number; label?: string; extra?: string }) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
  `    <caSigned>${c.caSigned ?? false}</caSigned>\n${c.keySize ? `    <keySize>${c.keySize}</keySize>\n` : ''}` +
  `    <masterLabel>${c.label ?? 'Test certificate'}</masterLabel>\n${c.extra ?? ''}</Certificate>\n`;

export const packageXml = (members: string[], version = '66.0', type = 'Certificate') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
  `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${type}</name>\n    </types>\n` +
  `    <version>${version}</version>\n</Package>\n`;

/** A deploy zip of certificates; `prefix` puts everything under a folder (singlePackage false). */
export async function certsZip(certs: CertSpec[], opts: { prefix?: string; manifest?: string | null; extra?: Record<string, string> } = {}): Promise<Buffer> {
  const zip = new JSZip();
  const p = opts.prefix ?? '';
  if (opts.manifest !== null) zip.file(`${p}package.xml`, opts.manifest ?? packageXml(certs.map((c) => c.name)));
  for (const c of certs) {
    zip.file(`${p}certs/${c.name}.crt`, c.content ?? '');
    zip.file(`${p}certs/${c.name}.crt-meta.xml`, c.meta ?? certMeta({ caSigned: c.caSigned, keySize: c.keySize, label: c.label }));
  }
  for (const [path, text] of Object.entries(opts.extra ?? {})) zip.file(path, text);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** A deploy zip of one static resource holding `bytes` (random bytes make a zip as large as they are). */
export function staticResourceZip(name: string, bytes: Buffer): Promise<Buffer> {
  return new JSZip()
    .file('package.xml', packageXml([name], '66.0', 'StaticResource'))
    .file(`staticresources/${name}.resource`, bytes)
    .file(`staticresources/${name}.resource-meta.xml`, '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
      '    <cacheControl>Private</cacheControl>\n    <contentType>application/octet-stream</contentType>\n</StaticResource>\n')
    .generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Deploys and polls to the end with jsforce's own poller, polling faster than its 1 s default. */
export async function deployAndWait(conn: Connection, zip: Buffer, options: Record<string, unknown> = {}) {
  conn.metadata.pollTimeout = 60_000;
  conn.metadata.pollInterval = 100;
  return conn.metadata.deploy(zip, { singlePackage: true, rollbackOnError: true, ...options }).complete(true);
}

/** Retrieves certificates and returns the result and the unzipped files. */
export async function retrieveCerts(conn: Connection, members: string[] = ['*'], extra: Record<string, unknown> = {}) {
  conn.metadata.pollTimeout = 60_000;
  conn.metadata.pollInterval = 100;
  const result = await conn.metadata.retrieve({
    apiVersion: '66.0', unpackaged: { types: [{ name: 'Certificate', members }], version: '66.0' }, ...extra,
  } as never).complete();
  const zip = await JSZip.loadAsync(Buffer.from(result.zipFile as string, 'base64'));
  const files: Record<string, string> = {};
  for (const f of Object.values(zip.files)) if (!f.dir) files[f.name] = await f.async('string');
  return { result, files };
}

export const asArray = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

export interface TestOrg { id: string; userId: string; username: string; password: string; accessToken: string; conn: Connection }

/** A new org with its own admin user (`POST /_localforce/orgs`), and jsforce on its access token. */
export async function createOrg(server: LocalforceServer): Promise<TestOrg> {
  const res = await adminFetch(server, '/_localforce/orgs', { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /_localforce/orgs answered ${res.status}: ${await res.text()}`);
  const org = (await res.json()) as Omit<TestOrg, 'conn'>;
  return { ...org, conn: tokenConnection(server, org.accessToken) };
}

/** Log lines a started server writes, kept in memory (pass `destination` as logDestination). */
export function captureLog(): { destination: { write(line: string): void }; lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { destination: { write: (line: string) => { lines.push(...line.split('\n').filter(Boolean)); } }, lines, text: () => lines.join('\n') };
}
