/**
 * The org as a SAML service provider: an identity provider (played here by xml-crypto with a key pair
 * and self-signed certificate of the test's own) posts signed responses to the org's login URL
 * (`/?so=<org>`); the org checks them as the SAML Assertion Validator does, opens a session, keeps a
 * SAML login history, and starts logins itself (SP-initiated, HTTP-Redirect and HTTP-POST bindings).
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { encrypt } from 'xml-encryption';
import { buildSelfSignedCertificate, generateRsaKeyPair } from '../../src/crypto';
import { asArray, certsZip, createOrg, deployAndWait, retrieveCerts, startTestServer, type LocalforceServer, type TestOrg } from '../support/localforce';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const MINUTE = 60_000;

let server: LocalforceServer;
let org: TestOrg;
let org15: string;
let loginUrl: string;
let requestSigningCertId: string;
let requestSigningCertPem: string;

/** An identity provider: its key and certificate. */
interface Idp { key: string; cert: string }
let idp: Idp;
let impostor: Idp;

const users = { standard: 'sso.user@example.com', federated: 'fed.user@example.com' };
const FEDERATION_ID = 'FED-0042';
const ISSUERS = { okta: 'https://okta.example.com', fed: 'https://fed.example.com', attr: 'https://attr.example.com', proxy: 'https://proxy.example.com' };
const FED_ENTITY_ID = 'https://localforce.example/sp';

async function makeIdp(name: string): Promise<Idp> {
  const keyPair = await generateRsaKeyPair(2048);
  const cert = await buildSelfSignedCertificate({
    keyPair, subject: [{ shortName: 'CN', value: name }], notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 365 * 86_400_000),
  });
  return { key: keyPair.privateKeyPem, cert };
}

const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}</${root}>\n`;
const manifest = (types: Record<string, string[]>) => `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${
  Object.entries(types).map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')}    <version>66.0</version>\n</Package>\n`;
const samlConfig = (fields: Record<string, string | undefined>) => xml('SamlSsoConfig',
  Object.entries(fields).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `    <${k}>${v}</${k}>\n`).join(''));
const bareBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

const orgFetch = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => fetch(`${server.url}/_localforce/orgs/${org.id}${path}`, {
  method: init.method ?? 'GET', headers: { authorization: `Bearer ${init.token ?? org.accessToken}`, 'content-type': 'application/json' },
  body: init.body === undefined ? undefined : JSON.stringify(init.body),
});
const moveClock = async (offsetMs: number) => expect((await orgFetch('/clock', { method: 'POST', body: { offsetMs } })).status).toBe(200);

