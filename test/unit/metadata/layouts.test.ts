import { XMLParser } from 'fast-xml-parser';
import { locateComponents } from '../../../src/metadata/layout/locateComponents';
import type { ChildInput, ComponentInput, FileProblem, MetadataTypeDefinition } from '../../../src/metadata/metadataType';
import { MetadataRegistry } from '../../../src/metadata/registry';
import { validateComponentName } from '../../../src/metadata/stored/nameRules';
import { composeParentFile, splitParentFile } from '../../../src/metadata/stored/parentFile';
import { readMetadataRoot } from '../../../src/package/metadataXml';

/*
 * The every-type layer: where each layout's components sit in a metadata-format package, how a
 * stored type reads them (with the file, line and column of what is wrong), parent files split into
 * children and composed back, component name rules, and the registry of types.
 */

const NS = 'http://soap.sforce.com/2006/04/metadata';
const TOOLING_NS = 'urn:metadata.tooling.soap.sforce.com';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

const def = (type: string): MetadataTypeDefinition => {
  const handler = MetadataRegistry.get(type);
  if (!handler) throw new Error(`no type ${type} in the registry`);
  return handler.definition;
};

const filesOf = (files: Record<string, string> | string[]): Map<string, Buffer> =>
  new Map(Array.isArray(files) ? files.map((p) => [p, Buffer.from('x')]) : Object.entries(files).map(([p, t]) => [p, Buffer.from(t)]));

/** Components as plain data, sorted: type, fullName, mainPath and the files. */
function locate(files: Record<string, string> | string[]) {
  const { components, stray } = locateComponents(filesOf(files));
  const list = components
    .map((c) => ({ type: c.type.xmlName, fullName: c.fullName, mainPath: c.mainPath, files: [...c.files.keys()].sort() }))
    .sort((a, b) => `${a.type}:${a.fullName}`.localeCompare(`${b.type}:${b.fullName}`));
  return { components: list, stray: [...stray].sort() };
}

