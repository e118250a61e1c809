/**
 * Starting on a PostgreSQL store: what is refused, and how each refusal reads, before anything listens.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { startLocalforce } from '../../src';
import { newPostgresStore, requirePostgres } from '../support/postgres';

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a server on a PostgreSQL store', () => {
  it('needs the master key file every server of the store shares', async () => {
    const { url } = await newPostgresStore();
    await expect(startLocalforce({ port: 0, store: url })).rejects.toThrow(/PostgreSQL store needs --master-key-file/);
  });

  it('refuses a server whose master key is not the one the store was sealed with', async () => {
    const { url, masterKeyFile } = await newPostgresStore();
    const first = await startLocalforce({ port: 0, store: url, masterKeyFile, keyPool: false });
    try {
      const other = (await newPostgresStore()).masterKeyFile;
      await expect(startLocalforce({ port: 0, store: url, masterKeyFile: other, keyPool: false }))
        .rejects.toThrow(/sealed with master key \w+, but .* does not exist/);
      writeFileSync(other, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      await expect(startLocalforce({ port: 0, store: url, masterKeyFile: other, keyPool: false }))
        .rejects.toThrow(/sealed with master key \w+, but .* holds key \w+/);
    } finally {
      await first.close();
    }
  });

  it('says why when PostgreSQL cannot be reached, or the database does not exist', async () => {
    const { masterKeyFile } = await newPostgresStore();
    const port = await closedPort();
    await expect(startLocalforce({ port: 0, store: `postgres://localforce@127.0.0.1:${port}/localforce`, masterKeyFile }))
      .rejects.toThrow(new RegExp(`PostgreSQL: connect ECONNREFUSED 127.0.0.1:${port}`));
    const missing = new URL(requirePostgres());
    missing.pathname = '/no_such_database';
    await expect(startLocalforce({ port: 0, store: missing.toString(), masterKeyFile })).rejects.toThrow(/database "no_such_database" does not exist/);
  });

  it('says where its state is kept, without the password', async () => {
    const { url, masterKeyFile } = await newPostgresStore();
    const withPassword = new URL(url);
    withPassword.password = 'not-shown';
    const server = await startLocalforce({ port: 0, store: withPassword.toString(), masterKeyFile, keyPool: false });
    try {
      expect(server.store).toBe(`PostgreSQL at ${withPassword.host}${withPassword.pathname}, shared`);
      expect(server.store).not.toContain('not-shown');
    } finally {
      await server.close();
    }
  });
});
