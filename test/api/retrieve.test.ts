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

  it('faults an unknown retrieve id', async () => {
    await expect(conn.metadata.checkRetrieveStatus('09S000000000001AAA')).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
  });
});
