/**
 * Expiry on each org's clock (the Certificate and Key Management help): users who are told, notices
 * 60, 30 and 10 days ahead, the day before, the day of and at expiry, a log line as the clock crosses
 * each; expired certificates stay; a certificate another component uses cannot be deleted.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startLocalforce, type LocalforceServer } from '../../src';
import { asArray, captureLog, certsZip, createOrg, deployAndWait, retrieveCerts, tokenConnection, type TestOrg } from '../support/localforce';

const DAY = 24 * 3600 * 1000;
const BIN = join(__dirname, '..', '..', 'bin', 'localforce.js');

let server: LocalforceServer;
const log = captureLog();

beforeAll(async () => {
  server = await startLocalforce({ port: 0, inMemory: true, keyPool: false, logLevel: 'info', logDestination: log.destination });
});
afterAll(async () => { await server?.close(); });

const admin = (org: TestOrg, path: string, init: { method?: string; body?: unknown } = {}) => fetch(`${server.url}/_localforce/orgs/${org.id}${path}`, {
  method: init.method ?? 'GET', headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
  body: init.body === undefined ? undefined : JSON.stringify(init.body),
});
const setClock = async (org: TestOrg, time: Date) => expect((await admin(org, '/clock', { method: 'POST', body: { time: time.toISOString() } })).status).toBe(200);

interface Notice { certificate: string; kind: string; date: string; expirationDate: string; recipients: string[] }
const notices = async (org: TestOrg) => (await (await admin(org, '/notices')).json()) as Notice[];

/** Deploys a self-signed certificate now (on the org's clock) and answers its expiry. */
async function certificate(org: TestOrg, name: string): Promise<Date> {
  const result = await deployAndWait(org.conn, await certsZip([{ name }]));
  expect(result.status).toBe('Succeeded');
  const { files } = await retrieveCerts(org.conn, [name]);
  return new Date(new X509Certificate(files[`unpackaged/certs/${name}.crt`]!).validTo);
}

