import { randomBytes } from 'node:crypto';
import { ZipPartsWriter } from '../../../src/jobs/zipParts';
import { PART_BYTES } from '../../../src/soap/partedBytes';

describe('ZipPartsWriter', () => {
  it.each([1, 1000, PART_BYTES - 1, PART_BYTES, PART_BYTES + 7, 3 * PART_BYTES])('cuts chunks of %i bytes into whole parts, the last one shorter', (chunkSize) => {
    const whole = randomBytes(2 * PART_BYTES + 12_345);
    const saved: [number, Buffer][] = [];
    // The writer fills the same buffer again once a part is saved: a store copies it, as this does.
    const parts = new ZipPartsWriter((seq, bytes) => saved.push([seq, Buffer.from(bytes)]));
    for (let at = 0; at < whole.length; at += chunkSize) parts.write(whole.subarray(at, at + chunkSize));
    parts.end();
    expect(saved.map(([seq, bytes]) => [seq, bytes.length])).toEqual([[0, PART_BYTES], [1, PART_BYTES], [2, 12_345]]);
    expect(Buffer.concat(saved.map(([, bytes]) => bytes)).equals(whole)).toBe(true);
    expect(PART_BYTES % 3).toBe(0); // so that the parts' base64 texts join into the whole's
  });

  it('saves nothing for nothing', () => {
    const saved: number[] = [];
    const parts = new ZipPartsWriter((seq) => saved.push(seq));
    parts.end();
    expect(saved).toEqual([]);
  });
});
