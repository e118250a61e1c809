/**
 * The org as a SAML identity provider, with a standard SAML library (@node-saml/node-saml) as the
 * service provider on the other side: it reads the org's metadata, sends requests by both bindings,
 * and verifies the signed responses it gets back, as a real SP would.
 */
import JSZip from 'jszip';
import forge from 'node-forge';
import type { Connection } from 'jsforce';
import { SAML as ServiceProvider, ValidateInResponseTo } from '@node-saml/node-saml';
import { buildSelfSignedCertificate, defaultSubject, generateRsaKeyPair } from '../../src/crypto';
import { adminFetch, asArray, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const ACS = 'https://sp.example.com/saml/acs';
const SP_ENTITY = 'https://sp.example.com';

const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}</${root}>\n`;
const manifest = (types: Record<string, string[]>) => xml('Package', `${Object.entries(types).map(([name, members]) =>
  `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')}    <version>66.0</version>\n`);
const settings = (enabled: boolean, certificate = 'IdP_Cert') =>
  xml('IdentityProviderSettings', `    <certificateName>${certificate}</certificateName>\n    <enableIdentityProvider>${enabled}</enableIdentityProvider>\n`);
const samlApp = (subjectType = 'Username', requestCertificate?: string, encryptionCertificate?: string) => xml('ConnectedApp', '    <contactEmail>sso@example.com</contactEmail>\n    <label>Acme</label>\n'
  + `    <samlConfig>\n        <acsUrl>${ACS}</acsUrl>\n${requestCertificate ? `        <certificate>${requestCertificate.trim()}</certificate>\n` : ''}`
  + (encryptionCertificate ? `        <encryptionCertificate>${encryptionCertificate}</encryptionCertificate>\n        <encryptionType>AES_256</encryptionType>\n` : '')
  + `        <entityUrl>${SP_ENTITY}</entityUrl>\n        <issuer>${SP_ENTITY}</issuer>\n`
  + `        <samlNameIdFormat>Unspecified</samlNameIdFormat>\n        <samlSigningAlgoType>SHA256</samlSigningAlgoType>\n        <samlSubjectType>${subjectType}</samlSubjectType>\n    </samlConfig>\n`);

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** The hidden fields of the form the IdP answers with. */
function formFields(html: string): { action: string; SAMLResponse?: string; RelayState?: string } {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');
  return { action: /action="([^"]+)"/.exec(html)![1]!, SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') };
}

