import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { asArray, certsZip, deployAndWait, retrieveCerts, soapLogin, startTestServer, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
let conn: Connection;
beforeAll(async () => {
  server = await startTestServer();
  conn = await soapLogin(server);
  const result = await deployAndWait(conn, await certsZip([{ name: 'Alpha' }, { name: 'Beta', caSigned: true }]));
  expect(result.status).toBe('Succeeded');
});
afterAll(async () => { await server.close(); });

describe('retrieve', () => {
  it('returns the unpackaged layout with a manifest, and fileProperties for each component and the manifest', async () => {
    const { result, files } = await retrieveCerts(conn, ['*']);
    expect(result.status).toBe('Succeeded');
    expect(Object.keys(files).sort()).toEqual([
      'unpackaged/certs/Alpha.crt', 'unpackaged/certs/Alpha.crt-meta.xml', 'unpackaged/certs/Beta.crt', 'unpackaged/certs/Beta.crt-meta.xml', 'unpackaged/package.xml',
    ]);
    expect(files['unpackaged/package.xml']).toContain('<members>Alpha</members>');
    expect(files['unpackaged/package.xml']).toContain('<version>66.0</version>');
    const props = asArray(result.fileProperties);
    expect(props.map((p) => p.fileName).sort()).toEqual(['unpackaged/certs/Alpha.crt', 'unpackaged/certs/Beta.crt', 'unpackaged/package.xml']);
    expect(props.find((p) => p.type === 'Package')).toEqual(expect.objectContaining({ fullName: 'unpackaged/package.xml', id: '', manageableState: 'unmanaged' }));
    expect(props.find((p) => p.fullName === 'Alpha')).toEqual(expect.objectContaining({ type: 'Certificate', id: expect.stringMatching(/^\w{18}$/) }));
  });

  it('puts files at the root with singlePackage', async () => {
    const { files } = await retrieveCerts(conn, ['Alpha'], { singlePackage: true });
    expect(Object.keys(files).sort()).toEqual(['certs/Alpha.crt', 'certs/Alpha.crt-meta.xml', 'package.xml']);
  });

  it('reports a missing member with a message and still succeeds', async () => {
    const { result, files } = await retrieveCerts(conn, ['Alpha', 'Nope']);
    expect(result.status).toBe('Succeeded');
    expect(asArray(result.messages)).toEqual([{ fileName: 'unpackaged/package.xml', problem: "Entity of type 'Certificate' named 'Nope' cannot be found" }]);
    expect(Object.keys(files)).toContain('unpackaged/certs/Alpha.crt');
  });

  it('finds names regardless of case, as an org does', async () => {
    const { files } = await retrieveCerts(conn, ['alpha']);
    expect(Object.keys(files)).toContain('unpackaged/certs/Alpha.crt');
  });

  it('returns a zip of several parts whole, byte for byte (a static resource no deflate shrinks)', async () => {
    const resource = randomBytes(2_500_000); // about three of the store's parts
    const deployZip = new JSZip();
    deployZip.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Noise</members><name>StaticResource</name></types><version>66.0</version></Package>');
    deployZip.file('staticresources/Noise.resource', resource);
    deployZip.file('staticresources/Noise.resource-meta.xml', '<?xml version="1.0" encoding="UTF-8"?><StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><cacheControl>Private</cacheControl><contentType>application/octet-stream</contentType></StaticResource>');
    expect((await deployAndWait(conn, await deployZip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))).status).toBe('Succeeded');
    const result = await conn.metadata.retrieve({ apiVersion: '66.0', unpackaged: { types: [{ name: 'StaticResource', members: ['Noise'] }], version: '66.0' } } as never).complete();
    const zip = Buffer.from(result.zipFile as string, 'base64');
    expect(zip.length).toBeGreaterThan(2 * 960 * 1024);
    const retrieved = await (await JSZip.loadAsync(zip)).file('unpackaged/staticresources/Noise.resource')!.async('nodebuffer');
    expect(retrieved.equals(resource)).toBe(true);
  });

  it('faults an unknown retrieve id', async () => {
    await expect(conn.metadata.checkRetrieveStatus('09S000000000001AAA')).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
  });
});
