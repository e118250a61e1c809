/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core, through every page
 * and action. Screenshots go to LOCALFORCE_SCREENSHOTS (`npm run screenshots` keeps them in docs/),
 * else to a temporary folder.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { certMeta, deployAndWait, packageXml, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { makeTestCa, signCsr, type TestCa } from '../support/testCa';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium is not installed at ${CHROMIUM}: the console's browser tests need it. Install it with ` +
    '`apt-get install -y chromium` (npm test runs scripts/install-chromium.sh, which does so as root).');
}

const shots = resolve(process.env.LOCALFORCE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'localforce-shots-')));
mkdirSync(shots, { recursive: true });

let server: LocalforceServer;
let context: BrowserContext;
let page: Page;
let profile: string;
let ca: TestCa;

const admin = (path: string, method = 'POST', body?: unknown) => fetch(`${server.url}${path}`, {
  method, headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` }, body: body === undefined ? undefined : JSON.stringify(body),
});
const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
const badgeOf = (name: string) => page.locator(`tr[data-name="${name}"] [data-badge]`);

beforeAll(async () => {
  server = await startTestServer({ keyPoolSize: 4 });
  ca = await makeTestCa('Console');
  profile = mkdtempSync(join(tmpdir(), 'localforce-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, acceptDownloads: true, viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function signInAgain(): Promise<void> {
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username').fill(server.org.username);
  await page.getByLabel('Password').fill(server.org.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${server.url}/#/certificates`);
  await page.locator('table[aria-label="Certificates"]').waitFor();
}

