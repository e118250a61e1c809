import { PART_BYTES } from '../soap/partedBytes';

/**
 * Gathers a zip's bytes, as the writer streams them out, into parts of PART_BYTES and hands each full
 * part to `save`: what is held at once is one part, whatever the zip's size. `save` must have copied
 * the part when it returns (both stores do: SQLite binds a copy, PostgreSQL's thread gets a clone), as
 * the same buffer is filled again.
 */
export class ZipPartsWriter {
  private readonly part = Buffer.allocUnsafe(PART_BYTES);
  private filled = 0;
  private saved = 0;

  constructor(private readonly save: (seq: number, bytes: Buffer) => void) {}

  write(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length;) {
      const n = Math.min(chunk.length - at, PART_BYTES - this.filled);
      this.part.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === PART_BYTES) {
        this.save(this.saved++, this.part);
        this.filled = 0;
      }
    }
  }

  /** Saves the last part, if any bytes wait. */
  end(): void {
    if (this.filled) this.save(this.saved++, this.part.subarray(0, this.filled));
    this.filled = 0;
  }
}
