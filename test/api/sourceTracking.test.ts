import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { Store } from '../../src/store/store';
import { adminFetch, asArray, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

/*
 * Source tracking over the wire: deploys and CRUD calls to a scratch org leave SourceMember rows that
 * the Tooling API answers (the queries the sf CLI sends, word for word), a PATCH sets a row's counter,
 * and orgs that are not scratch orgs have no SourceMember object at all.
 */

const NS = 'http://soap.sforce.com/2006/04/metadata';
const SELECT = 'SELECT MemberIdOrName, MemberType, MemberName, IsNameObsolete, RevisionCounter, IsNewMember, ChangedBy, LastModifiedDate FROM SourceMember';

interface Member {
  Id?: string; MemberIdOrName: string; MemberType: string; MemberName: string; IsNameObsolete: boolean; RevisionCounter: number;
  IsNewMember: boolean; ChangedBy: string; LastModifiedDate: string;
}
interface ScratchOrg { id: string; userId: string; username: string; accessToken: string; conn: Connection }

let server: LocalforceServer;

beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

/** A new scratch org of the default org's Dev Hub, through the admin API. */
async function newScratchOrg(): Promise<ScratchOrg> {
  const res = await adminFetch(server, `/_localforce/orgs/${server.org.id}/scratch-orgs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
  });
  if (res.status !== 201) throw new Error(`POST …/scratch-orgs answered ${res.status}: ${await res.text()}`);
  const org = await res.json() as Omit<ScratchOrg, 'conn'>;
  return { ...org, conn: tokenConnection(server, org.accessToken) };
}

const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}\n</${root}>\n`;
const manifest = (types: Record<string, string[]>) => xml('Package',
  `${Object.entries(types).map(([name, members]) => `  <types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`).join('\n')}\n  <version>66.0</version>`);

const field = (name: string, label: string, type = 'Text', extra = '<length>80</length>') =>
  `  <fields><fullName>${name}</fullName><label>${label}</label><required>false</required><type>${type}</type>${type === 'Text' ? extra : ''}<unique>false</unique></fields>`;
const objectFile = (fields: string[], more = '') => xml('CustomObject', [
  '  <deploymentStatus>Deployed</deploymentStatus>', ...fields, '  <label>Broker</label>', more,
  '  <nameField><label>Broker Name</label><type>Text</type></nameField>', '  <pluralLabel>Brokers</pluralLabel>', '  <sharingModel>ReadWrite</sharingModel>',
].filter(Boolean).join('\n'));
const label = (name: string, value: string) =>
  `  <labels><fullName>${name}</fullName><language>en_US</language><protected>false</protected><shortDescription>${name}</shortDescription><value>${value}</value></labels>`;
const apexClass = (name: string, body = '') => ({
  [`classes/${name}.cls`]: `public with sharing class ${name} {${body}}\n`,
  [`classes/${name}.cls-meta.xml`]: xml('ApexClass', '  <apiVersion>66.0</apiVersion>\n  <status>Active</status>'),
});
const LWC = {
  'lwc/card/card.js': "import { LightningElement } from 'lwc';\nexport default class Card extends LightningElement {}\n",
  'lwc/card/card.html': '<template><p>Card</p></template>\n',
  'lwc/card/card.js-meta.xml': xml('LightningComponentBundle', '  <apiVersion>66.0</apiVersion>\n  <isExposed>false</isExposed>'),
};

/** The project as one metadata-format package. */
const project = (over: { cls?: string; greeting?: string } = {}) => ({
  'package.xml': manifest({
    ApexClass: ['Foo'], CustomObject: ['Broker__c'], CustomField: ['Broker__c.Email__c', 'Broker__c.Phone__c'], ListView: ['Broker__c.All'],
    LightningComponentBundle: ['card'], CustomLabels: ['CustomLabels'], CustomLabel: ['Greeting', 'Farewell'],
  }),
  ...apexClass('Foo', over.cls ?? ''),
  'objects/Broker__c.object': objectFile([field('Email__c', 'Email', 'Email'), field('Phone__c', 'Phone', 'Phone')],
    '  <listViews><fullName>All</fullName><filterScope>Everything</filterScope><label>All</label></listViews>'),
  ...LWC,
  'labels/CustomLabels.labels': xml('CustomLabels', [label('Farewell', 'Bye'), label('Greeting', over.greeting ?? 'Hello')].join('\n')),
});

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, text] of Object.entries(files)) zip.file(path, text);
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function deploy(conn: Connection, files: Record<string, string>, options: Record<string, unknown> = {}) {
  const result = await deployAndWait(conn, await zipOf(files), options);
  expect({ status: result.status, failures: asArray(result.details?.componentFailures).map((f) => `${f.fullName}: ${f.problem}`) })
    .toEqual({ status: 'Succeeded', failures: [] });
  return result;
}

/** The sf CLI's own query for what changed since a revision. */
async function membersAfter(conn: Connection, revision = 0): Promise<Member[]> {
  const result = await conn.tooling.query<Member>(`${SELECT} WHERE RevisionCounter > ${revision}`, { autoFetch: true, maxFetch: 50_000 });
  return result.records.map(({ attributes: _a, ...m }: Member & { attributes?: unknown }) => m);
}
const keys = (members: Member[]) => members.map((m) => `${m.MemberType}###${m.MemberName}`).sort();
const maxCounter = (members: Member[]) => Math.max(0, ...members.map((m) => m.RevisionCounter));

const PROJECT_KEYS = [
  'ApexClass###Foo', 'CustomField###Broker__c.Email__c', 'CustomField###Broker__c.Phone__c', 'CustomLabel###Farewell', 'CustomLabel###Greeting',
  'CustomObject###Broker__c', 'LightningComponentBundle###card', 'LightningComponentResource###card/card.html',
  'LightningComponentResource###card/card.js', 'LightningComponentResource###card/card.js-meta.xml', 'ListView###Broker__c.All',
];

describe('which orgs have SourceMember', () => {
  it('answers the describe for a scratch org and 404 for any other, as the sf CLI asks it', async () => {
    const scratch = await newScratchOrg();
    const describe = (token: string) => fetch(`${server.url}/services/data/v66.0/tooling/sobjects/SourceMember/describe`, { headers: { Authorization: `Bearer ${token}` } });
    const own = await describe(scratch.accessToken);
    expect(own.status).toBe(200);
    const body = await own.json() as { name: string; queryable: boolean; keyPrefix: string; fields: { name: string; updateable: boolean }[] };
    expect(body).toMatchObject({ name: 'SourceMember', queryable: true, keyPrefix: '0MZ' });
    expect(body.fields.filter((f) => f.updateable).map((f) => f.name)).toEqual(['RevisionCounter']);
    expect(body.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['MemberType', 'MemberName', 'RevisionCounter', 'IsNameObsolete', 'IsNewMember', 'ChangedBy']));

    const other = await describe(server.org.accessToken);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual([{ errorCode: 'NOT_FOUND', message: expect.stringMatching(/^The requested resource does not exist/) }]);
    await expect(tokenConnection(server).tooling.query(`${SELECT} WHERE RevisionCounter > 0`)).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    const patch = await fetch(`${server.url}/services/data/v66.0/tooling/sobjects/SourceMember/0MZ000000000001AAA`, {
      method: 'PATCH', headers: { Authorization: `Bearer ${server.org.accessToken}`, 'Content-Type': 'application/json' }, body: '{"RevisionCounter":0}',
    });
    expect(patch.status).toBe(404);
  });

  it('writes nothing at all for an org that is not a scratch org', async () => {
    const location = mkdtempSync(join(tmpdir(), 'localforce-tracking-'));
    try {
      const own = await startTestServer({ inMemory: false, location });
      try {
        await deploy(tokenConnection(own), project());
      } finally {
        await own.close();
      }
      const store = Store.open(location);
      try {
        expect(store.sourceMembers.list(own.org.id)).toEqual([]);
        expect(store.sourceMembers.revisionCounter(own.org.id)).toBe(0);
        expect(store.components.inventory(own.org.id)).toHaveLength(9);
      } finally {
        store.close();
      }
    } finally {
      rmSync(location, { recursive: true, force: true });
    }
  });
});