async function downloadText(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

describe('signing in', () => {
  it('refuses a wrong password in plain words, then signs in with the org\'s username and password', async () => {
    await page.goto(server.url);
    await shot('console-sign-in');
    await page.getByLabel('Username').fill(server.org.username);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Check your username and password').waitFor();
    await page.getByLabel('Password').fill(server.org.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Certificate and Key Management' }).waitFor();
    await page.getByText('No certificates yet').waitFor();
    expect(await page.locator('.who').textContent()).toContain(server.org.username);
  });
});

describe('Certificate and Key Management', () => {
  it('creates a self-signed certificate and downloads it', async () => {
    await page.getByRole('link', { name: 'Create Self-Signed Certificate' }).click();
    await page.getByLabel('Label').fill('Payment Gateway');
    expect(await page.getByLabel('Unique Name').inputValue()).toBe('Payment_Gateway');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /Payment Gateway/ }).waitFor();
    expect(await page.locator('h1 [data-badge]').textContent()).toBe('Active');
    expect(await page.locator('dl').first().textContent()).toContain('Self-Signed');
    const { name, text } = await downloadText(() => page.getByRole('button', { name: 'Download Certificate' }).click());
    expect(name).toBe('Payment_Gateway.crt');
    const cert = new X509Certificate(text);
    expect(cert.subject).toContain('CN=Payment_Gateway');
    expect(await page.getByRole('button', { name: 'Download Certificate Signing Request' }).count()).toBe(0);
  });

  it('refuses a name the org refuses, with the Metadata API\'s message', async () => {
    await page.goto(`${server.url}/#/certificates/new`);
    await page.getByLabel('Label').fill('Payment Gateway');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('There is already a Certificate named Payment_Gateway').waitFor();
  });

  it('creates a CA-signed certificate, hands out its CSR, takes the signed chain, and still offers the CSR', async () => {
    await page.goto(`${server.url}/#/certificates`);
    await page.getByRole('link', { name: 'Create CA-Signed Certificate' }).click();
    await page.getByRole('heading', { name: 'New CA-Signed Certificate' }).waitFor();
    await page.getByLabel('Label').fill('Partner SSO');
    await page.getByLabel('Key Size').selectOption('4096');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /Partner SSO/ }).waitFor();
    expect(await page.locator('h1 [data-badge]').textContent()).toBe('Awaiting Chain');
    expect(await page.getByRole('button', { name: 'Download Certificate', exact: true }).count()).toBe(0);
    const csr = await downloadText(() => page.getByRole('button', { name: 'Download Certificate Signing Request' }).click());
    expect(csr.name).toBe('Partner_SSO.csr');
    expect(csr.text).toContain('-----BEGIN CERTIFICATE REQUEST-----');

    const leaf = await signCsr(ca, csr.text);
    await page.getByLabel('or paste it').fill(leaf + ca.inter);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('The signed certificate chain is uploaded.').waitFor();
    await page.locator('h1 [data-badge="Active"]').waitFor();
    expect(await page.locator('table[aria-label="Certificate chain"] tbody tr').count()).toBe(2);
    await shot('console-certificate');
    const again = await downloadText(() => page.getByRole('button', { name: 'Download Certificate Signing Request' }).click());
    expect(again.text).toBe(csr.text);
    const chain = await downloadText(() => page.getByRole('button', { name: 'Download Certificate', exact: true }).click());
    expect(new X509Certificate(chain.text).serialNumber).toBe(new X509Certificate(leaf).serialNumber);
  });

  it('shows a refused chain with the org\'s reason', async () => {
    await page.goto(`${server.url}/#/certificates/new?caSigned=true`);
    await page.getByLabel('Label').fill('Wrong Chain');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /Wrong Chain/ }).waitFor();
    await page.getByLabel('or paste it').fill(ca.inter);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').getByText(/does not match this certificate's private key|not valid/).waitFor();
    expect(await page.locator('h1 [data-badge]').textContent()).toBe('Awaiting Chain');
  });

  it('lists every certificate with type, key size, expiry and a status badge that follows the org\'s clock', async () => {
    await page.goto(`${server.url}/#/certificates`);
    await page.locator('table[aria-label="Certificates"]').waitFor();
    const rows = await page.locator('table[aria-label="Certificates"] tbody tr').allTextContents();
    expect(rows).toEqual([
      expect.stringMatching(/^Partner SSOPartner_SSOCA-Signed4096\d{4}-\d\d-\d\dActive$/),
      expect.stringMatching(/^Payment GatewayPayment_GatewaySelf-Signed2048\d{4}-\d\d-\d\dActive$/),
      expect.stringMatching(/^Wrong ChainWrong_ChainCA-Signed2048\d{4}-\d\d-\d\dAwaiting Chain$/),
    ]);
    await shot('console-certificates');
    // The self-signed certificate expires in a year: 20 days before, it is expiring; after, expired.
    // The row shows the day; the certificate expires at 00:00 or 12:00 UTC on it (made before or after noon),
    // so 13 hours past the day's start is within the same whole day of either.
    const lateOnExpiryDay = Date.parse(readCertExpiry(rows[1]!)) + 13 * 3600_000;
    // A clock moved by months ends the console's session (sessions expire after two hours unused on
    // the org's clock): the console asks to sign in again, then shows the list as of the new time.
    await admin(`/_localforce/orgs/${server.org.id}/clock`, 'POST', { time: new Date(lateOnExpiryDay - 20 * 24 * 3600 * 1000).toISOString() });
    await page.reload();
    await signInAgain();
    await badgeOf('Payment_Gateway').filter({ hasText: 'Expiring in 20 days' }).waitFor();
    await admin(`/_localforce/orgs/${server.org.id}/clock`, 'POST', { time: new Date(lateOnExpiryDay).toISOString() });
    await page.reload();
    await signInAgain();
    await badgeOf('Payment_Gateway').filter({ hasText: 'Expired' }).waitFor();
    await admin(`/_localforce/orgs/${server.org.id}/clock`, 'POST', {});
  });

  it('deletes a certificate after asking', async () => {
    await page.getByRole('link', { name: 'Wrong Chain' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Delete Wrong_Chain?').waitFor();
    await page.locator('.confirm').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Certificate and Key Management' }).waitFor();
    await page.locator('tr[data-name="Payment_Gateway"]').waitFor();
    expect(await page.locator('tr[data-name="Wrong_Chain"]').count()).toBe(0);
    expect(await tokenConnection(server).metadata.read('Certificate', ['Wrong_Chain'])).toEqual([]);
  });
});

function readCertExpiry(row: string): string {
  return /(\d{4}-\d\d-\d\d)/.exec(row)![1]!;
}

