/**
 * Source tracking with the real sf CLI against a Localforce scratch org: `sf project deploy start` with
 * no arguments deploys only local changes and waits for no SourceMember; previews list exactly what
 * they should; a change made on the org (through jsforce, not the project) comes back alone with
 * `sf project retrieve start`; a conflict stops a deploy until `--ignore-conflicts`; `sf project reset
 * tracking` works; a deletion on the org deletes the local file. The tests run in order, as one
 * developer's day would. Then the 40-type fixture project deploys tracked with no warning, and a
 * scratch org made with settings by `sf org create scratch` leaves nothing to retrieve.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { adminFetch, asArray, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfResult, type SfRunner } from '../support/sfCli';

const ROOT = resolve(__dirname, '../..');
const NS = 'http://soap.sforce.com/2006/04/metadata';
const SRC = join('force-app', 'main', 'default');
const ALIAS = 'tracked';

let server: LocalforceServer;
let sf: SfRunner;
let scratch: string;
let project: string;
/** jsforce on the scratch org: someone changing it in Setup, not through the project. */
let org: Connection;
let orgId: string;

const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}\n</${root}>\n`;
const classText = (name: string, body = '') => `public with sharing class ${name} {${body}}\n`;
const classMeta = xml('ApexClass', '    <apiVersion>66.0</apiVersion>\n    <status>Active</status>');
const labelXml = (name: string, value: string) =>
  `    <labels>\n        <fullName>${name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${name}</shortDescription>\n        <value>${value}</value>\n    </labels>`;

/** The project's files in source format, as a developer keeps them. */
const SOURCE: Record<string, string> = {
  'classes/Foo.cls': classText('Foo'),
  'classes/Foo.cls-meta.xml': classMeta,
  'classes/Helper.cls': classText('Helper'),
  'classes/Helper.cls-meta.xml': classMeta,
  'objects/Broker__c/Broker__c.object-meta.xml': xml('CustomObject', [
    '    <deploymentStatus>Deployed</deploymentStatus>', '    <label>Broker</label>',
    '    <nameField>\n        <label>Broker Name</label>\n        <type>Text</type>\n    </nameField>',
    '    <pluralLabel>Brokers</pluralLabel>', '    <sharingModel>ReadWrite</sharingModel>',
  ].join('\n')),
  'objects/Broker__c/fields/Email__c.field-meta.xml': xml('CustomField',
    '    <fullName>Email__c</fullName>\n    <label>Email</label>\n    <required>false</required>\n    <type>Email</type>\n    <unique>false</unique>'),
  'objects/Broker__c/fields/Phone__c.field-meta.xml': xml('CustomField',
    '    <fullName>Phone__c</fullName>\n    <label>Phone</label>\n    <required>false</required>\n    <type>Phone</type>'),
  'objects/Broker__c/listViews/All.listView-meta.xml': xml('ListView',
    '    <fullName>All</fullName>\n    <filterScope>Everything</filterScope>\n    <label>All</label>'),
  'lwc/card/card.js': "import { LightningElement } from 'lwc';\n\nexport default class Card extends LightningElement {}\n",
  'lwc/card/card.html': '<template>\n    <p>Card</p>\n</template>\n',
  'lwc/card/card.js-meta.xml': xml('LightningComponentBundle', '    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>'),
  'labels/CustomLabels.labels-meta.xml': xml('CustomLabels', [labelXml('Farewell', 'Bye'), labelXml('Greeting', 'Hello')].join('\n')),
};

const local = (path: string) => join(project, SRC, path);
function writeLocal(path: string, text: string): void {
  mkdirSync(dirname(local(path)), { recursive: true });
  writeFileSync(local(path), text);
}

/** A change made on the org itself: a metadata-format deploy through jsforce. */
async function changeOnOrg(types: Record<string, string[]>, files: Record<string, string>, destructive?: Record<string, string[]>): Promise<void> {
  const manifest = (t: Record<string, string[]>) => xml('Package',
    `${Object.entries(t).map(([name, members]) => `    <types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`).join('\n')}\n    <version>66.0</version>`);
  const zip = new JSZip();
  zip.file('package.xml', manifest(types));
  if (destructive) zip.file('destructiveChanges.xml', manifest(destructive));
  for (const [path, text] of Object.entries(files)) zip.file(path, text);
  const result = await deployAndWait(org, await zip.generateAsync({ type: 'nodebuffer' }));
  expect(asArray(result.details?.componentFailures).map((f) => `${f.fullName}: ${f.problem}`)).toEqual([]);
  expect(result.status).toBe('Succeeded');
}

const run = (args: string[]) => sf(args, { cwd: project });
/** Warnings about tracking: a SourceMember the CLI waited for in vain, or a row of a type it does not know. */
const trackingWarnings = (r: SfResult) => (r.json.warnings ?? []).filter((w) => /SourceMember|Unable to find type/i.test(String(w)));
type Row = { type: string; fullName: string };
const names = (rows: Row[] | undefined) => asArray(rows).map((r) => `${r.type}:${r.fullName}`).sort();
const uniqueNames = (rows: Row[] | undefined) => [...new Set(names(rows))];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-tracking-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startTestServer();
  const res = await adminFetch(server, `/_localforce/orgs/${server.org.id}/scratch-orgs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
  });
  expect(res.status).toBe(201);
  const made = await res.json() as { id: string; accessToken: string };
  orgId = made.id;
  org = tokenConnection(server, made.accessToken);

  project = join(scratch, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }, null, 2));
  for (const [path, text] of Object.entries(SOURCE)) writeLocal(path, text);
  const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', ALIAS, '--set-default', '--no-prompt'],
    { cwd: project, env: { SF_ACCESS_TOKEN: made.accessToken } });
  expect(login.code).toBe(0);
  expect(login.json.result).toMatchObject({ orgId, isScratch: true });
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(4 * SF_COMMAND_TIMEOUT_MS);

