import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the tests may use: scripts/with-postgres.sh starts a private one and sets it. */
export const TEST_POSTGRES = process.env.LOCALFORCE_TEST_POSTGRES || undefined;

/**
 * LOCALFORCE_TEST_STORE=postgres: every test server that would keep its store in memory gets a new
 * database of its own on that server instead, so the same suites check both stores.
 */
export const SUITES_ON_POSTGRES = process.env.LOCALFORCE_TEST_STORE === 'postgres';

/** The PostgreSQL server the tests need, or a clear failure: these tests never pass by being skipped. */
export function requirePostgres(): string {
  if (!TEST_POSTGRES) {
    throw new Error('LOCALFORCE_TEST_POSTGRES is not set: run these tests through scripts/with-postgres.sh (npm test does), which starts a private PostgreSQL');
  }
  return TEST_POSTGRES;
}

/** A new, empty database on the test server, and a master key file for the servers that share it. */
export async function newPostgresStore(): Promise<{ url: string; masterKeyFile: string }> {
  const server = requirePostgres();
  const name = `lf_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), masterKeyFile: join(mkdtempSync(join(tmpdir(), 'lf-pg-key-')), 'master.key') };
}
