import { Repository } from './repository';

/**
 * A retrieve's zip, kept in parts as it is written (src/jobs/zipParts.ts) and read back one part at a
 * time as the answer goes out: a zip at the 39 MB limit is never one buffer, neither when made nor when
 * sent. Parts go with their retrieve (ON DELETE CASCADE).
 */
export class RetrieveZipPartRepository extends Repository {
  append(retrieveId: string, seq: number, bytes: Buffer): void {
    this.sql('INSERT INTO retrieve_zip_parts (retrieve_id, seq, bytes) VALUES (?, ?, ?)').run(retrieveId, seq, bytes);
  }

  /** Whether a retrieve's zip is kept in parts (retrieves before parts kept their zip whole, in their row). */
  has(retrieveId: string): boolean {
    return !!this.sql('SELECT 1 AS found FROM retrieve_zip_parts WHERE retrieve_id = ? AND seq = 0').get(retrieveId);
  }

  /** The parts in order, each read when the one before has been used. */
  *parts(retrieveId: string): Iterable<Buffer> {
    for (let seq = 0; ; seq++) {
      const row = this.sql('SELECT bytes FROM retrieve_zip_parts WHERE retrieve_id = ? AND seq = ?').get(retrieveId, seq) as { bytes: Buffer } | undefined;
      if (!row) return;
      yield row.bytes;
    }
  }

  /** A retrieve that failed after writing some of its zip. */
  delete(retrieveId: string): void {
    this.sql('DELETE FROM retrieve_zip_parts WHERE retrieve_id = ?').run(retrieveId);
  }
}