/** The sf CLI's previews, as `Type:fullName` lists. */
async function previews() {
  // One after the other, as a user types them: both read and write the project's tracking files
  // (.sf/orgs/<id>), which two CLI processes at once can find locked.
  const deploy = await run(['project', 'deploy', 'preview']);
  const retrieve = await run(['project', 'retrieve', 'preview']);
  const failed = [deploy, retrieve].find((r) => r.code !== 0);
  expect([deploy.code, retrieve.code, failed ? `${failed.json.name}: ${failed.json.message}\n${failed.stderr.slice(-2000)}` : '']).toEqual([0, 0, '']);
  expect([...trackingWarnings(deploy), ...trackingWarnings(retrieve)]).toEqual([]);
  return {
    toDeploy: uniqueNames(deploy.json.result.toDeploy), toDelete: uniqueNames(deploy.json.result.toDelete), conflicts: uniqueNames(deploy.json.result.conflicts),
    toRetrieve: uniqueNames(retrieve.json.result.toRetrieve), remoteDeletes: uniqueNames(retrieve.json.result.toDelete),
  };
}
const NOTHING = { toDeploy: [], toDelete: [], conflicts: [], toRetrieve: [], remoteDeletes: [] };

/** The SourceMember counter the org is at (what the CLI would call serverMaxRevisionCounter). */
async function orgRevision(): Promise<number> {
  const rows = await org.tooling.query<{ RevisionCounter: number }>('SELECT RevisionCounter FROM SourceMember WHERE RevisionCounter > 0', { autoFetch: true });
  return Math.max(0, ...rows.records.map((r) => r.RevisionCounter));
}