describe('Keystores', () => {
  it('exports every certificate with its key to a Java keystore, and imports the file back', async () => {
    page.on('dialog', (dialog) => void dialog.accept('keystore-secret'));
    try {
      await page.goto(`${server.url}/#/certificates`);
      await page.locator('tr[data-name="Payment_Gateway"]').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export to Keystore' }).click()]);
      expect(download.suggestedFilename()).toBe('keystore.jks');
      const jks = readFileSync((await download.path())!);
      expect(jks.readUInt32BE(0)).toBe(0xfeedfeed); // the JKS magic number
      const conn = tokenConnection(server);
      await conn.metadata.delete('Certificate', ['Payment_Gateway', 'Partner_SSO']);
      await page.reload();
      await page.getByText('No certificates yet').or(page.locator('table[aria-label="Certificates"] tbody tr')).first().waitFor();
      expect(await page.locator('tr[data-name="Payment_Gateway"]').count()).toBe(0);
      await page.locator('input[type="file"][accept*=".jks"]').setInputFiles({ name: 'keystore.jks', mimeType: 'application/x-java-keystore', buffer: jks });
      // A JKS keeps its aliases in lower case (Java's keystore lowercases them), and entries come back by alias.
      await page.locator('tr[data-name="payment_gateway"]').waitFor();
      await page.locator('tr[data-name="partner_sso"]').waitFor();
      const listed = await conn.metadata.list([{ type: 'Certificate' }]);
      expect((Array.isArray(listed) ? listed : [listed]).map((c) => c.fullName).sort()).toEqual(['partner_sso', 'payment_gateway']);
      // The deploys and components pages that follow read the certificates by their first names.
      await conn.metadata.rename('Certificate', 'payment_gateway', 'Payment_Gateway');
      await conn.metadata.rename('Certificate', 'partner_sso', 'Partner_SSO');
    } finally {
      page.removeAllListeners('dialog');
    }
  });
});

describe('Deploy History', () => {
  it('lists deploys and retrieves, and shows a failed deploy\'s problems with their lines', async () => {
    const conn = tokenConnection(server);
    const zip = new JSZip();
    zip.file('package.xml', packageXml(['Broken', 'Fine']));
    zip.file('certs/Fine.crt', '');
    zip.file('certs/Fine.crt-meta.xml', certMeta({ label: 'Fine' }));
    zip.file('certs/Broken.crt', '');
    zip.file('certs/Broken.crt-meta.xml', certMeta({ label: 'Broken' }).replace('</masterLabel>', '</masterLabel'));
    const failed = await deployAndWait(conn, await zip.generateAsync({ type: 'nodebuffer' }), { checkOnly: true });
    expect(failed.status).toBe('Failed');
    await conn.metadata.retrieve({ apiVersion: '66.0', singlePackage: true, unpackaged: { types: [{ name: 'Certificate', members: ['*'] }], version: '66.0' } } as never).complete();

    await page.getByRole('link', { name: 'Deploy History' }).click();
    const row = page.locator(`tr[data-id="${failed.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/^Validation.*Failed.*1\/2 1 error.*checkOnly/);
    expect(await page.locator('table[aria-label="Deploys and retrieves"] tbody tr').first().textContent()).toMatch(/^Retrieve.*Succeeded.*Certificate: \*/);
    await shot('console-deploys');
    await row.getByRole('link').click();
    const problem = page.locator('table[aria-label="Component errors"] tbody tr');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^CertificateBrokencerts\/Broken\.crt-meta\.xml\d+:\d+Error parsing file: The end-tag for element type "masterLabel" must end with a '>' delimiter/);
    await shot('console-deploy-failed');

    await page.goBack();
    await page.locator('table[aria-label="Deploys and retrieves"] tbody tr').first().getByRole('link').click();
    await page.locator('table[aria-label="Retrieved files"]').getByText('certs/Payment_Gateway.crt', { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Zip' }).click()]);
    const files = Object.keys((await JSZip.loadAsync(readFileSync((await download.path())!))).files);
    expect(files).toEqual(expect.arrayContaining(['package.xml', 'certs/Payment_Gateway.crt', 'certs/Partner_SSO.crt']));
  });

  it('shows a running deploy\'s progress live, and its end without a reload', async () => {
    await admin(`/_localforce/orgs/${server.org.id}/deploy-pacing`, 'PUT', { hold: 'manual' });
    const conn = tokenConnection(server);
    const zip = new JSZip();
    zip.file('package.xml', packageXml(['Live_One', 'Live_Two']));
    for (const name of ['Live_One', 'Live_Two']) {
      zip.file(`certs/${name}.crt`, '');
      zip.file(`certs/${name}.crt-meta.xml`, certMeta({ label: name }));
    }
    const { id } = await conn.metadata.deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true });
    try {
      await page.goto(`${server.url}/#/deploys/${id}`);
      await page.locator('h1 [data-badge="InProgress"]').waitFor();
      await page.locator('[data-progress]').getByText(/^0 of 2 components deployed/).waitFor();
      await shot('console-deploy-running');
      await admin(`/_localforce/orgs/${server.org.id}/deploys/${id}/release`);
      await page.locator('h1 [data-badge="Succeeded"]').waitFor();
      expect(await page.locator('[data-progress]').textContent()).toMatch(/^2 of 2 components deployed/);
      expect(await page.locator('table[aria-label="Components deployed"] tbody tr').allTextContents()).toEqual(expect.arrayContaining([
        'CertificateLive_Onecerts/Live_One.crtCreated', 'CertificateLive_Twocerts/Live_Two.crtCreated',
      ]));
    } finally {
      await admin(`/_localforce/orgs/${server.org.id}/deploy-pacing`, 'DELETE');
      await admin(`/_localforce/orgs/${server.org.id}/deploys/release`);
    }
  });

  it('cancels a running deploy from its page', async () => {
    await admin(`/_localforce/orgs/${server.org.id}/deploy-pacing`, 'PUT', { hold: 'manual' });
    const zip = new JSZip();
    zip.file('package.xml', packageXml(['Never_Made']));
    zip.file('certs/Never_Made.crt', '');
    zip.file('certs/Never_Made.crt-meta.xml', certMeta({ label: 'Never made' }));
    try {
      const { id } = await tokenConnection(server).metadata.deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true });
      await page.goto(`${server.url}/#/deploys/${id}`);
      await page.locator('h1 [data-badge="InProgress"]').waitFor();
      await page.getByRole('button', { name: 'Cancel Deploy' }).click();
      await page.locator('h1 [data-badge="Canceled"]').waitFor();
      expect(await page.locator('dl').textContent()).toContain('Canceled byAdmin User');
      expect(await tokenConnection(server).metadata.read('Certificate', ['Never_Made'])).toEqual([]);
    } finally {
      await admin(`/_localforce/orgs/${server.org.id}/deploy-pacing`, 'DELETE');
      await admin(`/_localforce/orgs/${server.org.id}/deploys/release`);
    }
  });
});

