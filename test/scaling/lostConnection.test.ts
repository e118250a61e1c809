/**
 * A server whose PostgreSQL connection is cut (a database restart, an administrator ending sessions)
 * goes on: calls between statements reconnect unseen, and deploys commit whole.
 */
import { Client } from 'pg';
import { startLocalforce, type LocalforceServer } from '../../src';
import { asArray, certsZip, deployAndWait, tokenConnection } from '../support/localforce';
import { newPostgresStore } from '../support/postgres';

let server: LocalforceServer;
let admin: Client;
let database: string;

beforeAll(async () => {
  const { url, masterKeyFile } = await newPostgresStore();
  database = new URL(url).pathname.slice(1);
  server = await startLocalforce({ port: 0, store: url, masterKeyFile, keyPool: false });
  admin = new Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await server?.close();
});

/** Ends every session the server holds on its database, as pg_terminate_backend from an administrator does. */
async function cutConnections(): Promise<number[]> {
  const { rows } = await admin.query(
    "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'localforce'", [database]);
  return rows.map((r: { pid: number }) => r.pid);
}

describe('a server whose PostgreSQL connection is cut', () => {
  it('answers the next calls on a new connection, and deploys as before', async () => {
    const conn = tokenConnection(server);
    const first = await deployAndWait(conn, await certsZip([{ name: 'Before_Cut' }]));
    expect(first.status).toBe('Succeeded');

    const cut = await cutConnections();
    expect(cut.length).toBeGreaterThan(0);
    const listed = asArray(await conn.metadata.list([{ type: 'Certificate' }], '66.0')).map((c) => c.fullName);
    expect(listed).toEqual(['Before_Cut']);

    await cutConnections();
    const second = await deployAndWait(conn, await certsZip([{ name: 'After_Cut' }]));
    expect(second).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 1 });
    const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'localforce'", [database]);
    expect(rows.map((r: { pid: number }) => r.pid)).not.toEqual(expect.arrayContaining(cut));
    expect(asArray(await conn.metadata.list([{ type: 'Certificate' }], '66.0')).map((c) => c.fullName).sort()).toEqual(['After_Cut', 'Before_Cut']);
  });
});