// ---------------------------------------------------------------------------------------------
describe('locateComponents', () => {
  const cases: [string, string[], { type: string; fullName: string; mainPath: string }[]][] = [
    ['content file and meta (ApexClass)', ['classes/A.cls', 'classes/A.cls-meta.xml'],
      [{ type: 'ApexClass', fullName: 'A', mainPath: 'classes/A.cls' }]],
    ['xml, a name with a space (Layout)', ['layouts/Broker__c-Broker Layout.layout'],
      [{ type: 'Layout', fullName: 'Broker__c-Broker Layout', mainPath: 'layouts/Broker__c-Broker Layout.layout' }]],
    ['xml, a dotted name (QuickAction)', ['quickActions/Account.New.quickAction'],
      [{ type: 'QuickAction', fullName: 'Account.New', mainPath: 'quickActions/Account.New.quickAction' }]],
    ['xml, a dotted name (CustomMetadata)', ['customMetadata/Config.Default.md'],
      [{ type: 'CustomMetadata', fullName: 'Config.Default', mainPath: 'customMetadata/Config.Default.md' }]],
    ['xml (Settings)', ['settings/Account.settings'],
      [{ type: 'Settings', fullName: 'Account', mainPath: 'settings/Account.settings' }]],
    ['xml with a fixed name (CustomLabels)', ['labels/CustomLabels.labels'],
      [{ type: 'CustomLabels', fullName: 'CustomLabels', mainPath: 'labels/CustomLabels.labels' }]],
    ['xml parent (CustomObject)', ['objects/Account.object'],
      [{ type: 'CustomObject', fullName: 'Account', mainPath: 'objects/Account.object' }]],
    ['bundle (LightningComponentBundle), a file in a subfolder included', ['lwc/card/card.js', 'lwc/card/card.html', 'lwc/card/card.js-meta.xml', 'lwc/card/utils/x.js'],
      [{ type: 'LightningComponentBundle', fullName: 'card', mainPath: 'lwc/card/card.js-meta.xml' }]],
    ['bundle (AuraDefinitionBundle)', ['aura/n/n.cmp', 'aura/n/n.cmp-meta.xml'],
      [{ type: 'AuraDefinitionBundle', fullName: 'n', mainPath: 'aura/n/n.cmp-meta.xml' }]],
    ['content file and meta (StaticResource)', ['staticresources/s.resource', 'staticresources/s.resource-meta.xml'],
      [{ type: 'StaticResource', fullName: 's', mainPath: 'staticresources/s.resource' }]],
    ['document and its folder', ['documents/F-meta.xml', 'documents/F/logo.png', 'documents/F/logo.png-meta.xml'], [
      { type: 'Document', fullName: 'F/logo', mainPath: 'documents/F/logo.png' },
      { type: 'DocumentFolder', fullName: 'F', mainPath: 'documents/F-meta.xml' },
    ]],
    ['report in nested folders', ['reports/F-meta.xml', 'reports/F/G-meta.xml', 'reports/F/G/R.report'], [
      { type: 'Report', fullName: 'F/G/R', mainPath: 'reports/F/G/R.report' },
      { type: 'ReportFolder', fullName: 'F', mainPath: 'reports/F-meta.xml' },
      { type: 'ReportFolder', fullName: 'F/G', mainPath: 'reports/F/G-meta.xml' },
    ]],
    ['email template and its folder', ['email/F-meta.xml', 'email/F/T.email', 'email/F/T.email-meta.xml'], [
      { type: 'EmailFolder', fullName: 'F', mainPath: 'email/F-meta.xml' },
      { type: 'EmailTemplate', fullName: 'F/T', mainPath: 'email/F/T.email' },
    ]],
    ['experience bundle with its site meta file', ['experiences/S1.site-meta.xml', 'experiences/S1/views/home.json'],
      [{ type: 'ExperienceBundle', fullName: 'S1', mainPath: 'experiences/S1.site-meta.xml' }]],
    ['a wave type told by its suffix among the ten of wave/', ['wave/x.wdash'],
      [{ type: 'WaveDashboard', fullName: 'x', mainPath: 'wave/x.wdash' }]],
  ];

  it.each(cases)('%s', (_what, paths, expected) => {
    const { components, stray } = locate(paths);
    expect(stray).toEqual([]);
    expect(components.map(({ files: _f, ...c }) => c)).toEqual(expected);
    // Every file belongs to exactly one component.
    expect(components.flatMap((c) => c.files).sort()).toEqual([...paths].sort());
  });

  it('keeps every file of a bundle in its one component', () => {
    const { components } = locate(['lwc/card/card.js', 'lwc/card/card.html', 'lwc/card/card.js-meta.xml', 'lwc/card/utils/x.js']);
    expect(components).toHaveLength(1);
    expect(components[0]!.files).toEqual(['lwc/card/card.html', 'lwc/card/card.js', 'lwc/card/card.js-meta.xml', 'lwc/card/utils/x.js']);
  });

  it('finds the same components when every layout is in one package', () => {
    const all = cases.flatMap(([, paths]) => paths);
    const { components, stray } = locate(all);
    expect(stray).toEqual([]);
    const separately = cases.flatMap(([, paths]) => locate(paths).components)
      .sort((a, b) => `${a.type}:${a.fullName}`.localeCompare(`${b.type}:${b.fullName}`));
    expect(components).toEqual(separately);
  });

  it('puts files that belong to no type in stray', () => {
    const strays = [
      'README.md', // at the root
      'A.cls', // an Apex class outside classes/
      'unknownDir/x.txt', // a directory no type has
      'unknownDir/deeper/y.xml',
      'classes/A.txt', // a suffix the directory's type does not have
      'classes/sub/A.cls', // a type that does not sit in folders
      'layouts/L.object',
      'lwc/jsconfig.json', // a file directly in a bundle type's directory
      'reports/R.report', // an in-folder type outside any folder
    ];
    const { components, stray } = locate([...strays, 'classes/B.cls', 'classes/B.cls-meta.xml']);
    expect(stray).toEqual([...strays].sort());
    expect(components.map((c) => `${c.type}:${c.fullName}`)).toEqual(['ApexClass:B']);
  });
});

// ---------------------------------------------------------------------------------------------
/** Locates the files (one component expected) and reads it with its type's handler. */
function readOne(files: Record<string, string>): ComponentInput | FileProblem {
  const { components, stray } = locateComponents(filesOf(files));
  expect(stray).toEqual([]);
  expect(components).toHaveLength(1);
  return MetadataRegistry.get(components[0]!.type.xmlName)!.read(components[0]!);
}

function problemOf(files: Record<string, string>): FileProblem {
  const r = readOne(files);
  if (!('problem' in r)) throw new Error(`expected a problem, read ${JSON.stringify([...r.files.keys()])}`);
  return r;
}

function mustRead(files: Record<string, string>): ComponentInput {
  const r = readOne(files);
  if ('problem' in r) throw new Error(`expected a read, got ${JSON.stringify(r)}`);
  return r;
}

const apexMeta = (root = `<ApexClass xmlns="${NS}">`, close = '</ApexClass>') =>
  `${DECL}${root}\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n${close}\n`;

