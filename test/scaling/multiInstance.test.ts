/**
 * Two and three Localforce servers on one PostgreSQL store, each a process of its own built from dist/ (as
 * a platform team runs them behind a load balancer): they start together on an empty database, share
 * orgs, sessions, deploys and the key pool, keep one deploy of an org at a time across them, and end
 * the deploys of a server killed with SIGKILL as Failed, nothing committed, within a bounded time.
 */
import { X509Certificate } from 'node:crypto';
import { Client } from 'pg';
import { certsZip } from '../support/localforce';
import { newPostgresStore } from '../support/postgres';
import { certificateNames, deployStatus, escapeXml, send, soapCall } from '../reliability/support/http';
import { startServerProcess, type ServerProcess } from '../reliability/support/serverProcess';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgresSchema';

jest.setTimeout(180_000);

const LEASE_MS = 1_500;

const startOn = (store: { url: string; masterKeyFile: string }, extra: Record<string, unknown> = {}) =>
  startServerProcess({ store: store.url, masterKeyFile: store.masterKeyFile, jobLeaseMs: LEASE_MS, keyPoolSize: 0, ...extra });

const field = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function deploy(server: ServerProcess, token: string, zip: Buffer, options = ''): Promise<string> {
  const answer = await soapCall(server, token,
    `<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><singlePackage>true</singlePackage>${options}</DeployOptions></deploy>`);
  const id = field(answer.text, 'id');
  if (!id) throw new Error(`deploy refused: ${answer.text.slice(0, 500)}`);
  return id;
}