beforeAll(async () => {
  server = await startTestServer({ keyPool: false });
  org = await createOrg(server);
  org15 = org.id.slice(0, 15);
  loginUrl = `${server.url}/?so=${org15}`;
  [idp, impostor] = await Promise.all([makeIdp('Test IdP'), makeIdp('Impostor IdP')]);

  expect((await deployAndWait(org.conn, await certsZip([{ name: 'Sso_Request_Signing' }]))).status).toBe('Succeeded');
  requestSigningCertId = asArray(await org.conn.metadata.list([{ type: 'Certificate' }])).find((p) => p.fullName === 'Sso_Request_Signing')!.id;
  requestSigningCertPem = (await retrieveCerts(org.conn, ['Sso_Request_Signing'])).files['unpackaged/certs/Sso_Request_Signing.crt']!;

  const common = { samlVersion: 'SAML2_0', validationCert: idp.cert };
  const zip = new JSZip();
  zip.file('package.xml', manifest({ SamlSsoConfig: ['Okta', 'Fed', 'Attr', 'Proxy'] }));
  zip.file('samlssoconfigs/Okta.samlssoconfig', samlConfig({
    ...common, name: 'Okta', issuer: ISSUERS.okta, identityMapping: 'Username', identityLocation: 'SubjectNameId', samlEntityId: 'https://saml.salesforce.com',
    loginUrl: 'https://okta.example.com/sso/saml', requestSigningCertId: requestSigningCertId.slice(0, 15), requestSignatureMethod: '2', redirectBinding: 'true',
    decryptionCertificate: 'Sso_Request_Signing',
  }));
  zip.file('samlssoconfigs/Fed.samlssoconfig', samlConfig({
    ...common, validationCert: bareBase64(idp.cert), // the setup page also takes bare base64 DER
    name: 'Fed', issuer: ISSUERS.fed, identityMapping: 'FederationId', identityLocation: 'SubjectNameId', samlEntityId: FED_ENTITY_ID,
    loginUrl: 'https://fed.example.com/sso?tenant=7', requestSigningCertId: 'Sso_Request_Signing', requestSignatureMethod: '1', redirectBinding: 'false',
  }));
  zip.file('samlssoconfigs/Attr.samlssoconfig', samlConfig({
    ...common, name: 'Attr', issuer: ISSUERS.attr, identityMapping: 'Username', identityLocation: 'Attribute', attributeName: 'sf_username', samlEntityId: 'https://saml.salesforce.com',
  }));
  zip.file('samlssoconfigs/Proxy.samlssoconfig', samlConfig({
    ...common, name: 'Proxy', issuer: ISSUERS.proxy, identityMapping: 'Username', identityLocation: 'SubjectNameId', samlEntityId: 'https://saml.salesforce.com',
    loginUrl: 'https://proxy.example.com/sso',
  }));
  const deployed = await deployAndWait(org.conn, await zip.generateAsync({ type: 'nodebuffer' }));
  expect(deployed.status).toBe('Succeeded');

  for (const username of Object.values(users)) {
    expect((await orgFetch('/users', { method: 'POST', body: { username, profile: 'Standard User' } })).status).toBe(201);
  }
  const federated = ((await (await orgFetch('/users')).json()) as { id: string; username: string }[]).find((u) => u.username === users.federated)!;
  expect((await orgFetch(`/users/${federated.id}`, { method: 'PATCH', body: { federationId: FEDERATION_ID } })).status).toBe(200);
}, 120_000);
afterAll(async () => { await server?.close(); });

// ---- The identity provider's side ----

interface AssertionSpec {
  issuer?: string;
  nameId?: string;
  audience?: string;
  recipient?: string;
  destination?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  attributes?: Record<string, string>;
  id?: string;
}

const samlId = () => `_${randomBytes(16).toString('hex')}`;
const instant = (d: Date) => d.toISOString();

function assertionXml(s: AssertionSpec): string {
  const now = new Date();
  const notOnOrAfter = instant(s.notOnOrAfter ?? new Date(now.getTime() + 5 * MINUTE));
  const attributes = s.attributes ? `<saml:AttributeStatement>${Object.entries(s.attributes).map(([name, value]) =>
    `<saml:Attribute Name="${name}"><saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`).join('')}</saml:AttributeStatement>` : '';
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${s.id ?? samlId()}" IssueInstant="${instant(now)}" Version="2.0">` +
    `<saml:Issuer>${s.issuer ?? ISSUERS.okta}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${s.nameId ?? users.standard}</saml:NameID>` +
    '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
    `<saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${s.recipient ?? loginUrl}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${instant(s.notBefore ?? new Date(now.getTime() - MINUTE))}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${s.audience ?? 'https://saml.salesforce.com'}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${instant(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `${attributes}</saml:Assertion>`;
}

function responseXml(s: AssertionSpec, inside = assertionXml(s)): string {
  return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${instant(new Date())}" Destination="${s.destination ?? loginUrl}">` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${s.issuer ?? ISSUERS.okta}</saml:Issuer>` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    `${inside}</samlp:Response>`;
}

/** Signs the Assertion or the Response as identity providers do: enveloped, exclusive c14n, after its Issuer. */
function signed(doc: string, what: 'Assertion' | 'Response', by: Idp = idp): string {
  const sig = new SignedXml({ privateKey: by.key, publicCert: by.cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: EXC_C14N });
  sig.addReference({ xpath: `//*[local-name(.)='${what}']`, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  sig.computeSignature(doc, { prefix: 'ds', location: { reference: `//*[local-name(.)='${what}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const post = (samlResponse: string, fields: Record<string, string> = {}, so = org15) => fetch(`${server.url}/?so=${so}`, {
  method: 'POST', redirect: 'manual', body: new URLSearchParams({ SAMLResponse: samlResponse, ...fields }),
});
/** A page's text with the entities of escapeXml undone. */
const pageText = async (res: Response) => (await res.text()).replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const sidOf = (res: Response) => decodeURIComponent(/(?:^|[;,]\s*)sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '');

