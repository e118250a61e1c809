import type { SqlDatabase } from './sqlDatabase';
import { Repository } from './repository';
import type { SecretBox } from './secretBox';

/** RSA private keys made ahead of time, sealed under the master key; each is handed out once and deleted as it is taken. */
export class KeyPoolRepository extends Repository {
  constructor(db: SqlDatabase, private readonly box: SecretBox) {
    super(db);
  }

  count(bits: number): number {
    return (this.sql('SELECT count(*) AS n FROM key_pool WHERE bits = ?').get(bits) as { n: number }).n;
  }

  /** The key sizes with at least one key waiting. */
  sizes(): number[] {
    return (this.sql('SELECT DISTINCT bits FROM key_pool ORDER BY bits').all() as { bits: number }[]).map((r) => r.bits);
  }

  add(bits: number, privateKeyPem: string): void {
    this.sql('INSERT INTO key_pool (bits, private_key_pem) VALUES (?, ?)').run(bits, this.box.seal(privateKeyPem, 'key_pool'));
  }

  take(bits: number, max: number): string[] {
    // Each key is deleted as it is read; on a shared store, keys another server is taking are skipped, not waited for.
    const rows = this.sql({
      sqlite: 'DELETE FROM key_pool WHERE seq IN (SELECT seq FROM key_pool WHERE bits = ? ORDER BY seq LIMIT ?) RETURNING private_key_pem',
      postgres: 'DELETE FROM key_pool WHERE seq IN (SELECT seq FROM key_pool WHERE bits = ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING private_key_pem',
    }).all(bits, max) as { private_key_pem: string }[];
    return rows.map((r) => this.box.open(r.private_key_pem, 'key_pool'));
  }
}