async function until(server: ServerProcess, token: string, id: string, wanted: RegExp, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = await deployStatus(server, token, id);
    if (wanted.test(text)) return text;
    if (Date.now() > end) throw new Error(`deploy ${id} never matched ${wanted}; last status: ${text.slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function newOrg(server: ServerProcess, name: string): Promise<{ id: string; accessToken: string }> {
  const res = await send(server, 'POST', '/_localforce/orgs', { Authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    JSON.stringify({ name }));
  expect(res.status).toBe(201);
  return JSON.parse(res.text) as { id: string; accessToken: string };
}

describe.each([2, 3])('%i servers on one PostgreSQL store', (count) => {
  let store: { url: string; masterKeyFile: string };
  let servers: ServerProcess[] = [];
  const start = (extra: Record<string, unknown> = {}) => startOn(store, extra);
  // a, b and c are three servers, or two with c = a.
  const trio = () => [servers[0]!, servers[1]!, servers[2 % count]!] as const;

  beforeAll(async () => {
    store = await newPostgresStore();
    // All at once on an empty database: the schema is made once, and the master key file once.
    servers = await Promise.all(Array.from({ length: count }, () => start()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('start together on an empty database: one schema, one admin token, one default org', async () => {
    expect(new Set(servers.map((s) => s.adminToken)).size).toBe(1);
    expect(new Set(servers.map((s) => s.org.id)).size).toBe(1);
    const client = new Client({ connectionString: store.url });
    await client.connect();
    try {
      expect((await client.query('SELECT version FROM localforce_schema')).rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
      expect((await client.query('SELECT count(*)::int AS n FROM orgs')).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('poll, cancel and quick-deploy a deploy on servers other than the one it was submitted to', async () => {
    const [a, b, c] = trio();
    const token = a.org.accessToken;
    const id = await deploy(a, token, await certsZip([{ name: 'Spread_One' }, { name: 'Spread_Two' }]));
    expect(await until(b, token, id, /<done>true<\/done>/)).toMatch(/<status>Succeeded<\/status>/);
    expect(await certificateNames(c, token)).toEqual(expect.arrayContaining(['Spread_One', 'Spread_Two']));

    const validation = await deploy(b, token, await certsZip([{ name: 'Spread_Validated' }]), '<checkOnly>true</checkOnly>');
    await until(c, token, validation, /<status>Succeeded<\/status>/);
    const quick = field((await soapCall(c, token, `<deployRecentValidation><validationId>${validation}</validationId></deployRecentValidation>`)).text, 'result');
    expect(quick).toMatch(/^0Af/);
    await until(a, token, quick!, /<status>Succeeded<\/status>/);
    expect(await certificateNames(a, token)).toContain('Spread_Validated');

    // 4096-bit keys made one by one: slow enough to be canceled through another server while running.
    const slow = await deploy(a, token, await certsZip(Array.from({ length: 6 }, (_, i) => ({ name: `Spread_Canceled_${i}`, keySize: 4096 }))));
    await until(c, token, slow, /<status>InProgress<\/status>/);
    const cancel = await soapCall(b, token, `<cancelDeploy><String>${slow}</String></cancelDeploy>`);
    expect(field(cancel.text, 'done')).toBe('false');
    const ended = await until(c, token, slow, /<done>true<\/done>/);
    expect(field(ended, 'status')).toBe('Canceled');
    expect(await certificateNames(b, token)).not.toContain('Spread_Canceled_0');
  });

  it('runs one deploy of an org at a time across servers, while other orgs go on', async () => {
    const [a, b, c] = trio();
    const held = await newOrg(a, 'Held org');
    const free = await newOrg(b, 'Free org');
    const admin = { Authorization: `Bearer ${a.adminToken}`, 'content-type': 'application/json' };
    expect((await send(a, 'PUT', `/_localforce/orgs/${held.id}/deploy-pacing`, admin, JSON.stringify({ hold: 'manual' }))).status).toBe(200);
    const first = await deploy(a, held.accessToken, await certsZip([{ name: 'Queue_First' }]));
    await until(c, held.accessToken, first, /<status>InProgress<\/status>/);
    // Pacing holds the deploys submitted while it is on, on their own server: only the first is held.
    expect((await send(a, 'DELETE', `/_localforce/orgs/${held.id}/deploy-pacing`, admin)).status).toBe(200);
    // The org's second deploy, through another server, waits for the first; another org's does not.
    const second = await deploy(b, held.accessToken, await certsZip([{ name: 'Queue_Second' }]));
    const other = await deploy(c, free.accessToken, await certsZip([{ name: 'Queue_Other' }]));
    await until(a, free.accessToken, other, /<status>Succeeded<\/status>/);
    expect(field(await deployStatus(c, held.accessToken, second), 'status')).toBe('Pending');
    expect((await send(a, 'POST', `/_localforce/orgs/${held.id}/deploys/release`, admin)).status).toBe(200);
    const firstDone = await until(b, held.accessToken, first, /<status>Succeeded<\/status>/);
    const secondDone = await until(c, held.accessToken, second, /<status>Succeeded<\/status>/);
    expect(Date.parse(field(secondDone, 'startDate')!)).toBeGreaterThanOrEqual(Date.parse(field(firstDone, 'completedDate')!));
    // Orgs stay apart on every server: a token of one never reaches another's deploys or components.
    expect(await certificateNames(c, free.accessToken)).toEqual(['Queue_Other']);
    expect(await certificateNames(a, held.accessToken)).toEqual(['Queue_First', 'Queue_Second']);
    expect(await deployStatus(a, free.accessToken, first)).toMatch(/INVALID_ID_FIELD/);
  });

  it('cancels a deploy that pacing holds on its server, through another server', async () => {
    const [a, b, c] = trio();
    const org = await newOrg(a, 'Paced org');
    const admin = { Authorization: `Bearer ${a.adminToken}`, 'content-type': 'application/json' };
    expect((await send(a, 'PUT', `/_localforce/orgs/${org.id}/deploy-pacing`, admin, JSON.stringify({ hold: 'manual' }))).status).toBe(200);
    const id = await deploy(a, org.accessToken, await certsZip([{ name: 'Held_Then_Canceled' }]));
    await until(c, org.accessToken, id, /<status>InProgress<\/status>/);
    expect(field((await soapCall(b, org.accessToken, `<cancelDeploy><String>${id}</String></cancelDeploy>`)).text, 'done')).toBe('false');
    expect(field(await until(c, org.accessToken, id, /<done>true<\/done>/, 10_000), 'status')).toBe('Canceled');
    expect(await certificateNames(b, org.accessToken)).toEqual([]);
  });

  it('ends the deploys of a server killed with SIGKILL as Failed, nothing committed, within a lease', async () => {
    const [a] = trio();
    const doomed = await start();
    const token = a.org.accessToken;
    const names = Array.from({ length: 6 }, (_, i) => `Killed_${i}`);
    const id = await deploy(doomed, token, await certsZip(names.map((name) => ({ name, keySize: 4096 }))));
    await until(a, token, id, /<status>InProgress<\/status>/);
    await doomed.kill9();
    const killedAt = Date.now();
    const ended = await until(a, token, id, /<done>true<\/done>/, 30_000);
    const tookMs = Date.now() - killedAt;
    expect(field(ended, 'status')).toBe('Failed');
    expect(field(ended, 'errorMessage')).toMatch(/nothing was committed/);
    // Renewed three times a lease, swept as often: the lease, a period and the polls' slack.
    expect(tookMs).toBeLessThan(LEASE_MS * 2 + 5_000);
    expect((await certificateNames(a, token)).filter((n) => n.startsWith('Killed_'))).toEqual([]);
    // The org's lock went with the dead server's connection: its next deploy runs.
    const next = await deploy(a, token, await certsZip([{ name: 'After_Kill' }]));
    await until(a, token, next, /<status>Succeeded<\/status>/);
  });

  it('hands out no pooled key twice, whichever servers take them', async () => {
    const pooled = await Promise.all(Array.from({ length: count }, () => start({ keyPoolSize: 8 })));
    try {
      const client = new Client({ connectionString: store.url });
      await client.connect();
      try {
        for (let i = 0; ; i++) {
          const { n } = (await client.query('SELECT count(*)::int AS n FROM key_pool WHERE bits = 2048')).rows[0] as { n: number };
          if (n >= 8) break;
          if (i > 600) throw new Error(`the pool never filled (${n} keys)`);
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await client.end();
      }
      const token = pooled[0]!.org.accessToken;
      const batches = await Promise.all(pooled.map(async (server, s) => {
        const names = Array.from({ length: 5 }, (_, i) => `Pooled_${s}_${i}`);
        const id = await deploy(server, token, await certsZip(names.map((name) => ({ name }))));
        return { server, id, names };
      }));
      for (const { server, id } of batches) await until(server, token, id, /<status>Succeeded<\/status>/);
      const names = batches.flatMap((b) => b.names);
      const contents: string[] = [];
      for (const batch of batches) { // readMetadata takes ten names a call
        const read = await soapCall(pooled[1]!, token,
          `<readMetadata><type>Certificate</type>${batch.names.map((n) => `<fullNames>${escapeXml(n)}</fullNames>`).join('')}</readMetadata>`);
        contents.push(...[...read.text.matchAll(/<content>([^<]+)<\/content>/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')));
      }
      expect(contents).toHaveLength(names.length);
      const publicKeys = contents.map((pem) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(new Set(publicKeys).size).toBe(names.length);
    } finally {
      await Promise.all(pooled.map((s) => s.stop()));
    }
  });
});
