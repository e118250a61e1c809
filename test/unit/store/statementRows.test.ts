/**
 * A statement's rows(): each row as an array of its values in the order the columns are selected, as
 * listings read thousands of rows. On SQLite, and on PostgreSQL with LOCALFORCE_TEST_STORE=postgres.
 */
import { openSqliteDatabase } from '../../../src/store/sqlite/sqliteDatabase';
import { PostgresDatabase } from '../../../src/store/postgres/postgresDatabase';
import type { SqlDatabase } from '../../../src/store/sqlDatabase';
import { newPostgresStore, SUITES_ON_POSTGRES } from '../../support/postgres';

let db: SqlDatabase;
beforeEach(async () => {
  db = SUITES_ON_POSTGRES ? PostgresDatabase.open((await newPostgresStore()).url) : openSqliteDatabase(null);
});
afterEach(() => db.close());

it('gives each row as its values in the order selected, blobs as Buffers, and the same rows as all()', () => {
  db.prepare("INSERT INTO orgs (id, name, created_date) VALUES ('00D1', 'b', '2026-01-02'), ('00D2', 'a', '2026-01-01')").run();
  db.prepare("INSERT INTO deploys (id, org_id, created_date, result, options, zip) VALUES ('0Af1', '00D1', 'x', '{}', '{}', ?)").run(Buffer.from([0, 1, 255]));
  const select = db.prepare('SELECT name, created_date, id FROM orgs ORDER BY name');
  expect(select.rows()).toEqual([['a', '2026-01-01', '00D2'], ['b', '2026-01-02', '00D1']]);
  expect(select.all()).toEqual([{ name: 'a', created_date: '2026-01-01', id: '00D2' }, { name: 'b', created_date: '2026-01-02', id: '00D1' }]);
  // The same statement keeps answering as objects after its rows were asked as arrays, and takes parameters.
  expect(db.prepare('SELECT zip, org_id FROM deploys WHERE id = ?').rows('0Af1')).toEqual([[Buffer.from([0, 1, 255]), '00D1']]);
  expect(Buffer.isBuffer(db.prepare('SELECT zip FROM deploys').rows()[0]![0])).toBe(true);
  expect(select.get()).toEqual({ name: 'a', created_date: '2026-01-01', id: '00D2' });
  expect(db.prepare('SELECT id FROM orgs WHERE name = ?').rows('none')).toEqual([]);
});
