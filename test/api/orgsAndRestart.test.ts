import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminFetch,
  asArray, certsZip, deployAndWait, retrieveCerts, soapLogin, startTestServer, tokenConnection, type LocalforceServer,
} from '../support/localforce';

describe('orgs', () => {
  let server: LocalforceServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('creates an org with its own user and keeps orgs apart', async () => {
    const res = await adminFetch(server, `/_localforce/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(201);
    const other = await res.json() as LocalforceServer['org'];
    expect(other).toEqual({
      id: expect.stringMatching(/^00D\w{15}$/), userId: expect.stringMatching(/^005\w{15}$/), username: expect.any(String),
      password: expect.any(String), accessToken: expect.stringMatching(/^00D\w{15}![.\w]+$/),
    });
    expect(other.accessToken.startsWith(`${other.id}!`)).toBe(true);

    const mine = await soapLogin(server);
    const theirs = await soapLogin(server, other.username, other.password);
    expect((await deployAndWait(mine, await certsZip([{ name: 'OnlyMine' }]))).status).toBe('Succeeded');
    expect((await deployAndWait(theirs, await certsZip([{ name: 'OnlyTheirs' }]))).status).toBe('Succeeded');

    expect(asArray(await mine.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName)).toEqual(['OnlyMine']);
    expect(asArray(await tokenConnection(server, other.accessToken).metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName)).toEqual(['OnlyTheirs']);
    expect(asArray(await theirs.metadata.read('Certificate', ['OnlyMine']))).toHaveLength(0);
    const { files } = await retrieveCerts(theirs, ['OnlyTheirs']);
    // Their org's id in the subject, in its 15-character form as real orgs write it.
    const subject = new X509Certificate(files['unpackaged/certs/OnlyTheirs.crt']!).subject;
    expect(subject).toBe(`CN=OnlyTheirs\nOU=${other.id.slice(0, 15)}\nO=Salesforce.com\nL=San Francisco\nST=CA\nC=USA`);
    expect(other.id.slice(0, 15)).not.toBe(server.org.id.slice(0, 15));
  });

  it('keeps one org\'s deploy ids out of another\'s reach', async () => {
    const other = await (await adminFetch(server, `/_localforce/orgs`, { method: 'POST' })).json() as LocalforceServer['org'];
    const mine = await soapLogin(server);
    const { id } = await mine.metadata.deploy(await certsZip([{ name: 'Private' }]), { singlePackage: true });
    await expect(tokenConnection(server, other.accessToken).metadata.checkDeployStatus(id)).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
  });
});

describe('a restart', () => {
  let location: string;
  beforeAll(() => { location = mkdtempSync(join(tmpdir(), 'localforce-')); });
  afterAll(() => rmSync(location, { recursive: true, force: true }));

  it('keeps orgs, sessions, certificates with their keys, and past deploy and retrieve results', async () => {
    const first = await startTestServer({ inMemory: false, location });
    const conn = await soapLogin(first);
    const created = await (await adminFetch(first, `/_localforce/orgs`, { method: 'POST' })).json() as LocalforceServer['org'];
    const deploy = await deployAndWait(conn, await certsZip([{ name: 'Kept' }, { name: 'KeptCsr', caSigned: true }]));
    expect(deploy.status).toBe('Succeeded');
    const before = await retrieveCerts(conn);
    const retrieveId = before.result.id;
    const session = conn.accessToken!;
    await first.close();

    const second = await startTestServer({ inMemory: false, location });
    try {
      const again = tokenConnection(second, session);
      const status = await again.metadata.checkDeployStatus(deploy.id, true);
      expect(status).toEqual(expect.objectContaining({ id: deploy.id, status: 'Succeeded', done: true }));
      const after = await retrieveCerts(again);
      expect(after.files).toEqual(before.files);
      const old = await again.metadata.checkRetrieveStatus(retrieveId);
      expect(old.status).toBe('Succeeded');
      const login = await soapLogin(second, created.username, created.password);
      expect(login.userInfo?.organizationId).toBe(created.id);
      // The stored key still belongs to the certificate: a redeploy of the same content is a no-op.
      const redeploy = await deployAndWait(again, await certsZip(['Kept', 'KeptCsr'].map((name) => ({
        name, content: before.files[`unpackaged/certs/${name}.crt`], meta: before.files[`unpackaged/certs/${name}.crt-meta.xml`],
      }))));
      expect(redeploy.status).toBe('Succeeded');
    } finally {
      await second.close();
    }
  });
});

describe('a stop during a deploy', () => {
  let location: string;
  beforeAll(() => { location = mkdtempSync(join(tmpdir(), 'localforce-')); });
  afterAll(() => rmSync(location, { recursive: true, force: true }));

  it('does not wait for the deploy, commits none of it, and says so after the restart', async () => {
    const first = await startTestServer({ inMemory: false, location, keyPool: false });
    const conn = tokenConnection(first);
    const names = Array.from({ length: 8 }, (_, i) => `Stopped${i}`);
    const { id } = await conn.metadata.deploy(await certsZip(names.map((name) => ({ name, keySize: 4096 }))), { singlePackage: true });
    let status;
    do status = await conn.metadata.checkDeployStatus(id); while (status.status === 'Pending');
    await first.close();

    const second = await startTestServer({ inMemory: false, location, keyPool: false });
    try {
      const again = tokenConnection(second);
      const after = await again.metadata.checkDeployStatus(id, true);
      expect(after).toEqual(expect.objectContaining({ done: true, status: 'Failed', errorStatusCode: 'UNKNOWN_EXCEPTION' }));
      expect(after.errorMessage).toMatch(/Localforce stopped while this deploy was running; nothing was committed/);
      expect(asArray(await again.metadata.list([{ type: 'Certificate' }]))).toHaveLength(0);
    } finally {
      await second.close();
    }
  });
});