describe('Components', () => {
  it('lists every stored component by type and shows its files, never a private key', async () => {
    const zip = new JSZip();
    zip.file('package.xml', packageXml(['Greeter'], '66.0', 'ApexClass'));
    zip.file('classes/Greeter.cls', 'public class Greeter {\n    public static String hello() { return \'Hello\'; }\n}\n');
    zip.file('classes/Greeter.cls-meta.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n');
    expect((await deployAndWait(tokenConnection(server), await zip.generateAsync({ type: 'nodebuffer' }))).status).toBe('Succeeded');

    await page.getByRole('link', { name: 'Components' }).click();
    await page.locator('details[data-type="ApexClass"]').getByRole('link', { name: 'Greeter' }).waitFor();
    expect(await page.locator('details[data-type="Certificate"] tbody tr').count()).toBe(4);
    await shot('console-components');
    await page.getByPlaceholder('Filter by type or name').fill('greet');
    expect(await page.locator('details[data-type]').count()).toBe(1);
    await page.getByRole('link', { name: 'Greeter' }).click();
    await page.locator('section[data-path="classes/Greeter.cls"] pre').getByText('public class Greeter').waitFor();
    await page.locator('section[data-path="classes/Greeter.cls-meta.xml"] pre').getByText('<status>Active</status>').waitFor();
    const saved = await downloadText(() => page.locator('section[data-path="classes/Greeter.cls"]').getByRole('button', { name: 'Download' }).click());
    expect(saved).toEqual({ name: 'Greeter.cls', text: "public class Greeter {\n    public static String hello() { return 'Hello'; }\n}\n" });

    await page.goto(`${server.url}/#/components/Certificate/Partner_SSO`);
    await page.locator('section[data-path="certs/Partner_SSO.crt"] pre').getByText('BEGIN CERTIFICATE').first().waitFor();
    const text = await page.locator('main').textContent();
    expect(text).toContain('<caSigned>true</caSigned>');
    expect(text).not.toContain('PRIVATE KEY');
    await shot('console-component');
  });
});