describe('a deploy to a scratch org', () => {
  let org: ScratchOrg;
  beforeAll(async () => { org = await newScratchOrg(); });

  it('writes one new row per key, by the deploying user, each with its own number, by the time the deploy is done', async () => {
    expect(await membersAfter(org.conn)).toEqual([]);
    const result = await deploy(org.conn, project());
    const members = await membersAfter(org.conn);
    expect(keys(members)).toEqual(PROJECT_KEYS);
    expect(members.map((m) => m.RevisionCounter).sort((a, b) => a - b)).toEqual(PROJECT_KEYS.map((_k, i) => i + 1));
    for (const m of members) {
      expect(m).toMatchObject({ IsNewMember: true, IsNameObsolete: false, ChangedBy: org.userId.slice(0, 15) });
      expect(m.LastModifiedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    }
    // MemberIdOrName is the component's id, as the deploy reported it.
    const ids = new Map(asArray(result.details?.componentSuccesses).map((s) => [`${s.componentType}###${s.fullName}`, s.id]));
    for (const k of ['ApexClass###Foo', 'CustomField###Broker__c.Email__c', 'LightningComponentBundle###card']) {
      expect(members.find((m) => `${m.MemberType}###${m.MemberName}` === k)!.MemberIdOrName).toBe(ids.get(k));
    }
    // The CLI names who changed what with this data query.
    const users = await org.conn.query<{ Id: string; Name: string }>(`SELECT Id, Name FROM User WHERE Id IN ('${members[0]!.ChangedBy}')`);
    expect(users.records.map((u) => u.Id)).toEqual([org.userId]);
  });

  it('writes nothing for a deploy that changes nothing, and a row for each component that changed', async () => {
    const before = maxCounter(await membersAfter(org.conn));
    await deploy(org.conn, project());
    expect(await membersAfter(org.conn, before)).toEqual([]);

    await deploy(org.conn, project({ cls: ' public Integer n; ', greeting: 'Hi' }));
    const changed = await membersAfter(org.conn, before);
    expect(changed.map((m) => [`${m.MemberType}###${m.MemberName}`, m.RevisionCounter, m.IsNewMember]).sort()).toEqual([
      ['ApexClass###Foo', before + 1, false], ['CustomLabel###Greeting', before + 2, false],
    ].sort());
    // One row per key: the class's row moved on, it did not gain a second one.
    expect(keys(await membersAfter(org.conn))).toEqual(PROJECT_KEYS);
  });

  it('marks what destructive changes delete obsolete: a field, and a bundle with each of its files', async () => {
    const before = maxCounter(await membersAfter(org.conn));
    await deploy(org.conn, {
      'package.xml': manifest({}),
      'destructiveChanges.xml': manifest({ CustomField: ['Broker__c.Phone__c'], LightningComponentBundle: ['card'] }),
    }, { purgeOnDelete: true });
    const deleted = await membersAfter(org.conn, before);
    expect(keys(deleted)).toEqual([
      'CustomField###Broker__c.Phone__c', 'LightningComponentBundle###card', 'LightningComponentResource###card/card.html',
      'LightningComponentResource###card/card.js', 'LightningComponentResource###card/card.js-meta.xml',
    ]);
    for (const m of deleted) expect(m).toMatchObject({ IsNameObsolete: true, IsNewMember: false });

    // Deployed again, the bundle is a new member once more, under the same rows.
    await deploy(org.conn, { 'package.xml': manifest({ LightningComponentBundle: ['card'] }), ...LWC });
    const back = await membersAfter(org.conn, maxCounter(deleted));
    expect(keys(back)).toEqual(keys(deleted).filter((k) => !k.startsWith('CustomField')));
    for (const m of back) expect(m).toMatchObject({ IsNameObsolete: false, IsNewMember: true });
    expect(keys(await membersAfter(org.conn))).toEqual(PROJECT_KEYS);
  });

  it('records a settings deploy under the Settings type, as the CLI names a settings file', async () => {
    const before = maxCounter(await membersAfter(org.conn));
    await deploy(org.conn, {
      'package.xml': manifest({ Settings: ['Security'] }),
      'settings/Security.settings': xml('SecuritySettings', '  <passwordPolicies><minimumPasswordLength>10</minimumPasswordLength></passwordPolicies>'),
    });
    expect(keys(await membersAfter(org.conn, before))).toEqual(['Settings###Security']);
  });

  it('pages a long answer with nextRecordsUrl, as jsforce follows it', async () => {
    const names = Array.from({ length: 2100 }, (_v, i) => `Bulk_${String(i).padStart(4, '0')}`);
    const before = maxCounter(await membersAfter(org.conn));
    await deploy(org.conn, {
      'package.xml': manifest({ CustomLabel: names }),
      'labels/CustomLabels.labels': xml('CustomLabels', names.map((n) => label(n, n)).join('\n')),
    });
    const first = await org.conn.tooling.query<Member>(`${SELECT} WHERE RevisionCounter > ${before}`);
    expect(first).toMatchObject({ totalSize: 2100, done: false });
    expect(first.records).toHaveLength(2000);
    expect(keys(await membersAfter(org.conn, before))).toEqual(names.map((n) => `CustomLabel###${n}`));
  });
});

describe('CRUD calls on a scratch org', () => {
  let org: ScratchOrg;
  beforeAll(async () => { org = await newScratchOrg(); });

  const changesOf = async (since: number) => (await membersAfter(org.conn, since))
    .sort((a, b) => a.RevisionCounter - b.RevisionCounter)
    .map((m) => `${m.MemberType}###${m.MemberName}${m.IsNameObsolete ? ' deleted' : m.IsNewMember ? ' new' : ' changed'}`);
  const saved = (results: unknown) => expect(asArray(results as { success: boolean }[]).map((r) => r.success)).toEqual(expect.arrayContaining([true]));

  it('create, update, upsert, rename and delete each leave their rows', async () => {
    const broker = {
      fullName: 'Desk__c', label: 'Desk', pluralLabel: 'Desks', deploymentStatus: 'Deployed', sharingModel: 'ReadWrite',
      nameField: { label: 'Desk Name', type: 'Text' },
      fields: [{ fullName: 'Floor__c', label: 'Floor', type: 'Number', precision: 3, scale: 0, required: false, unique: false }],
    };
    saved(await org.conn.metadata.create('CustomObject', broker as never));
    expect(await changesOf(0)).toEqual(['CustomObject###Desk__c new', 'CustomField###Desk__c.Floor__c new']);

    saved(await org.conn.metadata.update('CustomField', { fullName: 'Desk__c.Floor__c', label: 'Storey', type: 'Number', precision: 3, scale: 0 } as never));
    expect(await changesOf(2)).toEqual(['CustomField###Desk__c.Floor__c changed']);

    saved(await org.conn.metadata.upsert('CustomField', { fullName: 'Desk__c.Wing__c', label: 'Wing', type: 'Text', length: 20 } as never));
    expect(await changesOf(3)).toEqual(['CustomField###Desk__c.Wing__c new']);

    saved(await org.conn.metadata.rename('CustomObject', 'Desk__c', 'Table__c'));
    expect(await changesOf(4)).toEqual([
      'CustomObject###Desk__c deleted', 'CustomField###Desk__c.Floor__c deleted', 'CustomField###Desk__c.Wing__c deleted',
      'CustomObject###Table__c new', 'CustomField###Table__c.Floor__c new', 'CustomField###Table__c.Wing__c new',
    ]);

    saved(await org.conn.metadata.delete('CustomField', ['Table__c.Wing__c']));
    expect(await changesOf(10)).toEqual(['CustomField###Table__c.Wing__c deleted']);
  });
});

describe('PATCH …/tooling/sobjects/SourceMember/<id>', () => {
  let org: ScratchOrg;
  beforeAll(async () => {
    org = await newScratchOrg();
    await deploy(org.conn, { 'package.xml': manifest({ ApexClass: ['One', 'Two'] }), ...apexClass('One'), ...apexClass('Two') });
  });
  const patch = (id: string, body: unknown) => fetch(`${server.url}/services/data/v66.0/tooling/sobjects/SourceMember/${id}`, {
    method: 'PATCH', headers: { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });

  it('sets RevisionCounter to 0 for every row, as the CLI does after a scratch org\'s settings', async () => {
    // sfdx-core's updateRevisionCounterToZero, call for call.
    const found = await org.conn.tooling.sobject('SourceMember').find({ RevisionCounter: { $gt: 0 } }, ['Id']);
    expect(found).toHaveLength(2);
    await Promise.all(found.map((r) => org.conn.tooling.sobject('SourceMember').update({ Id: r.Id!, RevisionCounter: 0 })));
    expect(await membersAfter(org.conn)).toEqual([]);
    const zeroed = await org.conn.tooling.query<Member>(`${SELECT} WHERE RevisionCounter <= 0`);
    expect(zeroed.records.map((m) => [m.MemberName, m.RevisionCounter]).sort()).toEqual([['One', 0], ['Two', 0]]);
    // A later change numbers on from the org's counter, past every row it set aside.
    await deploy(org.conn, { 'package.xml': manifest({ ApexClass: ['One'] }), ...apexClass('One', ' Integer x; ') });
    expect((await membersAfter(org.conn)).map((m) => [m.MemberName, m.RevisionCounter])).toEqual([['One', 3]]);
  });

  it('answers 204 with no body, and refuses other fields and unknown ids', async () => {
    const [row] = (await org.conn.tooling.query<{ Id: string }>('SELECT Id FROM SourceMember WHERE RevisionCounter > 0')).records;
    const ok = await patch(row!.Id, { RevisionCounter: 7 });
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    expect((await membersAfter(org.conn, 6)).map((m) => m.RevisionCounter)).toEqual([7]);

    const readOnly = await patch(row!.Id, { MemberName: 'Other' });
    expect(readOnly.status).toBe(400);
    expect(await readOnly.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' })]);
    const unknownField = await patch(row!.Id, { Nope: 1 });
    expect(await unknownField.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD', message: "No such column 'Nope' on sobject of type SourceMember" })]);
    const badValue = await patch(row!.Id, { RevisionCounter: 'zero' });
    expect(badValue.status).toBe(400);
    expect((await patch('0MZ000000000000AAA', { RevisionCounter: 0 })).status).toBe(404);
  });
});