describe('sf project deploy and retrieve on a tracked scratch org', () => {
  it('previews the first deploy: every local component, nothing to retrieve, no conflict', async () => {
    expect(await previews()).toEqual({
      ...NOTHING,
      toDeploy: ['ApexClass:Foo', 'ApexClass:Helper', 'CustomField:Broker__c.Email__c', 'CustomField:Broker__c.Phone__c', 'CustomLabels:CustomLabels',
        'CustomObject:Broker__c', 'LightningComponentBundle:card', 'ListView:Broker__c.All'],
    });
  });

  it('deploys the local changes with no arguments and waits for no SourceMember', async () => {
    const r = await run(['project', 'deploy', 'start']);
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 10 });
    expect(r.json.warnings ?? []).toEqual([]);
    expect(uniqueNames(r.json.result.files)).toEqual([
      'ApexClass:Foo', 'ApexClass:Helper', 'CustomField:Broker__c.Email__c', 'CustomField:Broker__c.Phone__c', 'CustomLabel:Farewell',
      'CustomLabel:Greeting', 'CustomLabels:CustomLabels', 'CustomObject:Broker__c', 'LightningComponentBundle:card', 'ListView:Broker__c.All',
    ]);
    // What the CLI now knows of the org: every row it read, each marked as already in the project.
    const tracking = JSON.parse(readFileSync(join(project, '.sf', 'orgs', orgId, 'maxRevision.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(tracking)).toContain('LightningComponentResource');
  });

  it('then has nothing to deploy or retrieve, and says so for a deploy with no changes', async () => {
    expect(await previews()).toEqual(NOTHING);
    const again = await run(['project', 'deploy', 'start']);
    expect(again.code).toBe(0);
    expect(again.json.result).toEqual({ status: 'Nothing to deploy', files: [] });
  });

  it('deploys only what changed locally: one class and one label of the labels file', async () => {
    writeLocal('classes/Helper.cls', classText('Helper', ' public static Integer twice(Integer n) { return 2 * n; } '));
    writeLocal('labels/CustomLabels.labels-meta.xml', SOURCE['labels/CustomLabels.labels-meta.xml']!.replace('<value>Hello</value>', '<value>Hi</value>'));
    expect((await previews()).toDeploy).toEqual(['ApexClass:Helper', 'CustomLabels:CustomLabels']);
    const r = await run(['project', 'deploy', 'start']);
    expect(r.code).toBe(0);
    expect(r.json.warnings ?? []).toEqual([]);
    expect(uniqueNames(r.json.result.files)).toEqual(['ApexClass:Helper', 'CustomLabel:Farewell', 'CustomLabel:Greeting', 'CustomLabels:CustomLabels']);
    expect(await previews()).toEqual(NOTHING);
  });

  it('retrieves a change made on the org, and only that', async () => {
    await changeOnOrg({ ApexClass: ['Helper', 'Bar'], CustomField: ['Broker__c.Email__c'] }, {
      'classes/Helper.cls': classText('Helper', ' /* changed in the org */ '), 'classes/Helper.cls-meta.xml': classMeta,
      'classes/Bar.cls': classText('Bar'), 'classes/Bar.cls-meta.xml': classMeta,
      'objects/Broker__c.object': xml('CustomObject', '    <fields>\n        <fullName>Email__c</fullName>\n        <label>Work Email</label>\n        <required>false</required>\n        <type>Email</type>\n        <unique>false</unique>\n    </fields>'),
    });
    expect(await previews()).toEqual({ ...NOTHING, toRetrieve: ['ApexClass:Bar', 'ApexClass:Helper', 'CustomField:Broker__c.Email__c'] });
    const r = await run(['project', 'retrieve', 'start']);
    expect(r.code).toBe(0);
    expect(trackingWarnings(r)).toEqual([]);
    expect(uniqueNames(r.json.result.files)).toEqual(['ApexClass:Bar', 'ApexClass:Helper', 'CustomField:Broker__c.Email__c']);
    expect(readFileSync(local('classes/Helper.cls'), 'utf8')).toContain('changed in the org');
    expect(existsSync(local('classes/Bar.cls'))).toBe(true);
    expect(readFileSync(local('objects/Broker__c/fields/Email__c.field-meta.xml'), 'utf8')).toContain('<label>Work Email</label>');
    expect(await previews()).toEqual(NOTHING);
  });

  it('stops a deploy when the org changed the same component, and deploys it with --ignore-conflicts', async () => {
    writeLocal('classes/Foo.cls', classText('Foo', ' /* changed here */ '));
    await changeOnOrg({ ApexClass: ['Foo'] }, { 'classes/Foo.cls': classText('Foo', ' /* changed there */ '), 'classes/Foo.cls-meta.xml': classMeta });
    expect(await previews()).toMatchObject({ toDeploy: [], conflicts: ['ApexClass:Foo'], toRetrieve: [] });

    const refused = await run(['project', 'deploy', 'start']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ name: 'SourceConflictError', message: '2 conflicts detected' });
    expect((refused.json as { data?: { state: string; fullName: string; type: string; filePath: string }[] }).data!
      .map((c) => [c.state, c.type, c.fullName, c.filePath.slice(project.length + 1)]).sort()).toEqual([
      ['Conflict', 'ApexClass', 'Foo', join(SRC, 'classes', 'Foo.cls')], ['Conflict', 'ApexClass', 'Foo', join(SRC, 'classes', 'Foo.cls-meta.xml')],
    ]);

    const forced = await run(['project', 'deploy', 'start', '--ignore-conflicts']);
    expect(forced.code).toBe(0);
    expect(forced.json.warnings ?? []).toEqual([]);
    expect(uniqueNames(forced.json.result.files)).toEqual(['ApexClass:Foo']);
    expect(await previews()).toEqual(NOTHING);
  });

  it('resets tracking, to the latest revision or to an earlier one', async () => {
    const before = await orgRevision();
    await changeOnOrg({ ApexClass: ['Baz'] }, { 'classes/Baz.cls': classText('Baz'), 'classes/Baz.cls-meta.xml': classMeta });
    expect((await previews()).toRetrieve).toEqual(['ApexClass:Baz']);

    const reset = await run(['project', 'reset', 'tracking', '--no-prompt']);
    expect(reset.code).toBe(0);
    expect(await previews()).toEqual(NOTHING);

    // Back to the revision before Baz: Baz is a change to retrieve again (the CLI's `RevisionCounter <= n` query).
    const back = await run(['project', 'reset', 'tracking', '--revision', String(before), '--no-prompt']);
    expect(back.code).toBe(0);
    expect((await previews()).toRetrieve).toEqual(['ApexClass:Baz']);
    expect((await run(['project', 'reset', 'tracking', '--no-prompt'])).code).toBe(0);
    expect(await previews()).toEqual(NOTHING);
  });

  it('deletes the local files of what was deleted on the org', async () => {
    await changeOnOrg({}, {}, { ApexClass: ['Bar'], CustomField: ['Broker__c.Phone__c'] });
    expect(await previews()).toEqual({ ...NOTHING, remoteDeletes: ['ApexClass:Bar', 'CustomField:Broker__c.Phone__c'] });
    const r = await run(['project', 'retrieve', 'start']);
    expect(r.code).toBe(0);
    expect(trackingWarnings(r)).toEqual([]);
    expect(existsSync(local('classes/Bar.cls'))).toBe(false);
    expect(existsSync(local('classes/Bar.cls-meta.xml'))).toBe(false);
    expect(existsSync(local('objects/Broker__c/fields/Phone__c.field-meta.xml'))).toBe(false);
    expect(existsSync(local('objects/Broker__c/fields/Email__c.field-meta.xml'))).toBe(true);
    expect(await previews()).toEqual(NOTHING);
  });

  it('deploys a local deletion as a deletion, and waits for no SourceMember', async () => {
    unlinkSync(local('classes/Helper.cls'));
    unlinkSync(local('classes/Helper.cls-meta.xml'));
    rmSync(local('lwc/card'), { recursive: true });
    expect((await previews()).toDelete).toEqual(['ApexClass:Helper', 'LightningComponentBundle:card']);
    const r = await run(['project', 'deploy', 'start']);
    expect(r.code).toBe(0);
    expect(r.json.warnings ?? []).toEqual([]);
    const listed = asArray(await org.metadata.list([{ type: 'ApexClass' }, { type: 'LightningComponentBundle' }])).map((p) => `${p.type}:${p.fullName}`).sort();
    expect(listed).toEqual(['ApexClass:Baz', 'ApexClass:Foo']);
    expect(await previews()).toEqual(NOTHING);
  });
});

