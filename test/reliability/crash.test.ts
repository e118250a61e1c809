/**
 * kill -9 in the middle of deploys: the real server process is killed at varied moments of a deploy
 * that makes keys, then started again on the same location (taking over the lock the dead process
 * left). Every deploy must be either wholly there or wholly absent, reported as Succeeded or as
 * Failed "nothing was committed", and SQLite's integrity and foreign key checks must pass.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certsZip } from '../support/localforce';
import { certificateNames, deployStatus, soapCall } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type ServerProcess } from './support/serverProcess';

const ROUNDS = Number(process.env.LOCALFORCE_CRASH_ROUNDS ?? 8);
const CERTS_PER_DEPLOY = 8;
let location: string;
beforeAll(() => { location = mkdtempSync(join(tmpdir(), 'lf-crash-')); });
afterAll(() => { rmSync(location, { recursive: true, force: true }); });

const soap = (server: ServerProcess, body: string) => soapCall(server, server.org.accessToken, body);
const status = (server: ServerProcess, id: string) => deployStatus(server, server.org.accessToken, id);

describe('kill -9 during deploys', () => {
  it(`leaves every deploy whole or absent, and the store intact, over ${ROUNDS} rounds`, async () => {
    const outcomes: Record<string, number> = {};
    const deploys: { id: string; names: string[] }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // No key pool: each certificate's key is made during the deploy, so the deploy lasts long enough to be cut.
      const server = await startServerProcess({ location, keyPoolSize: 0 });
      const names = Array.from({ length: CERTS_PER_DEPLOY }, (_, i) => `Crash_${round}_${i}`);
      const zip = await certsZip(names.map((name) => ({ name })));
      const answer = await soap(server, `<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><singlePackage>true</singlePackage><rollbackOnError>true</rollbackOnError></DeployOptions></deploy>`);
      const id = /<id>([^<]+)<\/id>/.exec(answer.text)![1]!;
      deploys.push({ id, names });
      if (round === ROUNDS - 1) {
        // The last one is killed right after it ends: what was committed must stay.
        while (!/<done>true<\/done>/.test(await status(server, id))) await new Promise((r) => setTimeout(r, 20));
      } else {
        // From right after the submit to well into key generation.
        await new Promise((r) => setTimeout(r, (round * 2000) / ROUNDS));
      }
      await server.kill9();
    }
    const server = await startServerProcess({ location, keyPoolSize: 0 });
    try {
      const present = new Set(await certificateNames(server, server.org.accessToken));
      for (const { id, names } of deploys) {
        const text = await status(server, id);
        const state = /<status>([^<]+)<\/status>/.exec(text)![1]!;
        outcomes[state] = (outcomes[state] ?? 0) + 1;
        const there = names.filter((n) => present.has(n));
        if (state === 'Succeeded') expect({ id, there }).toEqual({ id, there: names });
        else {
          expect({ id, state, there }).toEqual({ id, state: 'Failed', there: [] });
          expect(text).toContain('Localforce stopped while this deploy was running; nothing was committed');
        }
      }
    } finally {
      await server.stop();
    }
    const db = new Database(join(location, 'localforce.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Every certificate committed has its private key, and no key is left without its certificate.
      const orphans = db.prepare(`SELECT
        (SELECT count(*) FROM components c LEFT JOIN private_keys k ON k.component_id = c.id WHERE c.type = 'Certificate' AND k.component_id IS NULL) AS keyless,
        (SELECT count(*) FROM private_keys k LEFT JOIN components c ON c.id = k.component_id WHERE c.id IS NULL) AS orphanKeys`).get();
      expect(orphans).toEqual({ keyless: 0, orphanKeys: 0 });
    } finally {
      db.close();
    }
    expect(readFileSync(join(location, 'master.key'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    recordFigures('crash', { rounds: ROUNDS, certificatesPerDeploy: CERTS_PER_DEPLOY, outcomes, integrityCheck: 'ok' });
  }, 300_000);
});
