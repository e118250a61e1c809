/**
 * Control of orgs for tests, over HTTP as a test suite uses it: reset and delete of an org, and
 * deploy pacing (deploys held InProgress for a number of status polls, or until released).
 */
import type { Connection } from 'jsforce';
import {
  adminFetch, asArray, certsZip, deployAndWait, soapLogin, startTestServer, tokenConnection, type LocalforceServer,
} from '../support/localforce';

async function admin(server: LocalforceServer, method: string, path: string, body?: unknown) {
  const res = await adminFetch(server, path, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const newOrg = async (server: LocalforceServer) => (await admin(server, 'POST', '/_localforce/orgs')).body as LocalforceServer['org'];
const names = async (conn: Connection) => asArray(await conn.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName).sort();

/** Polls checkDeployStatus until the deploy is done, returning the status each poll saw. */
async function pollToEnd(conn: Connection, id: string, pauseMs = 20): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 500; i++) {
    const r = await conn.metadata.checkDeployStatus(id);
    seen.push(r.status);
    if (String(r.done) === 'true') return seen;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`deploy ${id} did not end: ${seen.slice(-5).join(', ')}`);
}

describe('reset of an org', () => {
  let server: LocalforceServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('empties the default org (components, deploys, retrieves, sessions, recorded calls) and keeps its user and well-known token', async () => {
    const session = await soapLogin(server);
    const deploy = await deployAndWait(session, await certsZip([{ name: 'BeforeReset' }]));
    const retrieve = await session.metadata.retrieve({ apiVersion: '66.0', unpackaged: { types: [{ name: 'Certificate', members: ['*'] }], version: '66.0' } } as never).complete();
    await admin(server, 'PUT', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`, { default: 'fail', classes: {} });
    expect(await names(session)).toEqual(['BeforeReset']);

    expect(await admin(server, 'POST', `/_localforce/orgs/${server.org.id}/reset`)).toEqual({ status: 200, body: { orgId: server.org.id, status: 'reset' } });

    const token = tokenConnection(server);
    expect(await names(token)).toEqual([]);
    await expect(token.metadata.checkDeployStatus(deploy.id)).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
    await expect(token.metadata.checkRetrieveStatus(retrieve.id)).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
    // (jsforce logs in again by itself on an ended session, so the ended session is used as a token.)
    await expect(tokenConnection(server, session.accessToken!).metadata.list([{ type: 'Certificate' }])).rejects.toMatchObject({ name: 'sf:INVALID_SESSION_ID' });
    // Only calls made since the reset are recorded (the ended session's call belongs to no org).
    expect((await admin(server, 'GET', `/_localforce/requests?org=${server.org.id}`)).body.map((r: { operation: string }) => r.operation))
      .toEqual(['checkRetrieveStatus', 'checkDeployStatus', 'listMetadata']);
    // Its user logs in again, and its settings stay as set.
    expect(await names(await soapLogin(server))).toEqual([]);
    expect((await admin(server, 'GET', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`)).body).toEqual({ default: 'fail', classes: {} });
    await admin(server, 'DELETE', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`);
    // The same name deploys again as a new certificate.
    const again = await deployAndWait(token, await certsZip([{ name: 'BeforeReset' }]));
    expect(asArray(again.details.componentSuccesses).find((m) => m.fullName === 'BeforeReset')).toEqual(expect.objectContaining({ created: true }));
  });

  it('ends an org\'s running deploy without committing it, and leaves other orgs alone', async () => {
    const org = await newOrg(server);
    const bystander = await newOrg(server);
    await admin(server, 'PUT', `/_localforce/orgs/${org.id}/deploy-pacing`, { hold: 'manual' });
    const conn = tokenConnection(server, org.accessToken);
    const other = tokenConnection(server, bystander.accessToken);
    await deployAndWait(other, await certsZip([{ name: 'Untouched' }]));
    const { id } = await conn.metadata.deploy(await certsZip([{ name: 'Held' }]), { singlePackage: true });
    expect(await admin(server, 'POST', `/_localforce/orgs/${org.id}/reset`)).toEqual({ status: 200, body: { orgId: org.id, status: 'reset' } });
    // A created org's access token is a session like any other: gone with the reset.
    await expect(conn.metadata.list([{ type: 'Certificate' }])).rejects.toMatchObject({ name: 'sf:INVALID_SESSION_ID' });
    const relogged = await soapLogin(server, org.username, org.password);
    expect(await names(relogged)).toEqual([]);
    await expect(relogged.metadata.checkDeployStatus(id)).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
    expect(await names(other)).toEqual(['Untouched']);
  });

  it('answers 404 for an org that does not exist', async () => {
    expect(await admin(server, 'POST', '/_localforce/orgs/00D000000000009AAA/reset'))
      .toEqual({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'No org with id 00D000000000009AAA' }] });
  });
});

describe('delete of an org', () => {
  let server: LocalforceServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('removes the org with its user, sessions and components; its 15-character id works too', async () => {
    const org = await newOrg(server);
    const conn = await soapLogin(server, org.username, org.password);
    await deployAndWait(conn, await certsZip([{ name: 'Gone' }]));
    expect(await admin(server, 'DELETE', `/_localforce/orgs/${org.id.slice(0, 15)}`)).toEqual({ status: 204, body: undefined });
    await expect(soapLogin(server, org.username, org.password)).rejects.toThrow(/^INVALID_LOGIN: /);
    await expect(tokenConnection(server, org.accessToken).metadata.list([{ type: 'Certificate' }])).rejects.toMatchObject({ name: 'sf:INVALID_SESSION_ID' });
    expect((await admin(server, 'GET', `/_localforce/requests?org=${org.id}`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `/_localforce/orgs/${org.id}`)).status).toBe(404);
    // Its username is free again.
    expect((await admin(server, 'POST', '/_localforce/orgs', { username: org.username })).status).toBe(201);
  });

  it('refuses to delete the default org, which can only be reset', async () => {
    expect(await admin(server, 'DELETE', `/_localforce/orgs/${server.org.id}`)).toEqual({
      status: 400, body: [{ errorCode: 'INVALID_OPERATION', message: 'The default org 00D000000000001AAA cannot be deleted; reset it to empty it' }],
    });
    expect(await names(tokenConnection(server))).toEqual([]);
  });
});

describe('deploy pacing', () => {
  let server: LocalforceServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('holds each deploy InProgress for the number of status polls an org sets', async () => {
    const org = await newOrg(server);
    expect(await admin(server, 'PUT', `/_localforce/orgs/${org.id}/deploy-pacing`, { hold: 'polls', polls: 4 }))
      .toEqual({ status: 200, body: { hold: 'polls', polls: 4, source: 'org', held: [] } });
    const conn = tokenConnection(server, org.accessToken);
    const { id } = await conn.metadata.deploy(await certsZip([{ name: 'Paced' }]), { singlePackage: true });
    const seen = await pollToEnd(conn, id);
    expect(seen.filter((s) => s === 'InProgress').length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toBe('Succeeded');
    // jsforce's own poller gets through a paced deploy as it would through a slow one.
    expect((await deployAndWait(conn, await certsZip([{ name: 'PacedToo' }]))).status).toBe('Succeeded');
  });

  it('counts REST status reads as polls too', async () => {
    const org = await newOrg(server);
    await admin(server, 'PUT', `/_localforce/orgs/${org.id}/deploy-pacing`, { hold: 'polls', polls: 3 });
    const form = new FormData();
    form.append('file', new Blob([await certsZip([{ name: 'RestPaced' }])]), 'deploy.zip');
    form.append('entity_content', new Blob([JSON.stringify({ deployOptions: { singlePackage: true } })], { type: 'application/json' }));
    const auth = { Authorization: `Bearer ${org.accessToken}` };
    const created = await (await fetch(`${server.url}/services/data/v66.0/metadata/deployRequest`, { method: 'POST', headers: auth, body: form })).json() as { id: string };
    const seen: string[] = [];
    for (let i = 0; i < 500 && seen.at(-1) !== 'Succeeded'; i++) {
      const r = await (await fetch(`${server.url}/services/data/v66.0/metadata/deployRequest/${created.id}`, { headers: auth })).json() as { deployResult: { status: string } };
      seen.push(r.deployResult.status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen.filter((s) => s === 'InProgress').length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe('Succeeded');
  });

  it('holds deploys until released, one by id or all at once, and says which it holds', async () => {
    const held = await startTestServer({ deployPacing: 'manual' });
    try {
      const conn = tokenConnection(held);
      const path = `/_localforce/orgs/${held.org.id}`;
      const first = (await conn.metadata.deploy(await certsZip([{ name: 'First' }]), { singlePackage: true })).id;
      const second = (await conn.metadata.deploy(await certsZip([{ name: 'Second' }]), { singlePackage: true })).id;
      let status;
      for (let i = 0; i < 20; i++) {
        status = await conn.metadata.checkDeployStatus(first);
        if (status.status === 'InProgress') await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(status!.status).toBe('InProgress');
      expect((await conn.metadata.checkDeployStatus(second)).status).toBe('Pending');
      expect((await admin(held, 'GET', `${path}/deploy-pacing`)).body).toEqual({
        hold: 'manual', source: 'server',
        held: [{ id: first, status: 'InProgress', holds: 'until released' }, { id: second, status: 'Pending', holds: 'until released' }],
      });
      expect(await admin(held, 'POST', `${path}/deploys/${first}/release`)).toEqual({ status: 200, body: { released: [first] } });
      expect((await pollToEnd(conn, first)).at(-1)).toBe('Succeeded');
      expect(await admin(held, 'POST', `${path}/deploys/release`)).toEqual({ status: 200, body: { released: [second] } });
      expect((await pollToEnd(conn, second)).at(-1)).toBe('Succeeded');
      expect(await admin(held, 'POST', `${path}/deploys/${first}/release`)).toEqual({
        status: 409, body: [{ errorCode: 'INVALID_OPERATION', message: `The deploy ${first} is Succeeded, not running: there is nothing to release` }],
      });
      expect((await admin(held, 'POST', `${path}/deploys/0Af000000000009AAA/release`)).status).toBe(404);
      // An org's own setting overrides the server's; DELETE goes back to it.
      expect((await admin(held, 'PUT', `${path}/deploy-pacing`, { hold: 'off' })).body).toEqual({ hold: 'off', source: 'org', held: [] });
      expect((await deployAndWait(conn, await certsZip([{ name: 'Unpaced' }]))).status).toBe('Succeeded');
      expect((await admin(held, 'DELETE', `${path}/deploy-pacing`)).body).toEqual({ hold: 'manual', source: 'server', held: [] });
    } finally {
      await held.close();
    }
  });

  it('lets a held deploy be canceled', async () => {
    const org = await newOrg(server);
    await admin(server, 'PUT', `/_localforce/orgs/${org.id}/deploy-pacing`, { hold: 'manual' });
    const conn = tokenConnection(server, org.accessToken);
    const { id } = await conn.metadata.deploy(await certsZip([{ name: 'CanceledWhileHeld' }]), { singlePackage: true });
    while ((await conn.metadata.checkDeployStatus(id)).status !== 'InProgress') await new Promise((resolve) => setTimeout(resolve, 10));
    await conn.metadata.cancelDeploy(id);
    expect((await pollToEnd(conn, id)).at(-1)).toBe('Canceled');
    expect(await names(conn)).toEqual([]);
  });

  it('refuses a pacing it cannot follow, in its own words', async () => {
    const path = `/_localforce/orgs/${server.org.id}/deploy-pacing`;
    expect(await admin(server, 'PUT', path, { hold: 'polls', polls: 0 }))
      .toEqual({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'polls must be a whole number from 1 to 10000, not 0' }] });
    expect(await admin(server, 'PUT', path, { hold: 'forever' }))
      .toEqual({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'hold must be "polls" (with "polls": N), "manual" or "off", not "forever"' }] });
    await expect(startTestServer({ deployPacing: 'slow' })).rejects.toThrow('--deploy-pacing must be a number of status polls (such as 3), manual (until released through the admin API) or off, not slow');
  });
});