describe('a whole project of every kind of component', () => {
  it('deploys tracked with no SourceMember missed, and leaves no change to retrieve', async () => {
    const res = await adminFetch(server, `/_localforce/orgs/${server.org.id}/scratch-orgs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(201);
    const made = await res.json() as { accessToken: string };
    const dir = join(scratch, 'all-types');
    cpSync(join(ROOT, 'fixtures', 'all-types-project'), dir, { recursive: true });
    const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'all-types', '--no-prompt'],
      { cwd: dir, env: { SF_ACCESS_TOKEN: made.accessToken } });
    expect(login.code).toBe(0);
    const deployed = await sf(['project', 'deploy', 'start', '-o', 'all-types'], { cwd: dir });
    expect(deployed.code).toBe(0);
    expect(deployed.json.warnings ?? []).toEqual([]);
    const preview = await sf(['project', 'retrieve', 'preview', '-o', 'all-types'], { cwd: dir });
    expect(preview.json.warnings ?? []).toEqual([]);
    expect(preview.json.result).toMatchObject({ toRetrieve: [], toDelete: [], conflicts: [] });
    // Aura files are members of their own, the bundle's meta file excepted.
    const rows = await tokenConnection(server, made.accessToken).tooling.query<{ MemberName: string }>(
      "SELECT MemberName FROM SourceMember WHERE MemberType = 'AuraDefinition'");
    expect(rows.records.map((r) => r.MemberName).sort()).toEqual([
      'brokerSummary/brokerSummary.cmp', 'brokerSummary/brokerSummary.css', 'brokerSummary/brokerSummary.design',
      'brokerSummary/brokerSummaryController.js', 'brokerSummary/brokerSummaryHelper.js',
    ]);
  });
});

describe('a scratch org made by sf org create scratch with settings', () => {
  it('tracks the settings deploy, whose rows the CLI sets to revision 0, so they are no change to retrieve', async () => {
    const dir = join(scratch, 'with-settings');
    mkdirSync(join(dir, 'config'), { recursive: true });
    mkdirSync(join(dir, 'force-app'), { recursive: true });
    writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    writeFileSync(join(dir, 'config', 'def.json'), JSON.stringify({
      edition: 'Developer', settings: { lightningExperienceSettings: { enableS1DesktopEnabled: true }, mobileSettings: { enableS1EncryptedStoragePref2: false } },
    }));
    const hub = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'hub', '--set-default-dev-hub', '--no-prompt'],
      { cwd: dir, env: { SF_ACCESS_TOKEN: server.org.accessToken } });
    expect(hub.code).toBe(0);
    const made = await sf(['org', 'create', 'scratch', '-f', join('config', 'def.json'), '--alias', 'with-settings', '--wait', '5'], { cwd: dir });
    expect(made.code).toBe(0);
    expect(trackingWarnings(made)).toEqual([]);
    const token = await sf(['org', 'auth', 'show-access-token', '-o', 'with-settings'], { cwd: dir });
    const conn = tokenConnection(server, token.json.result.accessToken as string);
    const rows = await conn.tooling.query<{ MemberType: string; MemberName: string; RevisionCounter: number }>(
      'SELECT MemberType, MemberName, RevisionCounter FROM SourceMember WHERE RevisionCounter <= 0');
    expect(rows.records.map((r) => [`${r.MemberType}###${r.MemberName}`, r.RevisionCounter]).sort()).toEqual([
      ['Settings###LightningExperience', 0], ['Settings###Mobile', 0],
    ]);
    const preview = await sf(['project', 'retrieve', 'preview', '-o', 'with-settings'], { cwd: dir });
    expect(preview.code).toBe(0);
    expect(preview.json.warnings ?? []).toEqual([]);
    expect(preview.json.result).toMatchObject({ toRetrieve: [], toDelete: [], conflicts: [] });
  });
});