describe('a stored type reads its files', () => {
  it('accepts a well-formed component and keeps its files as they came', () => {
    const r = mustRead({ 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': apexMeta() });
    expect(r.fullName).toBe('A');
    expect([...r.files.keys()].sort()).toEqual(['classes/A.cls', 'classes/A.cls-meta.xml']);
    expect(r.files.get('classes/A.cls')!.toString()).toBe('public class A {}');
  });

  it('refuses malformed XML with the file, line and column', () => {
    const meta = `${DECL}<ApexClass xmlns="${NS}">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</stat>\n</ApexClass>\n`;
    const p = problemOf({ 'classes/A.cls': 'x', 'classes/A.cls-meta.xml': meta });
    expect(p).toMatchObject({ fileName: 'classes/A.cls-meta.xml', lineNumber: 4, columnNumber: 19 });
    expect(p.problem).toMatch(/^Error parsing file: .*"status".*<\/status>/);
  });

  it('refuses malformed XML in a parent file with its line and column', () => {
    const object = `${DECL}<CustomObject xmlns="${NS}">\n    <label>A & B</label>\n</CustomObject>\n`;
    const p = problemOf({ 'objects/O__c.object': object });
    expect(p).toMatchObject({ fileName: 'objects/O__c.object', lineNumber: 3 });
    expect(p.columnNumber).toBeGreaterThanOrEqual(14);
    expect(p.problem).toMatch(/entity name must immediately follow the '&'/);
  });

  it('reads a file as the type its folder and suffix say, whatever its root element, as real orgs do', () => {
    expect(mustRead({ 'classes/A.cls': 'x', 'classes/A.cls-meta.xml': apexMeta(`<ApexPage xmlns="${NS}">`, '</ApexPage>') }).fullName).toBe('A');
  });

  it('refuses a root outside the metadata namespace, and reads one in none as in it (as the CLI writes scratch org settings)', () => {
    const other = problemOf({ 'classes/A.cls': 'x', 'classes/A.cls-meta.xml': apexMeta('<ApexClass xmlns="urn:example:other">') });
    expect(other).toMatchObject({ fileName: 'classes/A.cls-meta.xml', lineNumber: 2, columnNumber: 1 });
    expect(other.problem).toMatch(/Cannot find the declaration of element 'ApexClass'/);
    expect(mustRead({ 'classes/A.cls': 'x', 'classes/A.cls-meta.xml': apexMeta('<ApexClass>') }).fullName).toBe('A');
    const layout = problemOf({ 'layouts/A-A Layout.layout': `${DECL}<Layout xmlns="urn:example:other"/>\n` });
    expect(layout).toMatchObject({ fileName: 'layouts/A-A Layout.layout', lineNumber: 2, columnNumber: 1 });
  });

  it('reads a web component\'s meta file in whatever namespace it declares, as Salesforce\'s base-components-recipes declares one', () => {
    const meta = `${DECL}<LightningComponentBundle xmlns="xmlns=http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n` +
      '    <isExposed>false</isExposed>\n</LightningComponentBundle>\n';
    expect(mustRead({ 'lwc/accordion/accordion.js': 'export default class {}', 'lwc/accordion/accordion.js-meta.xml': meta }).fullName).toBe('accordion');
  });

  it('accepts the tooling namespace in Apex meta files', () => {
    expect(mustRead({ 'classes/A.cls': 'x', 'classes/A.cls-meta.xml': apexMeta(`<ApexClass xmlns="${TOOLING_NS}">`) }).fullName).toBe('A');
    const trigger = `${DECL}<ApexTrigger xmlns="${TOOLING_NS}">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexTrigger>\n`;
    expect(mustRead({ 'triggers/T.trigger': 'trigger T on Account (before insert) {}', 'triggers/T.trigger-meta.xml': trigger }).fullName).toBe('T');
  });

  it('refuses a content file without its meta file, naming the meta file', () => {
    expect(problemOf({ 'classes/A.cls': 'x' })).toEqual({
      fileName: 'classes/A.cls', problem: 'ApexClass A: the meta file classes/A.cls-meta.xml is missing from the package',
    });
    expect(problemOf({ 'documents/F/logo.png': 'x' })).toMatchObject({
      fileName: 'documents/F/logo.png', problem: expect.stringContaining('documents/F/logo.png-meta.xml is missing'),
    });
    expect(problemOf({ 'lwc/card/card.js': 'x' })).toMatchObject({ problem: expect.stringContaining('lwc/card/card.js-meta.xml is missing') });
    expect(problemOf({ 'experiences/S1/views/home.json': '{}' })).toMatchObject({ problem: expect.stringContaining('experiences/S1.site-meta.xml is missing') });
  });

  it('reads an Aura bundle without a meta file, as the Metadata API guide lays bundles out (developerforce/open-cti-demo-adapter)', () => {
    expect(mustRead({ 'aura/toast/toast.cmp': '<aura:component/>', 'aura/toast/toastController.js': '({})' }).fullName).toBe('toast');
  });

  it('refuses a meta file without its content file, naming the content file', () => {
    expect(problemOf({ 'classes/A.cls-meta.xml': apexMeta() })).toEqual({
      fileName: 'classes/A.cls-meta.xml', problem: 'ApexClass A: the content file classes/A.cls is missing from the package',
    });
    expect(problemOf({ 'email/F/T.email-meta.xml': `${DECL}<EmailTemplate xmlns="${NS}"/>\n` })).toMatchObject({
      fileName: 'email/F/T.email-meta.xml', problem: expect.stringContaining('the content file email/F/T.email is missing'),
    });
  });

  it('reads settings/Xxx.settings as XxxSettings, whatever its root element', () => {
    expect(mustRead({ 'settings/Account.settings': `${DECL}<AccountSettings xmlns="${NS}">\n    <enableAccountTeams>true</enableAccountTeams>\n</AccountSettings>\n` }).fullName).toBe('Account');
    for (const root of ['CaseSettings', 'Settings', 'Account']) {
      expect(mustRead({ 'settings/Account.settings': `${DECL}<${root} xmlns="${NS}"/>\n` }).fullName).toBe('Account');
    }
  });

  it('reads a folder\'s meta file against the folder type (EmailTemplateFolder is an EmailFolder)', () => {
    expect(mustRead({ 'email/F-meta.xml': `${DECL}<EmailFolder xmlns="${NS}"><name>F</name></EmailFolder>\n` }).fullName).toBe('F');
    expect(mustRead({ 'email/F-meta.xml': `${DECL}<EmailTemplateFolder xmlns="${NS}"><name>F</name></EmailTemplateFolder>\n` }).fullName).toBe('F');
    // The folder's type, not the root element, says what the file is: an EmailFolder root in reports/ is a ReportFolder.
    expect(mustRead({ 'reports/F-meta.xml': `${DECL}<EmailFolder xmlns="${NS}"/>\n` }).fullName).toBe('F');
  });

  it('splits a parent file it reads into its own part and its children', () => {
    const r = mustRead({ 'objects/O__c.object': `${DECL}<CustomObject xmlns="${NS}">\n    <fields>\n        <fullName>F__c</fullName>\n    </fields>\n    <label>O</label>\n</CustomObject>\n` });
    expect(r.children?.map((c) => [c.type.xmlName, c.fullName, c.lineNumber, c.columnNumber])).toEqual([['CustomField', 'O__c.F__c', 3, 5]]);
    expect(r.files.get('objects/O__c.object')!.toString()).not.toContain('<fields>');
    expect(r.files.get('objects/O__c.object')!.toString()).toContain('<label>O</label>');
  });

  it('refuses a child without its fullName, at the child\'s line', () => {
    const p = problemOf({ 'objects/O__c.object': `${DECL}<CustomObject xmlns="${NS}">\n    <label>O</label>\n    <fields>\n        <label>No name</label>\n    </fields>\n</CustomObject>\n` });
    expect(p).toMatchObject({ fileName: 'objects/O__c.object', lineNumber: 4, columnNumber: 5 });
    expect(p.problem).toMatch(/fullName/);
  });
});

// ---------------------------------------------------------------------------------------------
// An independent reader for the assertions below: numeric character references decoded, comments
// and CDATA kept, whitespace-only text between elements dropped.

type Node = { el: string; attrs: Record<string, string>; children: Node[] } | { text: string } | { cdata: string } | { comment: string };

const reader = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false,
  processEntities: true, htmlEntities: true, commentPropName: '#comment', cdataPropName: '#cdata', ignoreDeclaration: true,
});

