import { startLocalforce, type LocalforceServer } from '../../src';
import { adminFetch, asArray, tokenConnection } from '../support/localforce';
import { newPostgresStore } from '../support/postgres';

/*
 * Two servers on one PostgreSQL store change the same scratch org at once: every change still takes its
 * own number of the org's one RevisionCounter, with none skipped and none given twice.
 */

let servers: LocalforceServer[] = [];

beforeAll(async () => {
  const { url, masterKeyFile } = await newPostgresStore();
  servers = await Promise.all([0, 1].map(() => startLocalforce({ port: 0, store: url, masterKeyFile, keyPool: false })));
});
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

it('numbers the changes of one scratch org made through two servers from one counter', async () => {
  const [a, b] = servers as [LocalforceServer, LocalforceServer];
  const res = await adminFetch(a, `/_localforce/orgs/${a.org.id}/scratch-orgs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(201);
  const { accessToken } = await res.json() as { accessToken: string };
  const label = (name: string) => ({ fullName: name, language: 'en_US', protected: false, shortDescription: name, value: name });
  const calls = [a, b].flatMap((server, s) => Array.from({ length: 8 }, (_v, i) => tokenConnection(server, accessToken)
    .metadata.create('CustomLabel', [label(`S${s}_${i}_A`), label(`S${s}_${i}_B`)] as never)));
  for (const results of await Promise.all(calls)) expect(asArray(results as { success: boolean }[]).every((r) => r.success)).toBe(true);

  const rows = await tokenConnection(b, accessToken).tooling.query<{ MemberName: string; RevisionCounter: number }>(
    'SELECT MemberName, RevisionCounter FROM SourceMember WHERE RevisionCounter > 0', { autoFetch: true });
  expect(rows.records).toHaveLength(32);
  expect(rows.records.map((r) => r.RevisionCounter).sort((x, y) => x - y)).toEqual(Array.from({ length: 32 }, (_v, i) => i + 1));
});
