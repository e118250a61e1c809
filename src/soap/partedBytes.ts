/**
 * Bytes kept in parts and read one part at a time as they are written out (a retrieve's zip, which the
 * store keeps in parts: src/store/retrieveZipParts.ts). Every part but the last is a whole number of
 * 3-byte groups, so that the base64 texts of the parts, one after the other, are the base64 of the whole.
 */
export class PartedBytes {
  constructor(readonly parts: () => Iterable<Buffer>) {}
}

/** The part size the writers of parted bytes use: 960 KiB, a whole number of 3-byte groups. */
export const PART_BYTES = 960 * 1024;

/** The parts of bytes, in order: a Buffer is its own one part. */
export const partsOf = (bytes: Buffer | PartedBytes): Iterable<Buffer> => (Buffer.isBuffer(bytes) ? [bytes] : bytes.parts());