function normalise(raw: Record<string, unknown>[]): Node[] {
  const nodes: Node[] = raw.map((n) => {
    const name = Object.keys(n).find((k) => k !== ':@')!;
    const value = n[name] as Record<string, unknown>[] | string;
    if (name === '#text') return { text: String(value) };
    if (name === '#cdata') return { cdata: (value as Record<string, unknown>[]).map((t) => String(t['#text'])).join('') };
    if (name === '#comment') return { comment: (value as Record<string, unknown>[]).map((t) => String(t['#text'])).join('') };
    return { el: name, attrs: (n[':@'] ?? {}) as Record<string, string>, children: normalise(value as Record<string, unknown>[]) };
  });
  const hasElements = nodes.some((n) => 'el' in n);
  return nodes.filter((n) => !(hasElements && 'text' in n && n.text.trim() === ''));
}

const tree = (xml: string): Node[] => normalise(reader.parse(xml) as Record<string, unknown>[]);

/** The text (and CDATA) of the element at `path` below the root. */
function textAt(xml: string, ...path: string[]): string {
  let nodes = tree(xml);
  for (const name of path) {
    const next = nodes.find((n): n is Extract<Node, { el: string }> => 'el' in n && n.el === name);
    if (!next) throw new Error(`no ${path.join('/')} in ${xml}`);
    nodes = next.children;
  }
  return nodes.map((n) => ('text' in n ? n.text : 'cdata' in n ? n.cdata : '')).join('');
}

