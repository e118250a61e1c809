/**
 * Every metadata type through jsforce: metadata-format packages of each layout deploy, retrieve,
 * list and read back; CRUD calls on CustomObject; Apex test levels under the outcome policy.
 */
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { adminFetch, asArray, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}</${root}>\n`;

interface Types { [type: string]: string[] }
const manifest = (types: Types, version = '66.0', fullName?: string) => xml('Package',
  `${fullName ? `    <fullName>${fullName}</fullName>\n` : ''}${Object.entries(types).map(([name, members]) =>
    `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')}` +
  `    <version>${version}</version>\n`);

async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

const APEX_META = xml('ApexClass', '    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n');
const field = (name: string, extra = '') => `    <fields>\n        <fullName>${name}</fullName>\n        <label>${name}</label>\n        <type>Text</type>\n        <length>80</length>\n${extra}    </fields>\n`;
const brokerObject = xml('CustomObject',
  '    <deploymentStatus>Deployed</deploymentStatus>\n' + field('Email__c') + field('Phone__c') +
  '    <label>Broker</label>\n    <nameField>\n        <label>Broker Name</label>\n        <type>Text</type>\n    </nameField>\n' +
  '    <pluralLabel>Brokers</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n' +
  '    <validationRules>\n        <fullName>Email_Required</fullName>\n        <active>true</active>\n        <errorConditionFormula>ISBLANK(Email__c)</errorConditionFormula>\n        <errorMessage>Email &amp; &lt;name&gt; required</errorMessage>\n    </validationRules>\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** A package of many layouts: content files, single files, a parent with children, labels, folders, bundles, a document, a static resource. */
const PROJECT: Record<string, string | Buffer> = {
  'classes/BrokerService.cls': 'public with sharing class BrokerService {\n    public static Integer count() { return 1; }\n}\n',
  'classes/BrokerService.cls-meta.xml': APEX_META,
  'classes/BrokerServiceTest.cls': '@isTest\nprivate class BrokerServiceTest {\n    @isTest static void counts() { System.assertEquals(1, BrokerService.count()); }\n    @isTest static void countsAgain() {}\n}\n',
  'classes/BrokerServiceTest.cls-meta.xml': APEX_META,
  'layouts/Broker__c-Broker Layout.layout': xml('Layout', '    <layoutSections>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n'),
  'objects/Broker__c.object': brokerObject,
  'objects/Account.object': xml('CustomObject', field('Rating_Score__c')),
  'labels/CustomLabels.labels': xml('CustomLabels', '    <labels>\n        <fullName>Greeting</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>Greeting</shortDescription>\n        <value>Hello</value>\n    </labels>\n'),
  'reports/Broker_Reports-meta.xml': xml('ReportFolder', '    <name>Broker Reports</name>\n'),
  'reports/Broker_Reports/Pipeline.report': xml('Report', '    <format>Tabular</format>\n    <name>Pipeline</name>\n    <reportType>Opportunity</reportType>\n'),
  'lwc/brokerCard/brokerCard.js': "import { LightningElement } from 'lwc';\nexport default class BrokerCard extends LightningElement {}\n",
  'lwc/brokerCard/brokerCard.html': '<template><p>Broker</p></template>\n',
  'lwc/brokerCard/brokerCard.js-meta.xml': xml('LightningComponentBundle', '    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>\n'),
  'staticresources/config.resource': '{"a":1}\n',
  'staticresources/config.resource-meta.xml': xml('StaticResource', '    <cacheControl>Private</cacheControl>\n    <contentType>application/json</contentType>\n'),
  'documents/Docs-meta.xml': xml('DocumentFolder', '    <accessType>Public</accessType>\n    <name>Docs</name>\n    <publicFolderAccess>ReadOnly</publicFolderAccess>\n'),
  'documents/Docs/logo.png': PNG,
  'documents/Docs/logo.png-meta.xml': xml('Document', '    <internalUseOnly>false</internalUseOnly>\n    <name>logo</name>\n    <public>true</public>\n'),
  'settings/Account.settings': xml('AccountSettings', '    <enableAccountOwnerReport>true</enableAccountOwnerReport>\n'),
};
const PROJECT_TYPES: Types = {
  ApexClass: ['BrokerService', 'BrokerServiceTest'], CustomLabels: ['CustomLabels'], CustomObject: ['Broker__c'],
  CustomField: ['Account.Rating_Score__c'], Document: ['Docs/logo'], DocumentFolder: ['Docs'], Layout: ['Broker__c-Broker Layout'],
  LightningComponentBundle: ['brokerCard'], Report: ['Broker_Reports', 'Broker_Reports/Pipeline'], Settings: ['Account'], StaticResource: ['config'],
};

let server: LocalforceServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer();
  conn = tokenConnection(server);
});
afterAll(() => server.close());

