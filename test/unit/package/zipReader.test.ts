import JSZip from 'jszip';
import { PackageLimits } from '../../../src/package/limits';
import { PackageError, readZip } from '../../../src/package/zipReader';

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

describe('readZip', () => {
  it('reads files with forward-slash paths and skips folders', async () => {
    const zip = new JSZip();
    zip.folder('certs');
    zip.file('certs/A.crt', 'a');
    zip.file('package.xml', '<Package/>');
    const { files } = await readZip(await zip.generateAsync({ type: 'nodebuffer' }));
    expect([...files.keys()].sort()).toEqual(['certs/A.crt', 'package.xml']);
    expect(files.get('certs/A.crt')!.toString()).toBe('a');
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

  it('refuses too many files', async () => {
    const zip = await zipOf({ a: '1', b: '2', c: '3' });
    const err = await rejection(readZip(zip, { ...PackageLimits, maxFiles: 2 }));
    expect(err.message).toBe('The zip file holds 3 files; the limit is 2');
  });

  it('keeps entries that climb out of the package inside it', async () => {
    // JSZip cleans such names when writing, so write a harmless one and patch it in place.
    const zip = await zipOf({ 'zz/evil.txt': 'x' });
    const patched = Buffer.from(zip.toString('latin1').split('zz/evil.txt').join('../evil.txt'), 'latin1');
    const { files } = await readZip(patched);
    expect([...files.keys()]).toEqual(['evil.txt']);
  });
});