function split(type: string, fullName: string, text: string) {
  const scanned = readMetadataRoot(text, [type]);
  if (!scanned.ok) throw new Error(`not well formed: ${JSON.stringify(scanned.error)}`);
  return splitParentFile(def(type), fullName, text, scanned.root);
}

function mustSplit(type: string, fullName: string, text: string): { own: string; children: ChildInput[] } {
  const r = split(type, fullName, text);
  if ('problem' in r) throw new Error(`expected a split, got ${JSON.stringify(r)}`);
  return r;
}

const field = (name: string, extra = '') => `    <fields>\n        <fullName>${name}</fullName>\n${extra}        <type>Text</type>\n    </fields>\n`;
const listView = (name: string) => `    <listViews>\n        <fullName>${name}</fullName>\n        <filterScope>Everything</filterScope>\n        <label>${name}</label>\n    </listViews>\n`;
const rule = (name: string) => `    <validationRules>\n        <fullName>${name}</fullName>\n        <active>true</active>\n        <errorConditionFormula>ISBLANK(Name)</errorConditionFormula>\n    </validationRules>\n`;
const businessProcess = (name: string) => `    <businessProcesses>\n        <fullName>${name}</fullName>\n        <isActive>true</isActive>\n    </businessProcesses>\n`;
const webLink = (name: string) => `    <webLinks>\n        <fullName>${name}</fullName>\n        <url>https://example.com</url>\n    </webLinks>\n`;
const object = (body: string) => `${DECL}<CustomObject xmlns="${NS}">\n${body}</CustomObject>\n`;