/** A fresh org and a connection to it, for tests that must not see each other's components. */
async function freshOrg(): Promise<Connection & { orgId: string }> {
  const res = await adminFetch(server, `/_localforce/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const org = await res.json() as { id: string; accessToken: string };
  return Object.assign(tokenConnection(server, org.accessToken), { orgId: org.id });
}

async function retrieve(c: Connection, request: Record<string, unknown>) {
  c.metadata.pollInterval = 100;
  const result = await c.metadata.retrieve({ apiVersion: '66.0', singlePackage: true, ...request } as never).complete();
  const zip = await JSZip.loadAsync(Buffer.from(result.zipFile as string, 'base64'));
  const files: Record<string, Buffer> = {};
  for (const f of Object.values(zip.files)) if (!f.dir) files[f.name] = await f.async('nodebuffer');
  return { result, files };
}

const failures = (r: { details?: unknown }) => asArray((r.details as { componentFailures?: unknown })?.componentFailures) as Record<string, unknown>[];
const successes = (r: { details?: unknown }) => asArray((r.details as { componentSuccesses?: unknown })?.componentSuccesses) as Record<string, unknown>[];

describe('a package of every layout', () => {
  let org: Connection;
  beforeAll(async () => { org = await freshOrg(); });

  it('deploys, reporting each component and each child once', async () => {
    const result = await deployAndWait(org, await zipOf({ ...PROJECT, 'package.xml': manifest(PROJECT_TYPES) }));
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('Succeeded');
    const reported = successes(result).filter((m) => m.componentType).map((m) => `${m.componentType}:${m.fullName}`).sort();
    expect(reported).toEqual(expect.arrayContaining([
      'ApexClass:BrokerService', 'CustomField:Account.Rating_Score__c', 'CustomField:Broker__c.Email__c', 'CustomField:Broker__c.Phone__c',
      'CustomLabel:Greeting', 'CustomLabels:CustomLabels', 'CustomObject:Broker__c', 'Document:Docs/logo', 'DocumentFolder:Docs',
      'LightningComponentBundle:brokerCard', 'Report:Broker_Reports/Pipeline', 'ReportFolder:Broker_Reports', 'Settings:Account',
      'ValidationRule:Broker__c.Email_Required',
    ]));
    // Account is not named: it is made to hold its field, and not reported.
    expect(reported).not.toContain('CustomObject:Account');
    expect(Number(result.numberComponentsDeployed)).toBe(reported.length);
    const field = successes(result).find((m) => m.fullName === 'Broker__c.Email__c')!;
    expect(field).toMatchObject({ fileName: 'objects/Broker__c.object', created: true, changed: true });
  });

  it('retrieves content files byte for byte, and a parent with all its children', async () => {
    const { result, files } = await retrieve(org, { unpackaged: { types: Object.entries(PROJECT_TYPES).map(([name, members]) => ({ name, members })), version: '66.0' } });
    expect(asArray(result.messages)).toEqual([]);
    for (const path of ['classes/BrokerService.cls', 'lwc/brokerCard/brokerCard.js', 'lwc/brokerCard/brokerCard.js-meta.xml', 'documents/Docs/logo.png',
      'staticresources/config.resource', 'layouts/Broker__c-Broker Layout.layout', 'reports/Broker_Reports/Pipeline.report', 'reports/Broker_Reports-meta.xml']) {
      expect([path, files[path]?.equals(Buffer.from(PROJECT[path]!))]).toEqual([path, true]);
    }
    const object = files['objects/Broker__c.object']!.toString();
    expect(object).toContain('<fullName>Email__c</fullName>');
    expect(object).toContain('<errorMessage>Email &amp; &lt;name&gt; required</errorMessage>');
    expect(object.indexOf('<deploymentStatus>')).toBeLessThan(object.indexOf('<fields>'));
    expect(object.indexOf('<fields>')).toBeLessThan(object.indexOf('<label>Broker</label>'));
    expect(files['package.xml']!.toString()).toContain('<members>Account.Rating_Score__c</members>');
    const properties = asArray(result.fileProperties) as { type: string; fullName: string; fileName: string }[];
    expect(properties.find((p) => p.fullName === 'Account.Rating_Score__c')).toMatchObject({ type: 'CustomField', fileName: 'objects/Account.object' });
  });

  it('redeploys what it retrieved as a no-op', async () => {
    const { files } = await retrieve(org, { unpackaged: { types: Object.entries(PROJECT_TYPES).map(([name, members]) => ({ name, members })), version: '66.0' } });
    const again = await deployAndWait(org, await zipOf(files));
    expect(failures(again)).toEqual([]);
    const changed = successes(again).filter((m) => m.componentType && (m.changed === true || m.changed === 'true'));
    expect(changed.map((m) => `${m.componentType}:${m.fullName}`)).toEqual([]);
  });

  it('retrieves a child alone in a parent file that holds just it', async () => {
    const { files } = await retrieve(org, { unpackaged: { types: [{ name: 'CustomField', members: ['Broker__c.Phone__c'] }], version: '66.0' } });
    const object = files['objects/Broker__c.object']!.toString();
    expect(object).toContain('<fullName>Phone__c</fullName>');
    expect(object).not.toContain('Email__c');
    expect(object).not.toContain('<label>Broker</label>');
  });

  it('applies wildcards with the real exceptions: no standard objects, nothing for in-folder types', async () => {
    const { files } = await retrieve(org, { unpackaged: { types: [{ name: 'CustomObject', members: ['*'] }, { name: 'Report', members: ['*'] }, { name: 'ApexClass', members: ['*'] }], version: '66.0' } });
    expect(Object.keys(files).sort()).toEqual([
      'classes/BrokerService.cls', 'classes/BrokerService.cls-meta.xml', 'classes/BrokerServiceTest.cls', 'classes/BrokerServiceTest.cls-meta.xml',
      'objects/Broker__c.object', 'package.xml',
    ]);
  });

  it('retrieves only the specific files asked for', async () => {
    const { result, files } = await retrieve(org, {
      specificFiles: ['classes/BrokerService.cls', 'classes/BrokerService.cls-meta.xml'],
      unpackaged: { types: [{ name: 'ApexClass', members: ['*'] }], version: '66.0' },
    });
    expect(Object.keys(files).sort()).toEqual(['classes/BrokerService.cls', 'classes/BrokerService.cls-meta.xml', 'package.xml']);
    expect((asArray(result.fileProperties) as { fullName: string }[]).map((p) => p.fullName)).not.toContain('BrokerServiceTest');
  });

  it('lists components of any type, in-folder ones by folder, children with their parent file', async () => {
    const reports = asArray(await org.metadata.list([{ type: 'Report', folder: 'Broker_Reports' }], '66.0'));
    expect(reports.map((r) => r.fullName)).toEqual(['Broker_Reports/Pipeline']);
    expect(asArray(await org.metadata.list([{ type: 'Report' }], '66.0'))).toEqual([]);
    const fields = asArray(await org.metadata.list([{ type: 'CustomField' }], '66.0'));
    expect(fields.map((f) => [f.fullName, f.fileName]).sort()).toEqual([
      ['Account.Rating_Score__c', 'objects/Account.object'], ['Broker__c.Email__c', 'objects/Broker__c.object'], ['Broker__c.Phone__c', 'objects/Broker__c.object'],
    ]);
    const bundles = asArray(await org.metadata.list([{ type: 'LightningComponentBundle' }], '66.0'));
    expect(bundles[0]).toMatchObject({ fullName: 'brokerCard', fileName: 'lwc/brokerCard', type: 'LightningComponentBundle' });
  });

  it('reads any type with its stored fields', async () => {
    const object = await org.metadata.read('CustomObject', 'Broker__c') as unknown as Record<string, any>;
    expect(object).toMatchObject({ fullName: 'Broker__c', label: 'Broker', nameField: { label: 'Broker Name', type: 'Text' } });
    expect(asArray(object.fields).map((f: { fullName: string }) => f.fullName)).toEqual(['Email__c', 'Phone__c']);
    const cls = await org.metadata.read('ApexClass', 'BrokerService') as unknown as Record<string, any>;
    expect(Buffer.from(cls.content, 'base64').toString()).toBe(PROJECT['classes/BrokerService.cls']);
    expect(cls).toMatchObject({ fullName: 'BrokerService', status: 'Active' });
  });

  it('deletes children, parents and folders with destructive changes', async () => {
    const result = await deployAndWait(org, await zipOf({
      'package.xml': manifest({}),
      'destructiveChanges.xml': manifest({ CustomField: ['Broker__c.Phone__c'], Report: ['Broker_Reports/Pipeline'], ReportFolder: ['Broker_Reports'], CustomLabel: ['Greeting'] }),
    }));
    expect(failures(result)).toEqual([]);
    expect(successes(result).filter((m) => m.deleted === true || m.deleted === 'true').map((m) => m.fullName).sort())
      .toEqual(['Broker_Reports', 'Broker_Reports/Pipeline', 'Broker__c.Phone__c', 'Greeting']);
    const object = await org.metadata.read('CustomObject', 'Broker__c') as unknown as Record<string, any>;
    expect(asArray(object.fields).map((f: { fullName: string }) => f.fullName)).toEqual(['Email__c']);
    const gone = await deployAndWait(org, await zipOf({ 'package.xml': manifest({}), 'destructiveChanges.xml': manifest({ CustomObject: ['Broker__c'] }) }));
    expect(gone.status).toBe('Succeeded');
    expect(asArray(await org.metadata.list([{ type: 'CustomField' }], '66.0')).map((f) => f.fullName)).toEqual(['Account.Rating_Score__c']);
  });
});

describe('layouts beyond one folder per type', () => {
  it('deploys and retrieves a territory model with its territories and rules in its folder, and a document without an extension', async () => {
    const org = await freshOrg();
    const files: Record<string, string | Buffer> = {
      'territory2Models/Sales/Sales.territory2Model': xml('Territory2Model', '    <name>Sales</name>\n'),
      'territory2Models/Sales/territories/East.territory2': xml('Territory2',
        '    <accountAccessLevel>Edit</accountAccessLevel>\n    <name>East</name>\n    <territory2Type>Strategic</territory2Type>\n'),
      'territory2Models/Sales/rules/Big.territory2Rule': xml('Territory2Rule',
        '    <active>true</active>\n    <booleanFilter>1</booleanFilter>\n    <name>Big</name>\n    <objectType>Account</objectType>\n'),
      'documents/Docs-meta.xml': xml('DocumentFolder', '    <accessType>Public</accessType>\n    <name>Docs</name>\n    <publicFolderAccess>ReadOnly</publicFolderAccess>\n'),
      'documents/Docs/Readme': 'no extension\n',
      'documents/Docs/Readme-meta.xml': xml('Document', '    <internalUseOnly>false</internalUseOnly>\n    <name>Readme</name>\n    <public>true</public>\n'),
    };
    const types = { Territory2Model: ['Sales'], Territory2: ['Sales.East'], Territory2Rule: ['Sales.Big'], DocumentFolder: ['Docs'], Document: ['Docs/Readme'] };
    const result = await deployAndWait(org, await zipOf({ ...files, 'package.xml': manifest(types) }));
    expect(failures(result)).toEqual([]);
    expect(successes(result).filter((s) => s.fullName !== 'package.xml').map((s) => [s.componentType, s.fullName, s.fileName]).sort()).toEqual([
      ['Document', 'Docs/Readme', 'documents/Docs/Readme'],
      ['DocumentFolder', 'Docs', 'documents/Docs-meta.xml'],
      ['Territory2', 'Sales.East', 'territory2Models/Sales/territories/East.territory2'],
      ['Territory2Model', 'Sales', 'territory2Models/Sales/Sales.territory2Model'],
      ['Territory2Rule', 'Sales.Big', 'territory2Models/Sales/rules/Big.territory2Rule'],
    ]);
    const { files: retrieved } = await retrieve(org, { unpackaged: { types: Object.entries(types).map(([name, members]) => ({ name, members })), version: '66.0' } });
    expect(Object.keys(retrieved).filter((p) => p !== 'package.xml').sort()).toEqual(Object.keys(files).sort());
    expect(retrieved['documents/Docs/Readme']!.toString()).toBe('no extension\n');
  });
});

describe('checks on every type, each a component failure with its file and position', () => {
  const expectFailure = async (files: Record<string, string | Buffer>, types: Types, expected: Record<string, unknown>) => {
    const result = await deployAndWait(conn, await zipOf({ ...files, 'package.xml': manifest(types) }));
    expect(result.status).toBe('Failed');
    expect(failures(result)).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  };

  it('refuses XML that is not well formed, with line and column', async () => {
    await expectFailure({ 'layouts/Bad.layout': xml('Layout', '    <layoutSections>\n        <style>X</styl>\n    </layoutSections>\n') }, { Layout: ['Bad'] },
      { fileName: 'layouts/Bad.layout', componentType: 'Layout', fullName: 'Bad', lineNumber: 4, problem: expect.stringMatching(/^Error parsing file: /) });
  });

  it('reads a file as its folder\'s type whatever its root, and refuses the first element that type lacks', async () => {
    // As a real org read a manifest deployed as an EmailServicesFunction: the error names its first child, not its root.
    await expectFailure({ 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': xml('ApexPage', '    <label>A</label>\n') }, { ApexClass: ['A'] },
      { fileName: 'classes/A.cls-meta.xml', lineNumber: 3, columnNumber: 5,
        problem: 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}label invalid at this location in type ApexClass' });
  });

  it('refuses a child its parent file holds that the manifest does not list, as real orgs refuse a label more (forcedotcom/cli#2002)', async () => {
    const label = (name: string) => `    <labels>\n        <fullName>${name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${name}</shortDescription>\n        <value>${name}</value>\n    </labels>\n`;
    await expectFailure({ 'labels/CustomLabels.labels': xml('CustomLabels', label('Listed_Label') + label('Other_Label')) }, { CustomLabel: ['Listed_Label'] },
      { fileName: 'labels/CustomLabels.labels', fullName: 'Other_Label', componentType: 'CustomLabel', problem: 'Not in package.xml' });
  });

  it('refuses a content file without its meta file, and a meta file without its content', async () => {
    await expectFailure({ 'classes/A.cls': 'public class A {}' }, { ApexClass: ['A'] },
      { fileName: 'classes/A.cls', problem: expect.stringContaining('the meta file classes/A.cls-meta.xml is missing') });
    await expectFailure({ 'pages/P.page-meta.xml': xml('ApexPage', '    <label>P</label>\n') }, { ApexPage: ['P'] },
      { fileName: 'pages/P.page-meta.xml', problem: expect.stringContaining('the content file pages/P.page is missing') });
  });

  it('takes a bundle\'s meta file under another name as its own, and refuses a bundle with none', async () => {
    // As SalesforceLabs/Data-Fetcher's utility module, whose meta file is named a letter short, builds in its package versions.
    const meta = xml('LightningComponentBundle', '    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>\n');
    const result = await deployAndWait(conn, await zipOf({ 'package.xml': manifest({ LightningComponentBundle: ['comboUtils'] }),
      'lwc/comboUtils/comboUtils.js': 'export const pick = (options) => options[0];\n', 'lwc/comboUtils/comboUtil.js-meta.xml': meta }));
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('Succeeded');
    await expectFailure({ 'lwc/noMeta/noMeta.js': 'export const x = 1;\n' }, { LightningComponentBundle: ['noMeta'] },
      { fullName: 'noMeta', problem: expect.stringContaining('the meta file lwc/noMeta/noMeta.js-meta.xml is missing') });
  });

  it('refuses names the type does not allow, and components of another namespace', async () => {
    await expectFailure({ 'classes/Bad_Name_.cls': 'x', 'classes/Bad_Name_.cls-meta.xml': APEX_META }, { ApexClass: ['Bad_Name_'] },
      { fullName: 'Bad_Name_', problem: expect.stringContaining("The ApexClass name 'Bad_Name_' is not valid") });
    await expectFailure({ 'remoteSiteSettings/slackv2__Slack.remoteSite': xml('RemoteSiteSetting', '    <isActive>true</isActive>\n    <url>https://slack.com</url>\n') },
      { RemoteSiteSetting: ['slackv2__Slack'] }, { fullName: 'slackv2__Slack',
        problem: 'Cannot create a new component with the namespace: slackv2. Only components in the same namespace as the organization can be created through the API' });
  });

  it('matches manifest members regardless of case, as the real service does', async () => {
    const result = await deployAndWait(conn, await zipOf({ 'package.xml': manifest({ CustomField: ['Account.Total_till_now__c'] }),
      'objects/Account.object': xml('CustomObject', field('Total_Till_Now__c')) }));
    expect(failures(result)).toEqual([]);
    expect(successes(result).map((m) => m.fullName)).toContain('Account.Total_Till_Now__c');
  });

  it('deploys a digital experience bundle when the manifest names its pieces', async () => {
    const site = 'digitalExperiences/site/ESA';
    const result = await deployAndWait(conn, await zipOf({
      'package.xml': manifest({ DigitalExperience: ['site/ESA.sfdc_cms__view/home'], DigitalExperienceBundle: ['site/ESA'] }),
      [`${site}/ESA.digitalExperience-meta.xml`]: xml('DigitalExperienceBundle', '    <label>ESA</label>\n'),
      [`${site}/sfdc_cms__view/home/_meta.json`]: '{"apiName":"home","type":"sfdc_cms__view"}',
      [`${site}/sfdc_cms__view/home/content.json`]: '{"type":"sfdc_cms__view"}',
    }));
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('Succeeded');
    const { files } = await retrieve(conn, { unpackaged: { types: [{ name: 'DigitalExperience', members: ['site/ESA.sfdc_cms__view/home'] }], version: '66.0' } });
    expect(files[`${site}/sfdc_cms__view/home/content.json`]!.toString()).toBe('{"type":"sfdc_cms__view"}');
  });

  it('keeps "Unknown type name" for names no org knows, and accepts a 67.0 manifest', async () => {
    await expectFailure({}, { QuickActionz: ['X'] }, { fileName: 'package.xml', problem: "Unknown type name 'QuickActionz' specified in package.xml" });
    const result = await deployAndWait(conn, await zipOf({ 'package.xml': manifest({ QuickAction: ['Account.Call'] }, '67.0'),
      'quickActions/Account.Call.quickAction': xml('QuickAction', '    <label>Call</label>\n    <type>LogACall</type>\n') }));
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('Succeeded');
  });
});

describe('named packages', () => {
  it('keeps the package name of package.xml and retrieves the package by it', async () => {
    const org = await freshOrg();
    await deployAndWait(org, await zipOf({
      'package.xml': manifest({ ApexClass: ['Packaged'] }, '66.0', 'BrokerPack'),
      'classes/Packaged.cls': 'public class Packaged {}', 'classes/Packaged.cls-meta.xml': APEX_META,
    }));
    const { result, files } = await retrieve(org, { singlePackage: false, packageNames: ['BrokerPack'] });
    expect(Object.keys(files).sort()).toEqual(['BrokerPack/classes/Packaged.cls', 'BrokerPack/classes/Packaged.cls-meta.xml', 'BrokerPack/package.xml']);
    expect(files['BrokerPack/package.xml']!.toString()).toContain('<fullName>BrokerPack</fullName>');
    expect(asArray(result.fileProperties)).toEqual(expect.arrayContaining([expect.objectContaining({ fileName: 'BrokerPack/package.xml', type: 'Package', fullName: 'package' })]));
  });
});

describe('CRUD calls on CustomObject', () => {
  let org: Connection;
  beforeAll(async () => { org = await freshOrg(); });

  it('creates an object with its fields, then reads it back with its nameField', async () => {
    const saved = asArray(await org.metadata.create('CustomObject', [{
      fullName: 'Listing__c', label: 'Listing', pluralLabel: 'Listings', deploymentStatus: 'Deployed', sharingModel: 'ReadWrite',
      nameField: { type: 'AutoNumber', label: 'Listing Number', displayFormat: 'L-{0000}' },
      fields: [{ fullName: 'Price__c', label: 'Price', type: 'Currency', precision: 18, scale: 2 }],
    } as never]));
    expect(saved).toEqual([expect.objectContaining({ fullName: 'Listing__c', success: true })]);
    const read = await org.metadata.read('CustomObject', 'Listing__c') as unknown as Record<string, any>;
    expect(read).toMatchObject({ fullName: 'Listing__c', label: 'Listing', nameField: { type: 'AutoNumber', label: 'Listing Number', displayFormat: 'L-{0000}' } });
    expect(asArray(read.fields).map((f: { fullName: string }) => f.fullName)).toEqual(['Price__c']);
    const field = await org.metadata.read('CustomField', 'Listing__c.Price__c') as unknown as Record<string, any>;
    expect(field).toMatchObject({ fullName: 'Listing__c.Price__c', label: 'Price', type: 'Currency' });
  });

  it('creates a field on a standard object, updates, renames and deletes', async () => {
    expect(asArray(await org.metadata.create('CustomField', [{ fullName: 'Account.Tier__c', label: 'Tier', type: 'Text', length: 10 } as never]))[0]).toMatchObject({ success: true });
    expect(asArray(await org.metadata.update('CustomField', [{ fullName: 'Account.Tier__c', label: 'Tier level', type: 'Text', length: 20 } as never]))[0]).toMatchObject({ success: true });
    expect(await org.metadata.read('CustomField', 'Account.Tier__c')).toMatchObject({ label: 'Tier level', length: 20 });
    expect(await org.metadata.rename('CustomField', 'Account.Tier__c', 'Account.Level__c')).toMatchObject({ success: true });
    const { files } = await retrieve(org, { unpackaged: { types: [{ name: 'CustomObject', members: ['Account'] }], version: '66.0' } });
    expect(files['objects/Account.object']!.toString()).toContain('<fullName>Level__c</fullName>');
    expect(asArray(await org.metadata.delete('CustomObject', ['Listing__c']))[0]).toMatchObject({ success: true });
    expect(asArray(await org.metadata.list([{ type: 'CustomField' }], '66.0')).map((f) => f.fullName)).toEqual(['Account.Level__c']);
  });
});

describe('Apex tests, simulated under a declared outcome policy', () => {
  it('runs the tests a level selects, fails the deploy when the policy says so, and names missing classes and methods', async () => {
    const org = await freshOrg();
    const files = { 'package.xml': manifest({ ApexClass: ['BrokerService', 'BrokerServiceTest'] }),
      ...Object.fromEntries(Object.entries(PROJECT).filter(([p]) => p.startsWith('classes/'))) };
    const passed = await deployAndWait(org, await zipOf(files), { testLevel: 'RunLocalTests' });
    expect(passed).toMatchObject({ status: 'Succeeded', numberTestsTotal: 2, numberTestsCompleted: 2, numberTestErrors: 0 });
    const run = (passed.details as { runTestResult: Record<string, any> }).runTestResult;
    expect(asArray(run.successes).map((s: { methodName: string }) => s.methodName)).toEqual(['counts', 'countsAgain']);
    expect(asArray(run.codeCoverageWarnings)[0]).toMatchObject({ message: expect.stringContaining('simulated') });

    const put = await adminFetch(server, `/_localforce/orgs/${org.orgId}/apex-test-outcomes`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ default: 'pass', classes: { BrokerServiceTest: 'fail' } }),
    });
    expect(await put.json()).toEqual({ default: 'pass', classes: { BrokerServiceTest: 'fail' } });
    const changed = { ...files, 'classes/BrokerService.cls': 'public class BrokerService { public static Integer count() { return 2; } }' };
    const failed = await deployAndWait(org, await zipOf(changed), { testLevel: 'RunSpecifiedTests', runTests: ['BrokerServiceTest.counts'] });
    expect(failed).toMatchObject({ status: 'Failed', numberTestsTotal: 1, numberTestErrors: 1 });
    // Nothing was committed.
    const cls = await org.metadata.read('ApexClass', 'BrokerService') as unknown as { content: string };
    expect(Buffer.from(cls.content, 'base64').toString()).toBe(PROJECT['classes/BrokerService.cls']);

    const missing = await deployAndWait(org, await zipOf(files), { testLevel: 'RunSpecifiedTests', runTests: ['BrokerServiceTest.nope'] });
    expect(missing).toMatchObject({ status: 'Failed', errorStatusCode: 'INVALID_OPERATION' });
    expect(missing.errorMessage).toContain('BrokerServiceTest.nope');
  });
});

describe('describeMetadata from the registry', () => {
  it('answers every type the API version knows, with children and meta files', async () => {
    const described = await conn.metadata.describe('66.0');
    const byName = new Map(asArray(described.metadataObjects).map((o) => [o.xmlName, o]));
    expect(byName.size).toBeGreaterThan(400);
    expect(byName.get('ApexClass')).toMatchObject({ directoryName: 'classes', suffix: 'cls', metaFile: true, inFolder: false });
    expect(byName.get('Report')).toMatchObject({ directoryName: 'reports', inFolder: true, metaFile: false });
    expect(asArray(byName.get('CustomObject')!.childXmlNames)).toEqual(expect.arrayContaining(['CustomField', 'ValidationRule', 'ListView']));
    const old = await conn.metadata.describe('35.0');
    expect(asArray(old.metadataObjects).map((o) => o.xmlName)).not.toContain('Certificate');
  });
});