describe('the org as a SAML identity provider', () => {
  let server: LocalforceServer;
  let conn: Connection;
  let cookie: string;
  let idpCert: string;

  const deploy = async (files: Record<string, string>, types: Record<string, string[]>) => {
    const result = await deployAndWait(conn, await zipOf({ ...files, 'package.xml': manifest(types) }));
    expect([result.status, asArray(result.details?.componentFailures)]).toEqual(['Succeeded', []]);
  };
  const browse = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie } });
  const serviceProvider = (options: Partial<ConstructorParameters<typeof ServiceProvider>[0]> = {}) => new ServiceProvider({
    callbackUrl: ACS, entryPoint: `${server.url}/idp/endpoint/HttpRedirect`, issuer: SP_ENTITY, audience: SP_ENTITY, idpCert: idpCert,
    wantAssertionsSigned: true, wantAuthnResponseSigned: true, validateInResponseTo: ValidateInResponseTo.always, ...options,
  });

  beforeAll(async () => {
    server = await startTestServer();
    conn = tokenConnection(server);
    await deploy({
      'certs/IdP_Cert.crt': '', 'certs/IdP_Cert.crt-meta.xml': xml('Certificate', '    <caSigned>false</caSigned>\n    <keySize>2048</keySize>\n    <masterLabel>IdP Cert</masterLabel>\n'),
      'settings/IdentityProvider.settings': settings(true),
      'connectedApps/Acme.connectedApp': samlApp(),
    }, { Certificate: ['IdP_Cert'], Settings: ['IdentityProvider'], ConnectedApp: ['Acme'] });
    const frontdoor = await fetch(`${server.url}/secur/frontdoor.jsp?sid=${encodeURIComponent(server.org.accessToken)}&retURL=/somewhere`, { redirect: 'manual' });
    expect([frontdoor.status, frontdoor.headers.get('location')]).toEqual([302, '/somewhere']);
    cookie = frontdoor.headers.get('set-cookie')!.split(';')[0]!;
    const metadata = await (await fetch(`${server.url}/.well-known/samlidp.xml`)).text();
    idpCert = /<ds:X509Certificate>([^<]+)</.exec(metadata)![1]!;
  });
  afterAll(() => server?.close());

  it('serves its metadata: entity id, signing certificate and both SSO endpoints', async () => {
    const res = await fetch(`${server.url}/.well-known/samlidp.xml`);
    const text = await res.text();
    expect(text).toContain(`entityID="${server.url}/?so=00D000000000001"`);
    expect(text).toContain(`Location="${server.url}/idp/endpoint/HttpRedirect"`);
    expect(text).toContain(`Location="${server.url}/idp/endpoint/HttpPost"`);
    // The org named by its 15-character id, as login URLs carry it, is the same org.
    expect(await (await fetch(`${server.url}/.well-known/samlidp.xml?so=00D000000000001`)).text()).toBe(text);
    const stored = await conn.metadata.read('Certificate', 'IdP_Cert') as unknown as { content: string };
    expect(Buffer.from(stored.content, 'base64').toString('utf8').replace(/-----[^-]+-----|\s/g, '')).toBe(idpCert);
  });

  it('answers an SP-initiated request (HTTP-Redirect) with a response the SP verifies, for the signed-in user', async () => {
    const sp = serviceProvider();
    const url = new URL(await sp.getAuthorizeUrlAsync('/after-login', undefined, {}));
    const res = await browse(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    const form = formFields(await res.text());
    expect([form.action, form.RelayState]).toEqual([ACS, '/after-login']);
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse!, RelayState: form.RelayState! });
    expect(profile).toMatchObject({ nameID: server.org.username, issuer: `${server.url}/?so=00D000000000001`, username: server.org.username });
  });

  it('answers a request by the HTTP-POST binding', async () => {
    const sp = serviceProvider({ authnRequestBinding: 'HTTP-POST', entryPoint: `${server.url}/idp/endpoint/HttpPost` });
    const form = await sp.getAuthorizeFormAsync('', undefined, {});
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(form)![1]!;
    // A browser posts it from the SP's own site: the cross-site guard lets single sign-on through.
    const res = await browse('/idp/endpoint/HttpPost', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SP_ENTITY, 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ SAMLRequest: samlRequest }),
    });
    const page = await res.text();
    expect([res.status, page]).toEqual([200, expect.stringContaining('SAMLResponse')]);
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: formFields(page).SAMLResponse! });
    expect(profile?.nameID).toBe(server.org.username);
  });

  it('logs in to an app from the IdP (/idp/login?app=), with no request to answer', async () => {
    const [app] = asArray(await conn.metadata.list({ type: 'ConnectedApp' }));
    const res = await browse(`/idp/login?app=${app!.id}&RelayState=%2Fhome`);
    const form = formFields(await res.text());
    const { profile } = await serviceProvider({ validateInResponseTo: ValidateInResponseTo.never }).validatePostResponseAsync({ SAMLResponse: form.SAMLResponse! });
    expect([profile?.nameID, form.RelayState]).toEqual([server.org.username, '/home']);
  });

  it('refuses without a browser session, for an unknown app, and for a request to another ACS', async () => {
    const sp = serviceProvider();
    const url = new URL(await sp.getAuthorizeUrlAsync('', undefined, {}));
    const anonymous = await fetch(`${server.url}${url.pathname}${url.search}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('/secur/frontdoor.jsp');
    expect((await browse('/idp/login?app=0H4000000000000AAA')).status).toBe(404);
    const elsewhere = new URL(await serviceProvider({ callbackUrl: 'https://evil.example.com/acs' }).getAuthorizeUrlAsync('', undefined, {}));
    expect(elsewhere.searchParams.get('SAMLRequest')).toBeTruthy();
    const refused = await browse(`${elsewhere.pathname}${elsewhere.search}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('is not the ACS URL of the connected app Acme');
  });

  it('sends the Federation ID when the app identifies users by it, and refuses a user without one', async () => {
    await deploy({ 'connectedApps/Acme.connectedApp': samlApp('FederationId') }, { ConnectedApp: ['Acme'] });
    const [app] = asArray(await conn.metadata.list({ type: 'ConnectedApp' }));
    const none = await browse(`/idp/login?app=${app!.id}`);
    expect([none.status, await none.text()]).toEqual([403, expect.stringContaining('has no Federation ID')]);
    const patched = await fetch(`${server.url}/_localforce/orgs/${server.org.id}/users/${server.org.userId}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.org.accessToken}` }, body: JSON.stringify({ federationId: 'ada.lovelace' }),
    });
    expect(await patched.json()).toMatchObject({ federationId: 'ada.lovelace' });
    const form = formFields(await (await browse(`/idp/login?app=${app!.id}`)).text());
    const { profile } = await serviceProvider({ validateInResponseTo: ValidateInResponseTo.never }).validatePostResponseAsync({ SAMLResponse: form.SAMLResponse! });
    expect(profile?.nameID).toBe('ada.lovelace');
    await deploy({ 'connectedApps/Acme.connectedApp': samlApp() }, { ConnectedApp: ['Acme'] });
  });

  it('checks the SP\'s request signature when the app holds its certificate', async () => {
    const keyPair = await generateRsaKeyPair(2048);
    const spCert = await buildSelfSignedCertificate({ keyPair, subject: defaultSubject('sp', '00D000000000001AAA'), notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000) });
    await deploy({ 'connectedApps/Acme.connectedApp': samlApp('Username', spCert) }, { ConnectedApp: ['Acme'] });
    try {
      const signed = new URL(await serviceProvider({ privateKey: keyPair.privateKeyPem, signatureAlgorithm: 'sha256' }).getAuthorizeUrlAsync('', undefined, {}));
      expect(signed.searchParams.get('Signature')).toBeTruthy();
      const accepted = await browse(`${signed.pathname}${signed.search}`);
      expect([accepted.status, await accepted.text()]).toEqual([200, expect.stringContaining('SAMLResponse')]);
      const unsigned = new URL(await serviceProvider().getAuthorizeUrlAsync('', undefined, {}));
      const refused = await browse(`${unsigned.pathname}${unsigned.search}`);
      expect([refused.status, await refused.text()]).toEqual([403, expect.stringContaining('is not signed with the certificate of the connected app Acme')]);
      const tampered = new URL(signed);
      tampered.searchParams.set('RelayState', '/elsewhere');
      expect((await browse(`${tampered.pathname}${tampered.search}`)).status).toBe(403);
    } finally {
      await deploy({ 'connectedApps/Acme.connectedApp': samlApp() }, { ConnectedApp: ['Acme'] });
    }
  });

  it('encrypts the assertion with the app\'s encryption certificate, for the SP to decrypt with its key', async () => {
    await deploy({ 'certs/Sp_Encryption.crt': '', 'certs/Sp_Encryption.crt-meta.xml': xml('Certificate', '    <caSigned>false</caSigned>\n    <keySize>2048</keySize>\n    <masterLabel>SP Encryption</masterLabel>\n') },
      { Certificate: ['Sp_Encryption'] });
    // The key the SP decrypts with: the certificate's, exported from the org's keystore.
    const exported = await fetch(`${server.url}/_localforce/orgs/${server.org.id}/keystore/export`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.org.accessToken}` }, body: JSON.stringify({ password: 'changeit', format: 'pkcs12' }),
    });
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(await exported.arrayBuffer()).toString('binary'))), 'changeit');
    const bag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]!
      .find((b) => (b.attributes.friendlyName?.[0] as string | undefined)?.toLowerCase() === 'sp_encryption')!;
    const decryptionKey = forge.pki.privateKeyToPem(bag.key!);
    await deploy({ 'connectedApps/Acme.connectedApp': samlApp('Username', undefined, 'Sp_Encryption') }, { ConnectedApp: ['Acme'] });
    try {
      const [app] = asArray(await conn.metadata.list({ type: 'ConnectedApp' }));
      const form = formFields(await (await browse(`/idp/login?app=${app!.id}`)).text());
      const sent = Buffer.from(form.SAMLResponse!, 'base64').toString('utf8');
      expect(sent).toContain('<saml:EncryptedAssertion');
      expect(sent).not.toContain('<saml:Assertion ');
      const sp = serviceProvider({ validateInResponseTo: ValidateInResponseTo.never, decryptionPvk: decryptionKey });
      const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse! });
      expect(profile?.nameID).toBe(server.org.username);
    } finally {
      await deploy({ 'connectedApps/Acme.connectedApp': samlApp() }, { ConnectedApp: ['Acme'] });
    }
  });

  it('keeps its certificate from being deleted while the IdP settings name it', async () => {
    const zip = await zipOf({ 'package.xml': manifest({}), 'destructiveChanges.xml': manifest({ Certificate: ['IdP_Cert'] }) });
    const result = await deployAndWait(conn, zip);
    expect(asArray(result.details?.componentFailures).map((f) => f.problem)).toEqual([expect.stringContaining('Settings IdentityProvider (certificateName) uses it')]);
  });

  it('refuses to sign once its certificate has expired on the org clock, and says nothing once turned off', async () => {
    const moved = await adminFetch(server, `/_localforce/orgs/${server.org.id}/clock`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs: 800 * 86_400_000 }),
    });
    expect(moved.status).toBe(200);
    const [app] = asArray(await conn.metadata.list({ type: 'ConnectedApp' }));
    const expired = await browse(`/idp/login?app=${app!.id}`);
    expect([expired.status, await expired.text()]).toEqual([500, expect.stringContaining('IdP_Cert expired on')]);
    await adminFetch(server, `/_localforce/orgs/${server.org.id}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    await deploy({ 'settings/IdentityProvider.settings': settings(false) }, { Settings: ['IdentityProvider'] });
    const metadata = await fetch(`${server.url}/.well-known/samlidp.xml`);
    expect([metadata.status, await metadata.text()]).toEqual([404, expect.stringContaining('not enabled')]);
    expect((await browse(`/idp/login?app=${app!.id}`)).status).toBe(404);
  });
});
