import { existsSync, renameSync } from 'node:fs';
import type { SqlDatabase } from './sqlDatabase';
import { SqliteDatabase } from './sqlite/sqliteDatabase';
import {
  isSealed, loadOrCreateMasterKey, newMasterKey, pendingKeyFile, readMasterKey, removeIfPresent, SecretBox, writeMasterKey,
} from './secretBox';

/** Every column that holds a secret (private keys, consumer secrets, a shared store's admin token), with the context each value is sealed under. */
const SEALED_COLUMNS = [
  { table: 'private_keys', key: 'component_id', column: 'private_key_pem', context: (row: string) => `private_keys:${row}` },
  { table: 'key_pool', key: 'seq', column: 'private_key_pem', context: () => 'key_pool' },
  { table: 'connected_apps', key: 'consumer_key', column: 'consumer_secret', context: (row: string) => `connected_apps:${row}` },
  { table: 'shared_settings', key: 'name', column: 'value', context: (row: string) => `shared_settings:${row}` },
] as const;

/** The master key ids that sealed values of the store were sealed with. */
function keyIdsInUse(db: SqlDatabase): Set<string> {
  const ids = new Set<string>();
  for (const { table, column } of SEALED_COLUMNS) {
    const rows = db.prepare(`SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} LIKE 'lfenc:v1:%'`).all() as { v: string }[];
    for (const { v } of rows) ids.add(SecretBox.keyIdOf(v));
  }
  return ids;
}

/** Re-seals every private key of the store with `to` (plaintext ones from older stores too), in one transaction. */
function resealAll(db: SqlDatabase, from: SecretBox, to: SecretBox): number {
  let count = 0;
  db.transaction(() => {
    for (const { table, key, column, context } of SEALED_COLUMNS) {
      const rows = db.prepare(`SELECT ${key} AS k, ${column} AS v FROM ${table}`).all() as { k: string | number; v: string }[];
      const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`);
      for (const { k, v } of rows) {
        const ctx = context(String(k));
        if (isSealed(v) && SecretBox.keyIdOf(v) === to.current.id) continue;
        update.run(to.seal(isSealed(v) ? from.open(v, ctx) : v, ctx), k);
        count++;
      }
    }
  });
  return count;
}

/**
 * The store's SecretBox, from the master key file (made on first start). A rotation that a crash
 * cut short is settled here: committed (some key is sealed with the new key) means the new key file
 * takes the place of the old one; not committed means it is dropped. Keys stored in clear by older
 * versions are sealed now.
 */
export function openSecretBox(db: SqlDatabase, file: string | null): SecretBox {
  if (!file) return new SecretBox(newMasterKey());
  const inUse = keyIdsInUse(db);
  const pending = pendingKeyFile(file);
  if (existsSync(pending)) {
    const next = readMasterKey(pending);
    if (inUse.has(next.id)) renameSync(pending, file);
    else removeIfPresent(pending);
  }
  if (!existsSync(file) && inUse.size > 0) {
    throw new Error(`The store holds private keys sealed with master key ${[...inUse].join(', ')}, but ${file} does not exist. ` +
      'Start with --master-key-file naming the key file it was sealed with.');
  }
  const box = new SecretBox(loadOrCreateMasterKey(file));
  const foreign = [...inUse].filter((id) => id !== box.current.id);
  if (foreign.length) {
    throw new Error(`The store holds private keys sealed with master key ${foreign.join(', ')}, but ${file} holds key ${box.current.id}. ` +
      'Start with --master-key-file naming the key file it was sealed with.');
  }
  resealAll(db, box, box);
  return box;
}

/**
 * Replaces the master key: the new key is written beside the old one, every private key is
 * re-sealed with it in one durable transaction, and only then does the new key file replace the old.
 * Returns how many keys were re-sealed.
 */
export function rotateMasterKey(db: SqlDatabase, file: string): { resealed: number; keyId: string } {
  const box = openSecretBox(db, file);
  const next = newMasterKey();
  const pending = pendingKeyFile(file);
  writeMasterKey(pending, next);
  if (db instanceof SqliteDatabase) db.raw.pragma('synchronous = FULL'); // the commit must be on disk before the key file changes
  const resealed = resealAll(db, box, new SecretBox(next, [box.current]));
  renameSync(pending, file);
  return { resealed, keyId: next.id };
}
