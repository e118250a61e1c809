import JSZip from 'jszip';
import { PackageLimits } from '../../../src/package/limits';
import { SpooledZip, ZipCollector } from '../../../src/package/spooledZip';
import { PackageError, readZip as readZipFrom } from '../../../src/package/zipReader';

const zipOf = async (files: Record<string, string | Buffer>) => {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as PackageError;
  }
  throw new Error('expected readZip to fail');
};

const spools: SpooledZip[] = [];
/** The same bytes as a large deploy's zip holds them: written to a temporary file. */
function spooled(zip: Buffer): SpooledZip {
  const spool = new SpooledZip();
  spool.append(zip);
  spools.push(spool);
  return spool;
}
afterAll(() => spools.forEach((s) => s.discard()));

describe.each([
  ['in memory', (zip: Buffer) => zip],
  ['spooled to a file', spooled],
])('readZip of a zip %s', (_, source) => {
  const readZip = (zip: Buffer, limits?: typeof PackageLimits) => readZipFrom(source(zip), limits);

  it('reads files with forward-slash paths and skips folders', async () => {
    const zip = new JSZip();
    zip.folder('certs');
    zip.file('certs/A.crt', 'a');
    zip.file('package.xml', '<Package/>');
    const { files } = await readZip(await zip.generateAsync({ type: 'nodebuffer' }));
    expect([...files.keys()].sort()).toEqual(['certs/A.crt', 'package.xml']);
    expect(files.get('certs/A.crt')!.toString()).toBe('a');
  });

  it('reads thousands of files', async () => {
    const names = Array.from({ length: 5000 }, (_, i) => `classes/C${i}.cls`);
    const { files } = await readZip(await zipOf(Object.fromEntries(names.map((n) => [n, n]))));
    expect(files.size).toBe(5000);
    expect(files.get('classes/C4999.cls')!.toString()).toBe('classes/C4999.cls');
  });

  it('gives each small file memory of its own, stored or deflated, never a slice of a shared slab', async () => {
    const zip = new JSZip();
    zip.file('classes/Stored.cls', 'public class Stored {}', { compression: 'STORE' });
    zip.file('classes/Deflated.cls', 'public class Deflated {}'.repeat(20), { compression: 'DEFLATE' });
    const { files } = await readZip(await zip.generateAsync({ type: 'nodebuffer' }));
    for (const bytes of files.values()) expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('refuses an empty buffer and a zip without files', async () => {
    expect((await rejection(readZip(Buffer.alloc(0)))).message).toBe('No zip file content passed in');
    expect((await rejection(readZip(await new JSZip().generateAsync({ type: 'nodebuffer' })))).message).toBe('No zip file content passed in');
  });

  it('refuses what is not a zip', async () => {
    const err = await rejection(readZip(Buffer.from('plain text')));
    expect(err).toBeInstanceOf(PackageError);
    expect(err.statusCode).toBe('INVALID_OPERATION');
    expect(err.message).toMatch(/^The zip file could not be read/);
  });

  it('refuses a zip over the compressed size limit before opening it', async () => {
    const zip = await zipOf({ 'a.txt': 'x'.repeat(1000) });
    const err = await rejection(readZip(zip, { ...PackageLimits, maxZipBytes: zip.length - 1 }));
    expect(err.message).toMatch(/the limit for a deploy is/);
  });

  it('refuses a zip whose declared uncompressed size is over the limit, before inflating', async () => {
    const zip = await zipOf({ 'big.txt': Buffer.alloc(200_000) });
    expect(zip.length).toBeLessThan(10_000);
    const err = await rejection(readZip(zip, { ...PackageLimits, maxUncompressedBytes: 100_000 }));
    expect(err.message).toBe('The zip file holds 200000 bytes uncompressed; the limit is 100000 bytes');
  });

  it('refuses too many files, without reading past the limit', async () => {
    const zip = await zipOf({ a: '1', b: '2', c: '3' });
    const err = await rejection(readZip(zip, { ...PackageLimits, maxFiles: 2 }));
    expect(err.message).toBe('The zip file holds more than 2 files; the limit is 2');
  });

  describe('entry names', () => {
    // JSZip cleans unusual names when writing, so write a harmless one of the same length and patch it in place.
    const withName = async (name: Buffer) => {
      const placeholder = 'z'.repeat(name.length);
      const zip = await zipOf({ [placeholder]: 'x', 'package.xml': '<Package/>' });
      return Buffer.from(zip.toString('latin1').split(placeholder).join(name.toString('latin1')), 'latin1');
    };

    it.each([
      ['../evil.txt', 'has an empty, "." or ".." step: entries must stay inside the package'],
      ['certs/../../x', 'has an empty, "." or ".." step: entries must stay inside the package'],
      ['/etc/passwd', 'is an absolute path: entries must be relative to the package root'],
      ['C:/Windows/x', 'is an absolute path: entries must be relative to the package root'],
      ['certs\\A.crt', 'has a backslash: zip entry names use forward slashes'],
    ])('refuses %s', async (name, problem) => {
      const err = await rejection(readZip(await withName(Buffer.from(name))));
      expect(err.message).toBe(`The zip entry ${JSON.stringify(name)} ${problem}`);
    });

    it('refuses a name that is not UTF-8', async () => {
      const err = await rejection(readZip(await withName(Buffer.from([0x63, 0x65, 0x72, 0x74, 0xff, 0xfe]))));
      expect(err.message).toMatch(/^The zip entry name "cert.." is not valid UTF-8: zip the package again with UTF-8 file names$/);
    });

    it('reads UTF-8 names, and ./ as the root', async () => {
      const { files } = await readZip(await zipOf({ 'staticresources/café.resource': 'x', './package.xml': '<Package/>' }));
      expect([...files.keys()].sort()).toEqual(['package.xml', 'staticresources/café.resource']);
    });

    it('refuses the same path twice', async () => {
      const zip = await zipOf({ 'certs/A.crt': 'a', 'certs/B.crt': 'b' });
      const patched = Buffer.from(zip.toString('latin1').split('certs/B.crt').join('certs/A.crt'), 'latin1');
      expect((await rejection(readZip(patched))).message).toBe('The zip file holds certs/A.crt twice');
    });
  });

  describe('sizes', () => {
    /** Offsets of an entry's declared uncompressed size: in its local header and in the central directory. */
    const sizeFields = (zip: Buffer, name: string) => {
      const local = zip.indexOf(name, 0, 'latin1');
      const central = zip.indexOf(name, local + 1, 'latin1');
      return { local: local - 30 + 22, central: central - 46 + 24 };
    };

    it('refuses an entry that inflates past the size it declares, before inflating it in full', async () => {
      // 64 MB of zeros deflate to about 64 KB; the headers are patched to declare 1,000 bytes.
      const zip = await zipOf({ 'big.bin': Buffer.alloc(64 * 1024 * 1024), 'package.xml': '<Package/>' });
      const { local, central } = sizeFields(zip, 'big.bin');
      zip.writeUInt32LE(1000, local);
      zip.writeUInt32LE(1000, central);
      const err = await rejection(readZip(zip));
      expect(err.message).toBe('The zip entry big.bin inflates to more than the 1000 bytes its header declares');
    });

    it('refuses an entry shorter than it declares, and one whose checksum is wrong', async () => {
      const zip = await zipOf({ 'a.txt': 'hello hello hello', 'package.xml': '<Package/>' });
      const short = Buffer.from(zip);
      const { local, central } = sizeFields(short, 'a.txt');
      short.writeUInt32LE(18, local);
      short.writeUInt32LE(18, central);
      expect((await rejection(readZip(short))).message).toBe('The zip entry a.txt holds 17 bytes, not the 18 its header declares');
      const damaged = Buffer.from(zip);
      const crc = sizeFields(damaged, 'a.txt').central - 24 + 16;
      damaged.writeUInt32LE((damaged.readUInt32LE(crc) ^ 1) >>> 0, crc);
      expect((await rejection(readZip(damaged))).message).toBe('The zip entry a.txt is damaged: its checksum does not match');
    });

    it('refuses entries that share their data (a zip bomb that repeats one entry)', async () => {
      const zip = await zipOf({ 'aaaa.txt': 'x'.repeat(100), 'bbbb.txt': 'x'.repeat(100) });
      const first = zip.indexOf('aaaa.txt', zip.indexOf('aaaa.txt', 0, 'latin1') + 1, 'latin1');
      const second = zip.indexOf('bbbb.txt', zip.indexOf('bbbb.txt', 0, 'latin1') + 1, 'latin1');
      zip.writeUInt32LE(zip.readUInt32LE(first - 4), second - 4); // the second entry's local header offset := the first's
      expect((await rejection(readZip(zip))).message).toBe('The zip file has entries that share their data: it is not a package a zip tool writes');
    });
  });
});

describe('a spooled zip', () => {
  it('reads back what was appended, by range and whole, and is gone once discarded', () => {
    const spool = new SpooledZip();
    spool.append(Buffer.from('hello '));
    spool.append(Buffer.from('world'));
    expect(spool.length).toBe(11);
    expect(spool.read(6, 100).toString()).toBe('world');
    expect(spool.bytes().toString()).toBe('hello world');
    spool.discard();
    spool.discard();
    expect(() => spool.read(0, 1)).toThrow('already discarded');
  });

  it('says what it was for when the temporary folder cannot take it', () => {
    expect(() => new SpooledZip('/nonexistent/localforce-tmp'))
      .toThrow(/^The deploy's zip could not be written to a temporary file in \/nonexistent\/localforce-tmp: ENOENT/);
  });
});

describe('a zip gathered as it arrives', () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  it('stays in memory while small, and goes to a temporary file past the spooling size, with the same bytes', () => {
    const small = new ZipCollector(0, 2000);
    for (let i = 0; i < 1000; i += 100) small.append(bytes.subarray(i, i + 100));
    expect(Buffer.isBuffer(small.zip) && small.zip.equals(bytes)).toBe(true);

    const large = new ZipCollector(0, 500);
    for (let i = 0; i < 1000; i += 100) large.append(bytes.subarray(i, i + 100));
    const spooled = large.zip as SpooledZip;
    expect(spooled).toBeInstanceOf(SpooledZip);
    expect(spooled.bytes().equals(bytes)).toBe(true);
    large.discard();
    expect(() => spooled.bytes()).toThrow('already discarded');
  });

  it('goes to a file from the start when the size it announces is past the spooling size', () => {
    const announced = new ZipCollector(5000, 2000);
    announced.append(bytes.subarray(0, 10));
    expect(announced.zip).toBeInstanceOf(SpooledZip);
    announced.discard();
    expect(new ZipCollector().zip).toEqual(Buffer.alloc(0));
  });
});