describe('users', () => {
  it('are made with a profile and permissions, with the org\'s access token, and listed', async () => {
    const org = await createOrg(server);
    const res = await admin(org, '/users', { method: 'POST', body: { username: 'certs@example.com', profile: 'System Administrator', permissions: ['Receive Certificate Expiration Notifications'] } });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { accessToken: string };
    expect(made).toMatchObject({
      id: expect.stringMatching(/^005/), orgId: org.id, username: 'certs@example.com', password: expect.any(String), profile: 'System Administrator',
      permissions: ['ReceiveCertificateExpirationNotifications'], accessToken: expect.stringMatching(new RegExp(`^${org.id}!`)),
    });
    // The new user's own session works against the org.
    expect((await tokenConnection(server, made.accessToken).metadata.list([{ type: 'Certificate' }]))).toBeDefined();
    const listed = await (await admin(org, '/users')).json();
    expect(listed).toEqual([
      { id: org.userId, username: org.username, profile: 'System Administrator', permissions: [], federationId: null },
      { id: expect.any(String), username: 'certs@example.com', profile: 'System Administrator', permissions: ['ReceiveCertificateExpirationNotifications'], federationId: null },
    ]);
  });

  it('refuse an unknown profile or permission, a taken username and another org\'s token, in REST errors', async () => {
    const org = await createOrg(server);
    const refused = async (body: unknown, message: RegExp, token?: string) => {
      const res = await fetch(`${server.url}/_localforce/orgs/${org.id}/users`, {
        method: 'POST', headers: { authorization: `Bearer ${token ?? org.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      expect(res.status).toBe(token ? 403 : 400);
      expect(((await res.json()) as { message: string }[])[0]!.message).toMatch(message);
    };
    await refused({ username: 'a@example.com', profile: 'Chatter Free User' }, /profile must be one of "System Administrator", "Standard User"/);
    await refused({ username: 'a@example.com', permissions: ['Author Apex'] }, /Unknown permission "Author Apex": Localforce knows ReceiveCertificateExpirationNotifications/);
    await refused({ username: 'not an email' }, /form of an email address/);
    await refused({ username: org.username }, /already taken/);
    await refused({ username: 'b@example.com' }, /not for org/, server.org.accessToken);
  });
});

describe('expiry notices', () => {
  let org: TestOrg;
  let expiry: Date;
  const start = new Date('2031-03-10T09:30:00.000Z');

  beforeAll(async () => {
    org = await createOrg(server);
    await setClock(org, start);
    for (const user of [
      { username: 'holder@example.com', profile: 'System Administrator', permissions: ['ReceiveCertificateExpirationNotifications'] },
      { username: 'admin2@example.com', profile: 'System Administrator', permissions: [] },
      { username: 'mad@example.com', profile: 'Standard User', permissions: ['ModifyAllData'] },
      { username: 'user@example.com', profile: 'Standard User', permissions: ['ViewSetup'] },
    ]) expect((await admin(org, '/users', { method: 'POST', body: user })).status).toBe(201);
    expiry = await certificate(org, 'Jwt_Signing');
  });

  it('are none while the certificate is far from expiry', async () => {
    expect(expiry.toISOString()).toBe('2032-03-10T00:00:00.000Z');
    expect(await notices(org)).toEqual([]);
  });

  it('come 60, 30 and 10 days ahead to the permission holders, the day before and the day of to every admin as well, then once it expired', async () => {
    const everyAdmin = ['admin2@example.com', org.username, 'holder@example.com', 'mad@example.com'].sort();
    await setClock(org, new Date(expiry.getTime() - 45 * DAY));
    expect(await notices(org)).toEqual([
      { certificate: 'Jwt_Signing', certificateId: expect.stringMatching(/^0P1/), kind: 'expires-in-60-days', date: '2032-01-10', at: '2032-01-10T00:00:00.000Z', expirationDate: expiry.toISOString(), recipients: ['holder@example.com'] },
    ]);
    await setClock(org, new Date(expiry.getTime() + 1000));
    const all = await notices(org);
    expect(all.map((n) => [n.kind, n.date, n.recipients])).toEqual([
      ['expires-in-60-days', '2032-01-10', ['holder@example.com']],
      ['expires-in-30-days', '2032-02-09', ['holder@example.com']],
      ['expires-in-10-days', '2032-02-29', ['holder@example.com']],
      ['expires-tomorrow', '2032-03-09', everyAdmin],
      ['expires-today', '2032-03-10', everyAdmin],
      ['expired', '2032-03-10', everyAdmin],
    ]);
  });

  it('are logged once each as the org\'s clock crosses them, and not again when the clock goes back and forth', async () => {
    const mine = () => log.lines.map((l) => l.replace(/^\[[^\]]+\] INFO: /, '')).filter((l) => l.startsWith(`Certificate notice for org ${org.id} `));
    const everyAdmin = ['admin2@example.com', org.username, 'holder@example.com', 'mad@example.com'].sort().join(', ');
    expect(mine()).toEqual([
      `Certificate notice for org ${org.id} on 2032-01-10: Jwt_Signing expires-in-60-days (expires 2032-03-10T00:00:00.000Z), to holder@example.com`,
      `Certificate notice for org ${org.id} on 2032-02-09: Jwt_Signing expires-in-30-days (expires 2032-03-10T00:00:00.000Z), to holder@example.com`,
      `Certificate notice for org ${org.id} on 2032-02-29: Jwt_Signing expires-in-10-days (expires 2032-03-10T00:00:00.000Z), to holder@example.com`,
      `Certificate notice for org ${org.id} on 2032-03-09: Jwt_Signing expires-tomorrow (expires 2032-03-10T00:00:00.000Z), to ${everyAdmin}`,
      `Certificate notice for org ${org.id} on 2032-03-10: Jwt_Signing expires-today (expires 2032-03-10T00:00:00.000Z), to ${everyAdmin}`,
      `Certificate notice for org ${org.id} on 2032-03-10: Jwt_Signing expired (expires 2032-03-10T00:00:00.000Z), to ${everyAdmin}`,
    ]);
    await setClock(org, new Date(expiry.getTime() - 90 * DAY));
    await setClock(org, new Date(expiry.getTime() + DAY));
    expect(mine()).toHaveLength(6);
  });

  it('go to every admin and Modify All Data user when nobody holds the permission', async () => {
    const plain = await createOrg(server);
    expect((await admin(plain, '/users', { method: 'POST', body: { username: 'mad2@example.com', profile: 'Standard User', permissions: ['Modify All Data'] } })).status).toBe(201);
    const e = await certificate(plain, 'Plain_Cert');
    await setClock(plain, new Date(e.getTime() - 29 * DAY));
    expect((await notices(plain)).map((n) => [n.kind, n.recipients])).toEqual([
      ['expires-in-60-days', [plain.username, 'mad2@example.com'].sort()],
      ['expires-in-30-days', [plain.username, 'mad2@example.com'].sort()],
    ]);
  });

  it('leave an expired certificate listed and retrievable, and its retrieved files redeploy unchanged', async () => {
    expect(asArray(await org.conn.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName)).toEqual(['Jwt_Signing']);
    const { files } = await retrieveCerts(org.conn, ['Jwt_Signing']);
    expect(files['unpackaged/certs/Jwt_Signing.crt-meta.xml']).toMatch(/<expirationDate>2032-03-10T00:00:00.000Z<\/expirationDate>/);
    const again = await deployAndWait(org.conn, await certsZip([{
      name: 'Jwt_Signing', content: files['unpackaged/certs/Jwt_Signing.crt']!, meta: files['unpackaged/certs/Jwt_Signing.crt-meta.xml']!,
    }]));
    expect(again.status).toBe('Succeeded');
    expect(asArray(again.details!.componentSuccesses as unknown as { fullName: string; changed: string | boolean }[])
      .find((m) => m.fullName === 'Jwt_Signing')).toMatchObject({ changed: false });
  });
});

const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}</${root}>\n`;
const manifest = (types: Record<string, string[]>) => `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${
  Object.entries(types).map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')}    <version>66.0</version>\n</Package>\n`;

async function zip(files: Record<string, string>): Promise<Buffer> {
  const z = new JSZip();
  for (const [path, text] of Object.entries(files)) z.file(path, text);
  return z.generateAsync({ type: 'nodebuffer' });
}

describe('a certificate in use', () => {
  let org: TestOrg;
  let conn: Connection;
  let certificateId: string;
  const users = {
    'samlssoconfigs/Okta.samlssoconfig': xml('SamlSsoConfig', '    <decryptionCertificate>Sso_Signing</decryptionCertificate>\n    <issuer>https://okta.example.com</issuer>\n    <name>Okta</name>\n'),
    'namedCredentials/Billing_Api.namedCredential': xml('NamedCredential', '    <certificate>Sso_Signing</certificate>\n    <endpoint>https://billing.example.com</endpoint>\n    <label>Billing API</label>\n'),
    'externalCredentials/Jwt_Signer.externalCredential': xml('ExternalCredential',
      '    <authenticationProtocol>Custom</authenticationProtocol>\n    <externalCredentialParameters>\n        <parameterName>Signer</parameterName>\n' +
      '        <parameterType>SigningCertificate</parameterType>\n        <parameterValue>Sso_Signing</parameterValue>\n    </externalCredentialParameters>\n    <label>Jwt Signer</label>\n'),
  };
  const usersManifest = { SamlSsoConfig: ['Okta'], NamedCredential: ['Billing_Api'], ExternalCredential: ['Jwt_Signer'] };

  beforeAll(async () => {
    org = await createOrg(server);
    conn = org.conn;
    expect((await deployAndWait(conn, await certsZip([{ name: 'Sso_Signing' }, { name: 'Spare' }]))).status).toBe('Succeeded');
    certificateId = asArray(await conn.metadata.list([{ type: 'Certificate' }])).find((p) => p.fullName === 'Sso_Signing')!.id;
    const deployed = await deployAndWait(conn, await zip({ 'package.xml': manifest(usersManifest), ...users }));
    expect(deployed.status).toBe('Succeeded');
  });

  const inUse = /^This certificate is referenced elsewhere in Salesforce: Certificate Sso_Signing cannot be deleted while ExternalCredential Jwt_Signer \(externalCredentialParameters\.parameterValue\), NamedCredential Billing_Api \(certificate\), SamlSsoConfig Okta \(decryptionCertificate\) use it\./;

  it('cannot be deleted with deleteMetadata: the error names every component that uses it', async () => {
    const [result] = asArray(await conn.metadata.delete('Certificate', ['Sso_Signing'])) as unknown as { success: string | boolean; errors: { statusCode: string; message: string } | { statusCode: string; message: string }[] }[];
    expect(String(result!.success)).toBe('false');
    expect(asArray(result!.errors)).toEqual([expect.objectContaining({ statusCode: 'DEPENDENCY_EXISTS', message: expect.stringMatching(inUse) })]);
    const [spare] = asArray(await conn.metadata.delete('Certificate', ['Spare'])) as unknown as { success: string | boolean }[];
    expect(String(spare!.success)).toBe('true');
    expect(asArray(await conn.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName)).toEqual(['Sso_Signing']);
  });

  it('cannot be deleted by a destructive change, unless the components that use it go in the same deploy', async () => {
    const destructive = manifest({ Certificate: ['Sso_Signing'] });
    const refused = await deployAndWait(conn, await zip({ 'package.xml': manifest({}), 'destructiveChanges.xml': destructive }));
    expect(refused.status).toBe('Failed');
    expect(asArray(refused.details!.componentFailures as unknown as { fullName: string; fileName: string; problem: string }[])).toEqual([
      expect.objectContaining({ fullName: 'Sso_Signing', fileName: 'destructiveChanges.xml', problem: expect.stringMatching(inUse) }),
    ]);
    // A post-destructive change after the users were pointed elsewhere (and the SAML one by id) still names the one that refers to it.
    const repointed = {
      ...users,
      'namedCredentials/Billing_Api.namedCredential': xml('NamedCredential', '    <endpoint>https://billing.example.com</endpoint>\n    <label>Billing API</label>\n'),
      'externalCredentials/Jwt_Signer.externalCredential': xml('ExternalCredential', '    <authenticationProtocol>Custom</authenticationProtocol>\n    <label>Jwt Signer</label>\n'),
      'samlssoconfigs/Okta.samlssoconfig': xml('SamlSsoConfig', `    <issuer>https://okta.example.com</issuer>\n    <name>Okta</name>\n    <requestSigningCertId>${certificateId.slice(0, 15)}</requestSigningCertId>\n`),
    };
    const byId = await deployAndWait(conn, await zip({ 'package.xml': manifest(usersManifest), ...repointed, 'destructiveChangesPost.xml': destructive }));
    expect(byId.status).toBe('Failed');
    expect(asArray(byId.details!.componentFailures as unknown as { problem: string }[]).map((f) => f.problem)).toEqual([
      expect.stringMatching(/cannot be deleted while SamlSsoConfig Okta \(requestSigningCertId\) uses it\. Point it at another certificate/),
    ]);
    expect(asArray(await conn.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName)).toEqual(['Sso_Signing']);

    const together = await deployAndWait(conn, await zip({
      'package.xml': manifest({}), 'destructiveChanges.xml': manifest({ Certificate: ['Sso_Signing'], ...usersManifest }),
    }));
    expect(together.status).toBe('Succeeded');
    expect(asArray(await conn.metadata.list([{ type: 'Certificate' }]))).toEqual([]);
  });
});

describe('the localforce command', () => {
  it('prints a line as an org\'s clock crosses a notice', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--in-memory', '--no-key-pool', '--clock', '2031-03-10T09:30:00Z'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const waitFor = (re: RegExp) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => { const m = re.exec(out); if (m) resolve(m); };
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); check(); });
      child.once('exit', (code) => reject(new Error(`localforce exited with ${code}: ${out}`)));
      check();
    });
    try {
      const [, url] = await waitFor(/^Localforce listening on (http:\/\/\S+)$/m);
      const conn = tokenConnection({ url } as LocalforceServer, '00D000000000001AAA!localforce');
      expect((await deployAndWait(conn, await certsZip([{ name: 'Cli_Cert' }]))).status).toBe('Succeeded');
      const moved = await fetch(`${url}/_localforce/orgs/00D000000000001AAA/clock`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer 00D000000000001AAA!localforce' }, body: JSON.stringify({ time: '2032-02-01T00:00:00Z' }),
      });
      expect(moved.status).toBe(200);
      const [, line] = await waitFor(/^\[[^\]]+\] INFO: (Certificate notice for org 00D000000000001AAA on 2032-01-10: Cli_Cert expires-in-60-days .*)$/m);
      expect(line).toBe('Certificate notice for org 00D000000000001AAA on 2032-01-10: Cli_Cert expires-in-60-days (expires 2032-03-10T00:00:00.000Z), to admin@localforce.dev');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