describe('splitParentFile and composeParentFile', () => {
  // The parent's own elements, in the element-name order a retrieve writes, children interleaved
  // where their group sorts; within each group the children are out of order on purpose.
  const original = object(
    '    <actionOverrides>\n        <actionName>View</actionName>\n        <type>Default</type>\n    </actionOverrides>\n' +
    businessProcess('Sales') +
    '    <deploymentStatus>Deployed</deploymentStatus>\n' +
    '    <enableActivities>true</enableActivities>\n' +
    field('Zeta__c') + field('Alpha__c') + field('Mid__c') +
    '    <label>Broker</label>\n' +
    listView('Recent') + listView('All') +
    '    <nameField>\n        <label>Broker Name</label>\n        <type>Text</type>\n    </nameField>\n' +
    '    <pluralLabel>Brokers</pluralLabel>\n' +
    '    <sharingModel>ReadWrite</sharingModel>\n' +
    rule('Name_Required') + rule('Amount_Positive') +
    '    <visibility>Public</visibility>\n' +
    webLink('Open_Site'),
  );
  const composedExpected = object(
    '    <actionOverrides>\n        <actionName>View</actionName>\n        <type>Default</type>\n    </actionOverrides>\n' +
    businessProcess('Sales') +
    '    <deploymentStatus>Deployed</deploymentStatus>\n' +
    '    <enableActivities>true</enableActivities>\n' +
    field('Alpha__c') + field('Mid__c') + field('Zeta__c') +
    '    <label>Broker</label>\n' +
    listView('All') + listView('Recent') +
    '    <nameField>\n        <label>Broker Name</label>\n        <type>Text</type>\n    </nameField>\n' +
    '    <pluralLabel>Brokers</pluralLabel>\n' +
    '    <sharingModel>ReadWrite</sharingModel>\n' +
    rule('Amount_Positive') + rule('Name_Required') +
    '    <visibility>Public</visibility>\n' +
    webLink('Open_Site'),
  );

  it('splits a CustomObject into one child per element, named Object.Child, each at its line', () => {
    const { own, children } = mustSplit('CustomObject', 'Broker__c', original);
    expect(children.map((c) => [c.type.xmlName, c.fullName])).toEqual([
      ['BusinessProcess', 'Broker__c.Sales'],
      ['CustomField', 'Broker__c.Zeta__c'], ['CustomField', 'Broker__c.Alpha__c'], ['CustomField', 'Broker__c.Mid__c'],
      ['ListView', 'Broker__c.Recent'], ['ListView', 'Broker__c.All'],
      ['ValidationRule', 'Broker__c.Name_Required'], ['ValidationRule', 'Broker__c.Amount_Positive'],
      ['WebLink', 'Broker__c.Open_Site'],
    ]);
    const lines = original.split('\n');
    for (const c of children) {
      const line = lines[c.lineNumber! - 1]!;
      expect(line.slice(c.columnNumber! - 1)).toBe(`<${c.type.parent!.child.element}>`);
      expect(lines[c.lineNumber!]).toContain(`<fullName>${c.fullName.split('.')[1]}</fullName>`);
    }
    // Each child's XML is its element, whole.
    const alpha = children.find((c) => c.fullName === 'Broker__c.Alpha__c')!;
    expect(tree(alpha.xml)).toEqual(tree(field('Alpha__c')));
    // The parent keeps its own elements only, in their order.
    const ownRoot = tree(own)[0] as Extract<Node, { el: string }>;
    expect(ownRoot.el).toBe('CustomObject');
    expect(ownRoot.attrs).toEqual({ xmlns: NS });
    expect(ownRoot.children.map((n) => ('el' in n ? n.el : '?'))).toEqual([
      'actionOverrides', 'deploymentStatus', 'enableActivities', 'label', 'nameField', 'pluralLabel', 'sharingModel', 'visibility',
    ]);
  });

  it('composes every child back into a document equivalent to the original, children sorted within groups placed by element name', () => {
    const { own, children } = mustSplit('CustomObject', 'Broker__c', original);
    const composed = composeParentFile(def('CustomObject'), Buffer.from(own), children);
    expect(tree(composed)).toEqual(tree(composedExpected));
    expect(readMetadataRoot(composed, ['CustomObject']).ok).toBe(true);
    // And it splits again into the same children.
    const again = mustSplit('CustomObject', 'Broker__c', composed);
    expect(again.children.map((c) => c.fullName).sort()).toEqual(children.map((c) => c.fullName).sort());
    expect(tree(again.own)).toEqual(tree(own));
  });

  it('composes children given in any order into the same document', () => {
    const { own, children } = mustSplit('CustomObject', 'Broker__c', original);
    const reversed = composeParentFile(def('CustomObject'), Buffer.from(own), [...children].reverse());
    expect(reversed).toBe(composeParentFile(def('CustomObject'), Buffer.from(own), children));
  });

  it('composes one child alone into a parent file holding just it', () => {
    const { children } = mustSplit('CustomObject', 'Broker__c', original);
    const mid = children.find((c) => c.fullName === 'Broker__c.Mid__c')!;
    const composed = composeParentFile(def('CustomObject'), undefined, [mid]);
    expect(tree(composed)).toEqual(tree(object(field('Mid__c'))));
  });

  it('names CustomLabels children by their own fullName, and composes them back sorted', () => {
    const label = (name: string, value: string) =>
      `    <labels>\n        <fullName>${name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${name}</shortDescription>\n        <value>${value}</value>\n    </labels>\n`;
    const labels = (body: string) => `${DECL}<CustomLabels xmlns="${NS}">\n${body}</CustomLabels>\n`;
    const { own, children } = mustSplit('CustomLabels', 'CustomLabels', labels(label('Greeting', 'Hello') + label('Farewell', 'Bye')));
    expect(children.map((c) => [c.type.xmlName, c.fullName])).toEqual([['CustomLabel', 'Greeting'], ['CustomLabel', 'Farewell']]);
    const composed = composeParentFile(def('CustomLabels'), Buffer.from(own), children);
    expect(tree(composed)).toEqual(tree(labels(label('Farewell', 'Bye') + label('Greeting', 'Hello'))));
  });

  it('composes a parent that held only children back byte for byte, with no blank line where they were', () => {
    const labels = `${DECL}<CustomLabels xmlns="${NS}">\n    <labels>\n        <fullName>Greeting</fullName>\n        <value>Hello</value>\n    </labels>\n</CustomLabels>\n`;
    const { own, children } = mustSplit('CustomLabels', 'CustomLabels', labels);
    expect(composeParentFile(def('CustomLabels'), Buffer.from(own), children)).toBe(labels);
  });

  it('refuses a child without fullName, with the line and column of its element', () => {
    const text = object('    <label>Broker</label>\n' + field('Alpha__c') + '    <fields>\n        <label>Nameless</label>\n    </fields>\n');
    const r = split('CustomObject', 'Broker__c', text);
    expect(r).toMatchObject({ lineNumber: 8, columnNumber: 5 });
    expect('problem' in r && r.problem).toMatch(/Required field is missing: fullName/);
    const blank = split('CustomObject', 'Broker__c', object('    <fields>\n        <fullName>  </fullName>\n    </fields>\n'));
    expect(blank).toMatchObject({ lineNumber: 3, columnNumber: 5 });
  });

  it('keeps &, <, quotes, CDATA and comments through split and compose', () => {
    const description = 'Tom & Jerry <3 "double" \'single\' > end';
    const text = object(
      '    <!-- a comment among the parent\'s elements -->\n' +
      '    <description>Tom &amp; Jerry &lt;3 &quot;double&quot; &apos;single&apos; &gt; end</description>\n' +
      field('Alpha__c', '        <!-- a comment in a child -->\n        <description><![CDATA[<b>bold</b> & "raw" ]]></description>\n        <inlineHelpText>A &amp; B &lt; C</inlineHelpText>\n') +
      '    <label>Broker</label>\n',
    );
    const { own, children } = mustSplit('CustomObject', 'Broker__c', text);
    expect(textAt(own, 'CustomObject', 'description')).toBe(description);
    expect((tree(own)[0] as Extract<Node, { el: string }>).children).toContainEqual({ comment: " a comment among the parent's elements " });
    const child = children[0]!;
    expect(textAt(child.xml, 'fields', 'description')).toBe('<b>bold</b> & "raw" ');
    const fieldNode = tree(child.xml)[0] as Extract<Node, { el: string }>;
    expect(fieldNode.children).toContainEqual({ comment: ' a comment in a child ' });
    expect(fieldNode.children).toContainEqual({ el: 'description', attrs: {}, children: [{ cdata: '<b>bold</b> & "raw" ' }] });
    expect(textAt(child.xml, 'fields', 'inlineHelpText')).toBe('A & B < C');
    const composed = composeParentFile(def('CustomObject'), Buffer.from(own), children);
    expect(tree(composed)).toEqual(tree(text));
  });

  it('keeps character references (&#233; &#x20AC; &#10;) as the characters they stand for', () => {
    const text = object(
      '    <description>Caf&#233; costs 5&#x20AC;&#10;per cup</description>\n' +
      field('Alpha__c', '        <inlineHelpText>na&#239;ve</inlineHelpText>\n') +
      '    <label>Broker</label>\n',
    );
    const { own, children } = mustSplit('CustomObject', 'Broker__c', text);
    expect(textAt(own, 'CustomObject', 'description')).toBe('Café costs 5€\nper cup');
    expect(textAt(children[0]!.xml, 'fields', 'inlineHelpText')).toBe('naïve');
    expect(tree(composeParentFile(def('CustomObject'), Buffer.from(own), children))).toEqual(tree(text));
  });

  it('leaves the text of an element holding a comment as it was', () => {
    const text = object(field('Alpha__c', '        <description>before<!-- note -->after</description>\n') + '    <label>Broker</label>\n');
    const { own, children } = mustSplit('CustomObject', 'Broker__c', text);
    expect(textAt(children[0]!.xml, 'fields', 'description')).toBe('beforeafter');
    expect(tree(composeParentFile(def('CustomObject'), Buffer.from(own), children))).toEqual(tree(text));
  });
});

