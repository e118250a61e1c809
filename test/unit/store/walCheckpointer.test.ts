import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../../src/store/sqlite/sqliteDatabase';

const waitFor = async (done: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the SQLite store copies its write-ahead log beside the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a large commit in the log, then copies it into the file on its own thread', async () => {
    const db = openSqliteDatabase(dir);
    try {
      const file = join(dir, 'localforce.sqlite');
      db.raw.exec('CREATE TABLE blobs (b BLOB)');
      const before = statSync(file).size;
      db.transaction(() => { for (let i = 0; i < 64; i++) db.raw.prepare('INSERT INTO blobs VALUES (?)').run(Buffer.alloc(64 * 1024, i)); });
      // The commit itself did not copy the 4 MB into the file (SQLite's default would have, past 1,000 pages)...
      expect(statSync(file).size).toBeLessThan(before + 1024 * 1024);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
      // ...the checkpoint thread does, shortly after.
      await waitFor(() => statSync(file).size > before + 4 * 1024 * 1024);
      expect((db.raw.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(64);
    } finally {
      db.close();
    }
  });
});