describe('Requests', () => {
  it('shows the org\'s recent calls with redacted bodies and their answers', async () => {
    const conn = tokenConnection(server);
    await conn.metadata.list([{ type: 'ApexClass' }]);
    await page.getByRole('link', { name: 'Requests' }).click();
    const first = page.locator('table[aria-label="Requests"] tbody tr').first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/POST\/services\/Soap\/m\/66\.0listMetadata200\d+$/);
    await first.click();
    const detail = page.locator('section[aria-label="Request detail"]');
    await detail.getByText('<sessionId>[redacted]</sessionId>').waitFor();
    await detail.getByText('<listMetadataResponse>').waitFor();
    expect(await detail.textContent()).not.toContain(server.org.accessToken);
    await shot('console-requests');
    // The console's own calls are left out unless asked for.
    expect(await page.locator('table[aria-label="Requests"] tbody tr', { hasText: '/console/api' }).count()).toBe(0);
    const rows = await page.locator('table[aria-label="Requests"] tbody tr').count();
    await page.getByLabel("Show the console's own calls").check();
    await page.locator('table[aria-label="Requests"] tbody tr').nth(rows).waitFor();
  });
});

describe('Single Sign-On', () => {
  it('makes the org an identity provider with one of its certificates, offers its metadata, and shows the SAML login history', async () => {
    // A certificate made now, on the org's clock (the tests above moved it past their certificates' expiry).
    const zip = new JSZip();
    zip.file('package.xml', packageXml(['Sso_Signing'])).file('certs/Sso_Signing.crt', '').file('certs/Sso_Signing.crt-meta.xml', certMeta({ label: 'SSO Signing' }));
    expect((await deployAndWait(tokenConnection(server), await zip.generateAsync({ type: 'nodebuffer' }))).status).toBe('Succeeded');
    await page.goto(`${server.url}/#/single-sign-on`);
    const form = page.getByRole('form', { name: 'Identity provider' });
    await form.locator('[data-badge="Disabled"]').waitFor();
    await form.getByLabel('Enable Identity Provider').check();
    await form.getByLabel('Certificate').selectOption('Sso_Signing');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('[data-badge="Enabled"]').waitFor();
    const { name, text } = await downloadText(() => form.getByRole('button', { name: 'Download Metadata' }).click());
    expect(name).toBe('samlidp.xml');
    expect(text).toContain(`entityID="${server.url}/?so=00D000000000001"`);
    const cert = await (await fetch(`${server.url}/.well-known/samlidp.xml`)).text();
    expect(cert).toBe(text);
    await page.locator('section[aria-label="SAML login history"]').getByText('No SAML logins yet.').waitFor();
    // Signing in to the console signed the browser in too: the identity provider knows its user.
    const session = await page.evaluate(async () => (await fetch('/secur/session')).json());
    expect(session).toMatchObject({ username: server.org.username });
    await shot('console-single-sign-on');
  });
});

describe('Scratch Orgs', () => {
  it('lists the hub\'s scratch orgs with status, creator and expiry, and expires and deletes one', async () => {
    const make = (OrgName: string) => admin(`/_localforce/orgs/${server.org.id}/scratch-orgs`, 'POST', { Edition: 'Developer', OrgName, DurationDays: 30 });
    const kept = await (await make('Feature Branch CI')).json() as { scratchOrgInfoId: string; username: string };
    const ended = await (await make('Nightly Build')).json() as { scratchOrgInfoId: string; username: string };
    await page.goto(`${server.url}/#/scratch-orgs`);
    const table = page.getByRole('table', { name: 'Scratch orgs' });
    const row = (id: string) => table.locator(`tr[data-id="${id}"]`);
    await row(kept.scratchOrgInfoId).locator('[data-badge="Active"]').waitFor();
    expect(await row(kept.scratchOrgInfoId).textContent()).toContain(server.org.username);
    page.once('dialog', (d) => d.accept());
    await row(ended.scratchOrgInfoId).getByRole('button', { name: 'Expire' }).click();
    await row(ended.scratchOrgInfoId).locator('[data-badge="Expired"]').waitFor();
    await shot('console-scratch-orgs');
    page.once('dialog', (d) => d.accept());
    await row(kept.scratchOrgInfoId).getByRole('button', { name: 'Delete' }).click();
    await row(kept.scratchOrgInfoId).locator('[data-badge="Deleted"]').waitFor();
  });
});

describe('signing in with an access token', () => {
  it('opens another org with its token, seeing only that org', async () => {
    const other = await (await admin('/_localforce/orgs')).json() as LocalforceServer['org'];
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('tab', { name: 'Access token' }).click();
    await page.getByLabel('Access token').fill('00D000000000001AAA!not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The org does not know this access token').waitFor();
    await page.getByLabel('Access token').fill(other.accessToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No certificates yet').waitFor();
    expect(await page.locator('.who').textContent()).toContain(other.username);
  });
});