interface Attempt { loginTime: string; issuer: string | null; samlSsoConfig: string | null; userId: string | null; username: string | null; status: string; detail: string | null }
const history = async (token?: string) => (await (await orgFetch('/saml-login-history', { token })).json()) as Attempt[];

async function expectRefused(res: Response, status: string, detail?: RegExp): Promise<void> {
  expect(res.status).toBe(403);
  expect(res.headers.get('set-cookie')).toBeNull();
  const text = await pageText(res);
  expect(text).toContain(`<p id="status">${status}</p>`);
  if (detail) expect(text).toMatch(detail);
  expect((await history())[0]).toMatchObject({ status, userId: null });
}

// ---- The tests ----

describe('POST /?so=<org>: a login from the identity provider', () => {
  it('logs in by username from a signed assertion: a session cookie, a redirect to the RelayState, a session that works', async () => {
    const res = await post(b64(signed(responseXml({}), 'Assertion')), { RelayState: '/lightning/page/home?x=1' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/lightning/page/home?x=1');
    expect(res.headers.get('set-cookie')).toMatch(/^sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const sid = sidOf(res);
    expect(sid).toMatch(new RegExp(`^${org.id}!`));
    const info = await fetch(`${server.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${sid}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ preferred_username: users.standard, organization_id: org.id });
    expect((await fetch(`${server.url}/services/data/v66.0/`, { headers: { authorization: `Bearer ${sid}` } })).status).toBe(200);
  });

  it('logs in by Federation ID from a signed response, with the setting of its issuer, a bare base64 certificate and its own entity ID', async () => {
    const res = await post(b64(signed(responseXml({ issuer: ISSUERS.fed, nameId: FEDERATION_ID, audience: FED_ENTITY_ID }), 'Response')));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const info = await fetch(`${server.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${sidOf(res)}` } });
    expect(await info.json()).toMatchObject({ preferred_username: users.federated });
    expect((await history())[0]).toMatchObject({ status: 'Success', issuer: ISSUERS.fed, samlSsoConfig: 'Fed', username: users.federated, detail: null });
  });

  it('logs in by an attribute, where the setting says the identity is', async () => {
    const res = await post(b64(signed(responseXml({ issuer: ISSUERS.attr, nameId: 'someone-else', attributes: { other: 'x', sf_username: users.standard } }), 'Assertion')));
    expect(res.status).toBe(302);
    const info = await fetch(`${server.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${sidOf(res)}` } });
    expect(await info.json()).toMatchObject({ preferred_username: users.standard });
  });

  it('sends a RelayState that is not a path on this server to / instead', async () => {
    for (const relay of ['https://evil.example.com/', '//evil.example.com/x', '/\\evil.example.com']) {
      const res = await post(b64(signed(responseXml({}), 'Assertion')), { RelayState: relay });
      expect([res.status, res.headers.get('location')]).toEqual([302, '/']);
    }
  });

  it.each<[string, () => string, string, RegExp]>([
    ['signed by another key', () => signed(responseXml({}), 'Assertion', impostor), 'Signature Invalid', /does not verify/],
    ['changed after signing', () => signed(responseXml({}), 'Assertion').replace(users.standard, org.username), 'Signature Invalid', /does not verify/],
    ['not signed at all', () => responseXml({}), 'Signature Invalid', /Neither the response nor the assertion is signed/],
    ['from an issuer no setting trusts', () => signed(responseXml({ issuer: 'https://unknown.example.com' }), 'Assertion'), 'Issuer Mismatched', /The Issuer is https:\/\/unknown\.example\.com/],
    ['for another audience', () => signed(responseXml({ audience: 'https://other-sp.example.com' }), 'Assertion'), 'Audience Invalid', /entity ID is https:\/\/saml\.salesforce\.com/],
    ['for another recipient', () => signed(responseXml({ recipient: `${server.url}/?so=00D000000000001` }), 'Assertion'), 'Recipient Mismatched', /The Recipient is .*\?so=00D000000000001/],
    ['with a Destination elsewhere', () => signed(responseXml({ destination: 'https://elsewhere.example.com/' }), 'Response'), 'Recipient Mismatched', /Destination is https:\/\/elsewhere/],
    ['for a user the org does not have', () => signed(responseXml({ nameId: 'nobody@example.com' }), 'Assertion'), 'Unable to map the subject to a Salesforce.com user', /No user of this org has the username nobody@example\.com/],
    ['for a user of another org', () => signed(responseXml({ nameId: server.org.username }), 'Assertion'), 'Unable to map the subject to a Salesforce.com user', /username/],
    ['that is not XML', () => 'not a SAML response at all', 'Unable to parse the response', /not a SAML 2\.0 Response/],
  ])('refuses a response %s', async (_label, response, status, detail) => {
    await expectRefused(await post(b64(response())), status, detail);
  });

  it('refuses an expired assertion on the org\'s clock, after the 3 minutes of skew', async () => {
    const within = signed(responseXml({ notOnOrAfter: new Date(Date.now() - MINUTE) }), 'Assertion');
    expect((await post(b64(within))).status).toBe(302); // a minute late: within the skew
    const response = signed(responseXml({ notOnOrAfter: new Date(Date.now() + 5 * MINUTE) }), 'Assertion');
    try {
      await moveClock(10 * MINUTE);
      await expectRefused(await post(b64(response)), 'Assertion Expired', /NotOnOrAfter .* has passed/);
    } finally {
      await moveClock(0);
    }
    expect((await post(b64(response))).status).toBe(302);
  });

  it('refuses an assertion not valid yet on the org\'s clock as Assertion Invalid', async () => {
    const response = signed(responseXml({ notBefore: new Date(Date.now() - MINUTE) }), 'Assertion');
    try {
      await moveClock(-10 * MINUTE);
      await expectRefused(await post(b64(response)), 'Assertion Invalid', /not valid yet/);
    } finally {
      await moveClock(0);
    }
  });

  it.each<[string, () => string]>([
    ['a forged assertion beside the signed one', () => {
      const genuine = signed(responseXml({}), 'Assertion');
      return genuine.replace('<samlp:Status>', `${assertionXml({ nameId: org.username })}<samlp:Status>`);
    }],
    ['the signed assertion hidden in Extensions, its signature copied onto a forged one with the same ID', () => {
      const genuine = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed(responseXml({}), 'Assertion'))![0];
      const id = /ID="([^"]+)"/.exec(genuine)![1]!;
      const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)![0];
      const forged = assertionXml({ nameId: org.username, id }).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
      return responseXml({}, forged).replace('<samlp:Status>', `<samlp:Extensions>${genuine}</samlp:Extensions><samlp:Status>`);
    }],
    ['a signed response wrapped in a forged one', () => {
      const genuine = signed(responseXml({}), 'Response');
      const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(genuine)![0];
      const forged = responseXml({}, assertionXml({ nameId: org.username })).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
      return forged.replace('<samlp:Status>', `<samlp:Extensions>${genuine.replace(/^<\?xml[^>]*>/, '')}</samlp:Extensions><samlp:Status>`);
    }],
  ])('refuses a wrapped signature: %s', async (_label, attack) => {
    // One assertion, inside the Response, is the first guard; the signature's own checks (its reference
    // names its parent, whose ID is unique; only the signed bytes are read) stand behind it.
    await expectRefused(await post(b64(attack())), 'Signature Invalid', /must hold exactly one Assertion, directly inside the Response; it holds 2/);
  });

  it('refuses a signature that does not sign the element it is in (the response\'s, moved into the assertion)', async () => {
    const genuine = signed(responseXml({}), 'Response');
    const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(genuine)![0];
    const moved = genuine.replace(signature, '').replace(/(<saml:Assertion[^>]*><saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${signature}`);
    await expectRefused(await post(b64(moved)), 'Signature Invalid', /The assertion's signature references #_[0-9a-f]+, not the assertion it is in/);
  });

  it('decrypts an encrypted assertion with the setting\'s decryptionCertificate, and refuses one it cannot decrypt', async () => {
    // The identity provider encrypts with xml-encryption, for the org certificate the setting names.
    const encryptedFor = async (assertion: string, certificatePem: string) => '<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
      + `${await promisify(encrypt)(assertion, {
        rsa_pub: createPublicKey(certificatePem).export({ type: 'spki', format: 'pem' }), pem: certificatePem,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm', keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      })}</saml:EncryptedAssertion>`;
    const accepted = await post(b64(responseXml({}, await encryptedFor(signed(assertionXml({}), 'Assertion'), requestSigningCertPem))));
    expect(accepted.status).toBe(302);
    expect(sidOf(accepted)).not.toBe('');
    // Signed only around the ciphertext: the response's signature vouches for what decrypts.
    const responseSigned = await post(b64(signed(responseXml({}, await encryptedFor(assertionXml({}), requestSigningCertPem)), 'Response')));
    expect(responseSigned.status).toBe(302);
    await expectRefused(await post(b64(responseXml({}, await encryptedFor(assertionXml({}), requestSigningCertPem)))), 'Signature Invalid', /Neither the response nor the assertion is signed/);
    await expectRefused(await post(b64(responseXml({}, await encryptedFor(signed(assertionXml({}), 'Assertion'), idp.cert)))), 'Assertion Invalid', /cannot be decrypted/);
    const forAttr = await encryptedFor(signed(assertionXml({ issuer: ISSUERS.attr, attributes: { sf_username: users.standard } }), 'Assertion'), requestSigningCertPem);
    await expectRefused(await post(b64(responseXml({ issuer: ISSUERS.attr }, forAttr))), 'Assertion Invalid', /has no decryptionCertificate/);
  });

  it('answers 404 for an org it does not have, and leaves / to the web console', async () => {
    expect((await post(b64(signed(responseXml({}), 'Assertion')), {}, '00D00000000zzzz')).status).toBe(404);
    const consolePage = await fetch(`${server.url}/?so=${org15}`);
    expect([consolePage.status, consolePage.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    const noSo = await fetch(`${server.url}/`, { method: 'POST', body: new URLSearchParams({ SAMLResponse: 'x' }) });
    expect(noSo.status).toBe(404);
    expect(await noSo.json()).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
  });
});

describe('the SAML login history', () => {
  it('records each attempt, newest first, with the org clock time, issuer, user and status; for the org or the admin only', async () => {
    const before = Date.now();
    await post(b64(signed(responseXml({ nameId: 'ghost@example.com' }), 'Assertion')));
    await post(b64(signed(responseXml({}), 'Assertion')));
    const [newest, previous] = await history();
    expect(newest).toMatchObject({ status: 'Success', issuer: ISSUERS.okta, samlSsoConfig: 'Okta', username: users.standard, userId: expect.stringMatching(/^005/), detail: null });
    expect(previous).toMatchObject({ status: 'Unable to map the subject to a Salesforce.com user', issuer: ISSUERS.okta, samlSsoConfig: 'Okta', username: null });
    expect(Date.parse(newest!.loginTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(await history(server.adminToken)).toEqual(await history());
    expect((await orgFetch('/saml-login-history', { token: server.org.accessToken })).status).toBe(403);
    expect((await orgFetch('/saml-login-history', { token: 'nope' })).status).toBe(401);
  });

  it('shows times on the org\'s clock', async () => {
    try {
      await moveClock(-365 * 86_400_000); // a year back: the assertion is then far from valid, but the attempt is recorded
      await post('bm90IHhtbA==');
      expect(Math.abs(Date.parse((await history())[0]!.loginTime) - (Date.now() - 365 * 86_400_000))).toBeLessThan(60_000);
    } finally {
      await moveClock(0);
    }
  });

  it('keeps the newest 100 attempts of an org', async () => {
    for (let i = 0; i < 105; i++) await post(`${b64(`garbage ${i}`)}`);
    const attempts = await history();
    expect(attempts).toHaveLength(100);
    expect(attempts.every((a) => a.status === 'Unable to parse the response')).toBe(true);
  });
});

describe('GET /saml/login: a login started by the org (SP-initiated)', () => {
  const start = (config: string, relayState?: string) =>
    fetch(`${server.url}/saml/login?so=${org15}&config=${config}${relayState ? `&RelayState=${encodeURIComponent(relayState)}` : ''}`, { redirect: 'manual' });
  const parse = (text: string) => new DOMParser().parseFromString(text, 'text/xml').documentElement!;

  it('redirects to the identity provider with a deflated, RSA-SHA256-signed AuthnRequest (HTTP-Redirect) dated on the org clock', async () => {
    let res: Response;
    try {
      await moveClock(86_400_000);
      res = await start('Okta', '/home?tab=1');
    } finally {
      await moveClock(0);
    }
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith('https://okta.example.com/sso/saml?SAMLRequest=')).toBe(true);
    const query = location.slice(location.indexOf('?') + 1);
    const signedPart = query.slice(0, query.indexOf('&Signature='));
    const params = new URLSearchParams(query);
    expect(params.get('RelayState')).toBe('/home?tab=1');
    expect(params.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(verify('sha256', Buffer.from(signedPart), requestSigningCertPem, Buffer.from(params.get('Signature')!, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(signedPart.replace('tab%3D1', 'tab%3D2')), requestSigningCertPem, Buffer.from(params.get('Signature')!, 'base64'))).toBe(false);
    const request = parse(inflateRawSync(Buffer.from(params.get('SAMLRequest')!, 'base64')).toString('utf8'));
    expect(request.localName).toBe('AuthnRequest');
    expect(request.getAttribute('Destination')).toBe('https://okta.example.com/sso/saml');
    expect(request.getAttribute('AssertionConsumerServiceURL')).toBe(loginUrl);
    expect(request.getAttribute('ID')).toMatch(/^_[0-9a-f]{40}$/);
    expect(Math.abs(Date.parse(request.getAttribute('IssueInstant')!) - (Date.now() + 86_400_000))).toBeLessThan(60_000);
    expect(request.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]!.textContent).toBe('https://saml.salesforce.com');
    expect(request.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')).toHaveLength(0); // the query carries the signature
  });

  it('answers a form that posts an XML-signed (RSA-SHA1) AuthnRequest (HTTP-POST)', async () => {
    const res = await start('Fed', '/after');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toMatch(/<form method="post" action="https:\/\/fed\.example\.com\/sso\?tenant=7">/);
    expect(page).toContain('<input type="hidden" name="RelayState" value="/after">');
    const samlRequest = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(page)![1]!, 'base64').toString('utf8');
    const request = parse(samlRequest);
    expect(request.getAttribute('Destination')).toBe('https://fed.example.com/sso?tenant=7');
    expect(request.getAttribute('AssertionConsumerServiceURL')).toBe(loginUrl);
    expect(request.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]!.textContent).toBe(FED_ENTITY_ID);
    const signature = request.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
    expect(signature.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'SignatureMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    const check = (xmlText: string, cert: string) => {
      const sig = new SignedXml({ publicCert: cert });
      sig.loadSignature(parse(xmlText).getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]! as never);
      try {
        return sig.checkSignature(xmlText);
      } catch {
        return false;
      }
    };
    expect(check(samlRequest, requestSigningCertPem)).toBe(true);
    expect(check(samlRequest, idp.cert)).toBe(false);
    expect(check(samlRequest.replace(FED_ENTITY_ID, 'https://forged.example.com'), requestSigningCertPem)).toBe(false);
  });

  it('refuses to sign with the retired default proxy certificate when the setting names no request signing certificate', async () => {
    const res = await start('Proxy');
    expect(res.status).toBe(400);
    const text = await pageText(res);
    expect(text).toContain('has no Request Signing Certificate (requestSigningCertId), so it would sign with the default proxy certificate');
    expect(text).toContain('the proxy.salesforce.com default certificate has been retired due to its expiration and for security best practices');
    expect(text).toContain('Choose a certificate for request signing');
  });

  it('names the settings when the one asked for does not exist', async () => {
    const res = await start('Nope');
    expect(res.status).toBe(404);
    expect(await pageText(res)).toContain('No SamlSsoConfig named Nope in this org; it has Attr, Fed, Okta, Proxy');
  });
});

describe('the SAML login history, once its org is reset', () => {
  it('is empty, as the org\'s other records are', async () => {
    expect((await history(server.adminToken)).length).toBeGreaterThan(0);
    const reset = await fetch(`${server.url}/_localforce/orgs/${org.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(reset.status).toBe(200);
    expect(await history(server.adminToken)).toEqual([]);
  });
});
