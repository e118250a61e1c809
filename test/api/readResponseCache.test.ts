import { adminFetch, certsZip, deployAndWait, soapLogin, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer({ keyPool: false }); });
afterAll(async () => { await server.close(); });

const listRequest = (sessionId: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${sessionId}</sessionId></SessionHeader></soapenv:Header>` +
  `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><listMetadata><queries><type>Certificate</type></queries><asOfVersion>66.0</asOfVersion></listMetadata></soapenv:Body></soapenv:Envelope>`;

async function list(sessionId: string) {
  const res = await fetch(`${server.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body: listRequest(sessionId) });
  const text = await res.text();
  return { status: res.status, names: [...text.matchAll(/<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]), text };
}

describe('repeated read-only requests', () => {
  it('see every change to the org as soon as it is committed', async () => {
    const conn = await soapLogin(server);
    expect((await list(conn.accessToken!)).names).toEqual([]);
    expect((await list(conn.accessToken!)).names).toEqual([]);
    await deployAndWait(conn, await certsZip([{ name: 'First' }]));
    expect((await list(conn.accessToken!)).names).toEqual(['First']);
    await conn.metadata.rename('Certificate', 'First', 'Renamed');
    expect((await list(conn.accessToken!)).names).toEqual(['Renamed']);
    await conn.metadata.delete('Certificate', ['Renamed']);
    expect((await list(conn.accessToken!)).names).toEqual([]);
  });

  it('are refused once their session has ended', async () => {
    const conn = await soapLogin(server);
    const token = conn.accessToken!;
    expect((await list(token)).status).toBe(200);
    await conn.logout();
    const after = await list(token);
    expect(after.status).toBe(500);
    expect(after.text).toContain('sf:INVALID_SESSION_ID');
  });

  it('never answer one org with another org\'s components', async () => {
    const other = await (await adminFetch(server, `/_localforce/orgs`, { method: 'POST' })).json() as LocalforceServer['org'];
    await deployAndWait(tokenConnection(server), await certsZip([{ name: 'DefaultOrgOnly' }]));
    expect((await list(server.org.accessToken)).names).toContain('DefaultOrgOnly');
    expect((await list(other.accessToken)).names).toEqual([]);
  });
});