// ---------------------------------------------------------------------------------------------
describe('validateComponentName', () => {
  const ok = (type: string, name: string) => expect({ type, name, problem: validateComponentName(def(type), name) }).toEqual({ type, name, problem: undefined });
  const bad = (type: string, name: string, why?: RegExp) => {
    const problem = validateComponentName(def(type), name);
    expect({ type, name, refused: problem !== undefined }).toEqual({ type, name, refused: true });
    expect(problem).toContain(`The ${type} name '${name}' is not valid`);
    if (why) expect(problem).toMatch(why);
  };

  it('ApexClass: a developer name', () => {
    for (const n of ['A', 'My_Class2', 'x1']) ok('ApexClass', n);
    bad('ApexClass', '2A', /begin with a letter/);
    bad('ApexClass', 'A___B', /two consecutive underscores/);
    // `ns__Name` belongs to the package of namespace ns, which an org without it cannot make.
    expect(validateComponentName(def('ApexClass'), 'acme__Helper')).toMatch(/^Cannot create a new component with the namespace: acme\. /);
    bad('ApexClass', 'A_', /not end with an underscore/);
    for (const n of ['A-B', 'A B', 'A.B', 'Ä']) bad('ApexClass', n, /only contain underscores and alphanumeric characters/);
    bad('ApexClass', '', /empty/);
    bad('ApexClass', ' A', /space/);
    bad('ApexClass', 'A'.repeat(256), /longer than 255/);
  });

  it('LightningComponentBundle: a developer name that begins with a lowercase letter', () => {
    for (const n of ['card', 'myCard', 'my_card2']) ok('LightningComponentBundle', n);
    bad('LightningComponentBundle', 'Card', /lowercase letter/);
    bad('LightningComponentBundle', 'my-card');
    bad('LightningComponentBundle', 'my___card');
  });

  it('Layout: Object-Layout name, spaces and dots allowed, no slash', () => {
    for (const n of ['Broker__c-Broker Layout', 'Account-Account Layout', 'Account-Account (Marketing) Layout', 'ns__Obj__c-ns__Layout v1.2']) ok('Layout', n);
    bad('Layout', 'Account/Layout', /\//);
    bad('Layout', 'Account-Layout ', /space/);
  });

  it('Report: Folder/Name, in nested folders, never outside a folder', () => {
    for (const n of ['F/R', 'F/G/R', 'F/My Report-1', 'A/B/C/D/R']) ok('Report', n);
    for (const n of ['F//R', '/R', 'F/R/', 'F/../R', './R']) bad('Report', n, /not empty, \. or \.\./);
    bad('Report', 'A/B/C/D/E/R', /Folder\/Name/);
  });

  it('Report, Document, EmailTemplate and Dashboard: a name without its folder is refused', () => {
    for (const type of ['Report', 'Document', 'EmailTemplate', 'Dashboard']) bad(type, 'NoFolder', /Folder\/Name/);
  });

  it('ReportFolder: developer names at every level of nesting', () => {
    for (const n of ['F', 'F/G', 'Sales/West_Coast']) ok('ReportFolder', n);
    bad('ReportFolder', 'F/2G', /begin with a letter/);
    bad('ReportFolder', 'F/G_', /underscore/);
    bad('ReportFolder', 'F G');
    bad('ReportFolder', 'F//G');
    bad('ReportFolder', 'F/..');
  });

  it('ReportFolder: no deeper than a report in it can be', () => {
    for (let depth = 1; depth <= 6; depth++) {
      const folder = Array.from({ length: depth }, (_, i) => `L${i}`).join('/');
      const folderOk = validateComponentName(def('ReportFolder'), folder) === undefined;
      const reportOk = validateComponentName(def('Report'), `${folder}/R`) === undefined;
      expect({ folder, folderOk }).toEqual({ folder, folderOk: reportOk });
    }
  });

  it('refuses control characters, file-system characters and . or .. as a part, for every kind of type', () => {
    for (const type of ['ApexClass', 'Layout', 'Report', 'ReportFolder', 'CustomMetadata', 'QuickAction']) {
      const name = (own: string) => (type === 'Report' ? `F/${own}` : own);
      for (const c of ['\u0000', '\u0001', '\t', '\n', '\u001f', '\u007f']) bad(type, name(`A${c}B`));
      for (const c of ['\\', ':', '*', '?', '"', '<', '>', '|']) bad(type, name(`A${c}B`));
    }
    for (const n of ['..', '.', '../x', 'x/..']) bad('Layout', n);
    bad('Report', 'F/..');
    bad('Report', '../R');
    ok('CustomMetadata', 'Config.Default');
    ok('QuickAction', 'Account.New');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the registry', () => {
  it('knows more than 500 top-level types, child types apart', () => {
    const top = MetadataRegistry.topLevel().map((h) => h.definition.xmlName);
    expect(top.length).toBeGreaterThan(500);
    expect(new Set(top).size).toBe(top.length);
    for (const t of ['ApexClass', 'CustomObject', 'Certificate', 'Layout', 'Report', 'LightningComponentBundle', 'Settings']) expect(top).toContain(t);
    for (const t of ['CustomField', 'ListView', 'CustomLabel']) {
      expect(top).not.toContain(t);
      expect(MetadataRegistry.get(t)).toBeDefined();
    }
  });

  it('gives CustomObject its children, CustomField held in <fields>', () => {
    const children = MetadataRegistry.childrenOf('CustomObject').map((h) => h.definition);
    const field = children.find((c) => c.xmlName === 'CustomField');
    expect(field?.parent).toEqual({ xmlName: 'CustomObject', child: expect.objectContaining({ name: 'CustomField', element: 'fields', idElement: 'fullName' }) });
    expect(children.map((c) => c.xmlName)).toEqual(expect.arrayContaining(['ListView', 'ValidationRule', 'RecordType', 'WebLink']));
    expect(children.find((c) => c.xmlName === 'ListView')?.parent?.child.element).toBe('listViews');
    expect(MetadataRegistry.childrenOf('CustomLabels').map((h) => [h.definition.xmlName, h.definition.parent!.child.ignoreParentName])).toEqual([['CustomLabel', true]]);
    expect(MetadataRegistry.childrenOf('ApexClass')).toEqual([]);
  });

  it('resolves a type from its first API version on', () => {
    expect(MetadataRegistry.resolve('Certificate', 36)?.definition.xmlName).toBe('Certificate');
    expect(MetadataRegistry.resolve('Certificate', 35)).toBeUndefined();
    expect(MetadataRegistry.resolve('Certificate')).toBeDefined();
    expect(MetadataRegistry.resolve('LightningComponentBundle', 44)).toBeUndefined();
    expect(MetadataRegistry.resolve('LightningComponentBundle', 45)).toBeDefined();
    expect(MetadataRegistry.resolve('ApexClass', 31)).toBeDefined();
  });

  it('does not resolve an unknown name, nor a known one in another case', () => {
    expect(MetadataRegistry.resolve('NoSuchType')).toBeUndefined();
    expect(MetadataRegistry.resolve('NoSuchType', 66)).toBeUndefined();
    expect(MetadataRegistry.get('NoSuchType')).toBeUndefined();
    expect(MetadataRegistry.resolve('')).toBeUndefined();
    expect(MetadataRegistry.resolve('apexclass')).toBeUndefined();
  });

  it('lists the ten wave types under wave/', () => {
    expect(MetadataRegistry.inDirectory('wave')).toHaveLength(10);
    expect(MetadataRegistry.inDirectory('wave').map((h) => h.definition.xmlName)).toContain('WaveDashboard');
  });
});

