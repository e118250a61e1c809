import { Connection } from 'jsforce';
import { startTestServer, soapLogin, tokenConnection, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

describe('login', () => {
  it('logs jsforce in over SOAP and gives a session of the 00D…!… form', async () => {
    const conn = await soapLogin(server);
    expect(conn.accessToken).toMatch(/^00D000000000001AAA![.\w]+$/);
    expect(conn.accessToken).not.toBe(server.org.accessToken);
    expect(conn.instanceUrl).toBe(server.url);
    expect(conn.userInfo).toEqual(expect.objectContaining({ id: server.org.userId, organizationId: server.org.id }));
    const described = await conn.metadata.describe('66.0');
    expect(described.metadataObjects).toEqual(expect.arrayContaining([expect.objectContaining({ xmlName: 'Certificate' })]));
  });

  it('refuses bad credentials with INVALID_LOGIN', async () => {
    await expect(soapLogin(server, server.org.username, 'wrong')).rejects.toThrow(/INVALID_LOGIN: Invalid username, password, security token; or user locked out\./);
  });

  it('logs in with the OAuth 2 password grant', async () => {
    const conn = new Connection({ loginUrl: server.url, oauth2: { clientId: 'cid', clientSecret: 'secret', loginUrl: server.url } });
    const info = await conn.login(server.org.username, server.org.password);
    expect(info).toEqual(expect.objectContaining({ id: server.org.userId, organizationId: server.org.id }));
    expect(conn.accessToken).toMatch(/^00D\w{12,15}![.\w]*$/);
    const list = await conn.metadata.list([{ type: 'Certificate' }]);
    expect(list).toBeDefined();
  });

  it('answers a bad OAuth password with invalid_grant', async () => {
    const res = await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: server.org.username, password: 'nope' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('accepts the well-known access token of the default org', async () => {
    const described = await tokenConnection(server).metadata.describe('66.0');
    expect(described.metadataObjects.map((o) => o.xmlName)).toContain('Certificate');
  });

  it.each([
    ['an unknown session', '00D000000000001AAA!nope'],
    ['a session of the wrong shape', 'garbage'],
  ])('faults %s with INVALID_SESSION_ID over HTTP 500', async (_label, token) => {
    const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata></soapenv:Body></soapenv:Envelope>`;
    const res = await fetch(`${server.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    expect(text).toContain('<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>');
  });

  it.each([
    ['an unclosed processing instruction after the root (the parser\'s "Pi Tag is not closed")', '<?pi'],
    ['a tag that does not end', '<x'],
  ])('answers a partner login with %s as the client\'s fault, never an internal error', async (_label, tail) => {
    const login = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><login xmlns="urn:partner.soap.sforce.com"><username>${server.org.username}</username><password>${server.org.password}</password></login></soapenv:Body></soapenv:Envelope>`;
    const res = await fetch(`${server.url}/services/Soap/u/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body: login + tail });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(/<faultcode>soapenv:Client<\/faultcode>/);
    expect(text).not.toContain('UNKNOWN_EXCEPTION');
  });

  it('ends a session at logout', async () => {
    const conn = await soapLogin(server);
    const token = conn.accessToken!;
    await conn.logout();
    const stale = tokenConnection(server, token);
    await expect(stale.metadata.list([{ type: 'Certificate' }])).rejects.toMatchObject({ name: 'sf:INVALID_SESSION_ID' });
  });
});

describe('identity', () => {
  it('serves the identity URL of an OAuth login to jsforce', async () => {
    const conn = new Connection({ loginUrl: server.url, oauth2: { clientId: 'cid', clientSecret: 'secret', loginUrl: server.url } });
    await conn.login(server.org.username, server.org.password);
    const identity = await conn.identity();
    expect(identity).toEqual(expect.objectContaining({ user_id: server.org.userId, organization_id: server.org.id, username: server.org.username }));
  });

  it('refuses the identity of another user', async () => {
    const res = await fetch(`${server.url}/id/${server.org.id}/005000000000009AAA`, { headers: { authorization: `Bearer ${server.org.accessToken}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'INSUFFICIENT_ACCESS' })]);
  });
});
