/**
 * What Localforce shows of each call: one log line (text or JSON), deploy and retrieve progress with
 * counts, the recorded calls at GET /_localforce/requests, and never a secret in any of them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Connection } from 'jsforce';
import {
  adminFetch, captureLog, certsZip, deployAndWait, retrieveCerts, soapLogin, startTestServer, tokenConnection, type LocalforceServer,
} from '../support/localforce';

const LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR|DEBUG): (.*)$/;

async function requests(server: LocalforceServer, query: string) {
  const res = await adminFetch(server, `/_localforce/requests?${query}`);
  return { status: res.status, body: await res.json() as any };
}

describe('the text log', () => {
  let server: LocalforceServer;
  const log = captureLog();
  beforeAll(async () => { server = await startTestServer({ logLevel: 'info', logDestination: log.destination }); });
  afterAll(async () => { await server.close(); });

  it('says for every call: time, method, path, operation or resource, org, status and milliseconds', async () => {
    const conn = await soapLogin(server);
    await conn.metadata.list([{ type: 'Certificate' }]);
    await tokenConnection(server).query('SELECT Id FROM Organization');
    await fetch(`${server.url}/services/data/v66.0/metadata/deployRequest/0Af000000000001AAA`, { headers: { Authorization: `Bearer ${server.org.accessToken}` } });
    await fetch(`${server.url}/no/such/path`);
    await fetch(`${server.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
    for (const line of log.lines) expect(line).toMatch(LINE);
    const messages = log.lines.map((l) => LINE.exec(l)![2]);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^POST \/services\/Soap\/u\/66\.0 login 00D…1AAA 200 \d+ ms$/),
      expect.stringMatching(/^POST \/services\/Soap\/m\/66\.0 listMetadata 00D…1AAA 200 \d+ ms$/),
      expect.stringMatching(/^GET \/services\/data\/v66\.0\/query query 00D…1AAA 200 \d+ ms$/),
      expect.stringMatching(/^GET \/services\/data\/v66\.0\/metadata\/deployRequest\/0Af000000000001AAA metadata\/deployRequest 00D…1AAA 404 \d+ ms$/),
      expect.stringMatching(/^GET \/no\/such\/path 404 \d+ ms$/),
      expect.stringMatching(/^POST \/services\/Soap\/m\/66\.0 500 \d+ ms$/),
    ]));
  });

  it('logs a deploy and a retrieve as they progress and end, with component counts', async () => {
    const conn = tokenConnection(server);
    const result = await deployAndWait(conn, await certsZip([{ name: 'LoggedOne' }, { name: 'LoggedTwo', caSigned: true }]));
    const id = result.id;
    const deployLines = log.lines.filter((l) => l.includes(`deploy ${id} 00D…1AAA`)).map((l) => LINE.exec(l)![2]);
    // Progress lines come at most once a second while keys are made, so a fast deploy may have none.
    expect(deployLines.slice(0, 2)).toEqual([`deploy ${id} 00D…1AAA queued`, `deploy ${id} 00D…1AAA InProgress: 2 components`]);
    for (const line of deployLines.slice(2, -1)) expect(line).toMatch(new RegExp(`^deploy ${id} 00D…1AAA InProgress: [12]/2 components deployed$`));
    expect(deployLines.at(-1)).toMatch(new RegExp(`^deploy ${id} 00D…1AAA Succeeded: 2/2 components deployed, 0 errors \\(\\d+\\.\\d s\\)$`));
    const failed = await deployAndWait(conn, await certsZip([{ name: 'Bad__Name' }]));
    expect(log.lines.find((l) => l.includes(`deploy ${failed.id} 00D…1AAA Failed`))).toMatch(/WARN: .*Failed: 0\/1 components deployed, 1 error/);

    const { result: retrieved } = await retrieveCerts(conn, ['LoggedOne', 'LoggedTwo']);
    const retrieveLines = log.lines.filter((l) => l.includes(`retrieve ${retrieved.id}`)).map((l) => LINE.exec(l)![2]);
    expect(retrieveLines).toEqual([
      `retrieve ${retrieved.id} 00D…1AAA queued`,
      `retrieve ${retrieved.id} 00D…1AAA InProgress`,
      expect.stringMatching(new RegExp(`^retrieve ${retrieved.id} 00D…1AAA Succeeded: 2 components, 0 messages, [\\d,]+ bytes zipped \\(\\d+\\.\\d s\\)$`)),
    ]);
  });
});

describe('the JSON log', () => {
  it('writes one JSON object a line, with the same facts as fields and the whole org id', async () => {
    const log = captureLog();
    const server = await startTestServer({ logLevel: 'info', logFormat: 'json', logDestination: log.destination });
    try {
      await tokenConnection(server).metadata.list([{ type: 'ApexClass' }]);
      const records = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records).toContainEqual({
        level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), method: 'POST', path: '/services/Soap/m/66.0',
        operation: 'listMetadata', orgId: '00D000000000001AAA', status: 200, ms: expect.any(Number),
        msg: expect.stringMatching(/^POST \/services\/Soap\/m\/66\.0 listMetadata 00D…1AAA 200 \d+ ms$/),
      });
    } finally {
      await server.close();
    }
  });

  it('writes nothing at level silent, and nothing below the level asked for', async () => {
    const quiet = captureLog();
    const server = await startTestServer({ logLevel: 'warn', logDestination: quiet.destination });
    try {
      await tokenConnection(server).metadata.list([{ type: 'ApexClass' }]);
      expect(quiet.lines).toEqual([]);
    } finally {
      await server.close();
    }
    await expect(startTestServer({ logLevel: 'loud' as never })).rejects.toThrow(/--log-level must be one of fatal, error, warn, info, debug, trace, silent, not loud/);
    await expect(startTestServer({ logFormat: 'yaml' as never })).rejects.toThrow(/--log-format must be text or json, not yaml/);
  });
});

describe('GET /_localforce/requests', () => {
  let server: LocalforceServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('answers an org\'s recent calls, newest first, with operation, status, timing and bodies', async () => {
    const other = await (await adminFetch(server, '/_localforce/orgs', { method: 'POST' })).json() as LocalforceServer['org'];
    const conn = tokenConnection(server, other.accessToken);
    await conn.metadata.list([{ type: 'Certificate' }]);
    await conn.metadata.read('Certificate', ['Missing']);
    await tokenConnection(server).metadata.list([{ type: 'ApexClass' }]);

    const { status, body } = await requests(server, `org=${other.id}&limit=5`);
    expect(status).toBe(200);
    expect(body.map((r: { operation: string }) => r.operation)).toEqual(['readMetadata', 'listMetadata']);
    expect(body[0]).toEqual({
      seq: expect.any(Number), time: expect.any(String), method: 'POST', path: '/services/Soap/m/66.0', operation: 'readMetadata',
      orgId: other.id, status: 200, ms: expect.any(Number), fromConsole: false,
      request: { headers: expect.objectContaining({ 'content-type': expect.stringContaining('text/xml') }), body: expect.stringContaining('<fullNames>Missing</fullNames>'), bytes: expect.any(Number), truncated: false },
      response: { contentType: 'text/xml; charset=utf-8', body: expect.stringContaining('readMetadataResponse'), bytes: expect.any(Number), truncated: false },
    });
    expect(body[0].seq).toBeGreaterThan(body[1].seq);
    expect((await requests(server, `org=${other.id}&limit=1`)).body).toHaveLength(1);
    // A deploy's zip is shown by its size, and the options after it as they came.
    const zip = await certsZip([{ name: 'Big' }], { extra: { 'certs/notes.txt': randomBytes(60_000).toString('hex') } });
    await conn.metadata.deploy(zip, { singlePackage: true });
    const [big] = (await requests(server, `org=${other.id}&limit=1`)).body;
    expect(big).toEqual(expect.objectContaining({ operation: 'deploy', request: expect.objectContaining({ truncated: false, bytes: expect.any(Number) }) }));
    expect(big.request.bytes).toBeGreaterThan(64 * 1024);
    expect(big.request.body).toContain(`<ZipFile>[base64 data, ${zip.length.toLocaleString('en-US')} bytes]</ZipFile><DeployOptions><singlePackage>true</singlePackage></DeployOptions>`);
    // Without an org: every org's calls, and calls of no org (a failed login) too.
    await new Connection({ loginUrl: server.url, version: '66.0' }).login('nobody@example.com', 'x').catch(() => undefined);
    const all = (await requests(server, 'limit=100')).body as { orgId?: string; operation: string; status: number }[];
    expect(new Set(all.map((r) => r.orgId))).toEqual(new Set([other.id, server.org.id, undefined]));
    expect(all[0]).toEqual(expect.objectContaining({ operation: 'login', status: 500 }));
  });

  it('refuses an unknown org and a bad limit clearly', async () => {
    expect(await requests(server, 'org=00D000000000009AAA')).toEqual({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'No org with id 00D000000000009AAA' }] });
    expect(await requests(server, 'limit=none')).toEqual({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'limit must be a whole number from 1, not none' }] });
  });
});

describe('secrets', () => {
  it('never appear in the log, at any level and format, nor in the recorded calls', async () => {
    const text = captureLog();
    const json = captureLog();
    const server = await startTestServer({ logLevel: 'trace', logDestination: text.destination });
    const jsonServer = await startTestServer({ logLevel: 'trace', logFormat: 'json', logDestination: json.destination });
    const secrets: string[] = [];
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      for (const s of [server, jsonServer]) {
        const password = `Pa55-${s.port}-secret`;
        const created = await (await adminFetch(s, '/_localforce/orgs', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `u${s.port}@example.com`, password }),
        })).json() as LocalforceServer['org'];
        const soap = await soapLogin(s, created.username, password);
        const oauth = new Connection({ oauth2: { loginUrl: s.url, clientId: 'cid', clientSecret: 'client-secret-value' }, version: '66.0' });
        await oauth.login(created.username, password);
        secrets.push(password, created.accessToken, soap.accessToken!, oauth.accessToken!, 'client-secret-value', s.org.accessToken);
        await deployAndWait(soap, await certsZip([{ name: 'WithKey' }, { name: 'Leaky', content: privateKey }]));
        await oauth.metadata.read('Certificate', ['WithKey']);
        await oauth.metadata.create('Certificate', { fullName: 'LeakyToo', masterLabel: 'x', caSigned: false, content: Buffer.from(privateKey).toString('base64') } as never);
        await retrieveCerts(tokenConnection(s), ['*']);
        await fetch(`${s.url}/services/data/v66.0/query?q=SELECT+Id+FROM+User`, { headers: { Authorization: `Bearer ${created.accessToken}` } });
        await fetch(`${s.url}/services/oauth2/userinfo?access_token=${encodeURIComponent(created.accessToken)}`, { headers: { Authorization: `Bearer ${soap.accessToken}` } });
        await soap.logout();
      }
      const recorded = JSON.stringify([...(await requests(server, 'limit=2000')).body, ...(await requests(jsonServer, 'limit=2000')).body]);
      const keyBody = privateKey.split('\n')[5]!;
      for (const output of [text.text(), json.text(), recorded]) {
        expect(output.length).toBeGreaterThan(1000);
        for (const secret of secrets) expect(output).not.toContain(secret);
        expect(output).not.toContain('PRIVATE KEY-----');
        expect(output).not.toContain(keyBody);
      }
      // What was there is marked, so a reader knows something was removed.
      expect(recorded).toContain('[redacted]');
      expect(recorded).toContain('[base64 data, ');
    } finally {
      await server.close();
      await jsonServer.close();
    }
  });
});
