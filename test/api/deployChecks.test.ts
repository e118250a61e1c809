/**
 * The deploy checks through jsforce: a small project deploys clean, then each broken package of
 * fixtures/deploy-checks/cases is refused on top of it with the row a real org gives (its case.json
 * says which, and where the wording comes from). A validation gives the same rows; with the checks
 * off, the same packages deploy.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { adminFetch, asArray, createOrg, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'deploy-checks');

interface Case {
  manifest: Record<string, string[]>;
  version: string;
  expect: { componentType: string; fullName: string; fileName: string; problem: string; lineNumber?: number; columnNumber?: number };
  source: string;
}

function filesUnder(dir: string, root = dir): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, filesUnder(path, root));
    else if (name !== 'case.json') files[relative(root, path)] = readFileSync(path);
  }
  return files;
}

const manifest = (types: Record<string, string[]>, version: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${Object.entries(types).map(([name, members]) =>
    `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')}    <version>${version}</version>\n</Package>\n`;

async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

const CASES = readdirSync(join(FIXTURES, 'cases')).sort().map((name) => {
  const dir = join(FIXTURES, 'cases', name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
  const files: Record<string, string | Buffer> = { ...filesUnder(dir), 'package.xml': manifest(spec.manifest, spec.version) };
  return { name, spec, files };
});

const failuresOf = (result: { details?: unknown }) => asArray((result.details as { componentFailures?: unknown })?.componentFailures) as Record<string, unknown>[];

describe('deploy checks: a broken package is refused as a real org refuses it', () => {
  let server: LocalforceServer;
  let conn: Connection;

  beforeAll(async () => {
    server = await startTestServer();
    conn = tokenConnection(server);
    const base = await deployAndWait(conn, await zipOf(filesUnder(join(FIXTURES, 'base'))));
    expect(failuresOf(base)).toEqual([]);
    expect(base.status).toBe('Succeeded');
  });
  afterAll(() => server?.close());

  it('has a case for each family of checks', () => {
    expect(new Set(CASES.map((c) => c.name.split('-')[0]))).toEqual(new Set(['schema', 'references', 'apex', 'lwc']));
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, { spec, files }) => {
    const zip = await zipOf(files);
    for (const checkOnly of [false, true]) {
      const result = await deployAndWait(conn, zip, { checkOnly });
      expect(result.status).toBe('Failed');
      const failures = failuresOf(result);
      const row = failures.find((f) => f.fullName === spec.expect.fullName && f.fileName === spec.expect.fileName);
      expect(row).toMatchObject({ ...spec.expect, problemType: 'Error', success: false });
      // The org sends the bare message; the " (line:col)" some tools show is the client's.
      expect(String(row!.problem)).not.toMatch(/\(\d+:\d+\)$/);
      expect(Number(result.numberComponentErrors)).toBe(failures.length);
    }
  });

  it('commits nothing of a refused deploy: the base project is as it was', async () => {
    const read = await conn.metadata.read('PermissionSet', 'Thing_Editor') as unknown as { fieldPermissions?: unknown };
    expect(asArray(read.fieldPermissions as unknown[]).length).toBe(2);
  });

  it('fails what names a component that failed, and accepts what names one the same deploy adds', async () => {
    const gadget = CASES.find((c) => c.name === 'references-tab-object')!;
    const object = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n    <deploymentStatus>Deployed</deploymentStatus>\n    <label>Gadget</label>\n    <nameField>\n        <label>Gadget Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>Gadgets</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n</CustomObject>\n`;
    const withObject = { ...gadget.files, 'objects/Gadget__c.object': object, 'package.xml': manifest({ CustomObject: ['Gadget__c'], CustomTab: ['Gadget__c'] }, '66.0') };
    const accepted = await deployAndWait(conn, await zipOf(withObject), { checkOnly: true });
    expect(failuresOf(accepted)).toEqual([]);
    const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const broken = {
      ...withObject,
      'objects/Gadget__c.object': object.replace('<label>Gadget</label>', '<label>Gadget</label>\n    <colour>red</colour>'),
      'layouts/Gadget__c-Gadget Layout.layout': `<?xml version="1.0" encoding="UTF-8"?>\n<Layout ${ns}>\n    <layoutSections>\n        <style>OneColumn</style>\n    </layoutSections>\n</Layout>\n`,
      'permissionsets/Gadget_User.permissionset': `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${ns}>\n    <label>Gadget User</label>\n    <objectPermissions>\n        <allowRead>true</allowRead>\n        <object>Gadget__c</object>\n    </objectPermissions>\n</PermissionSet>\n`,
      'permissionsetgroups/Gadgets.permissionsetgroup': `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${ns}>\n    <label>Gadgets</label>\n    <permissionSets>Gadget_User</permissionSets>\n    <permissionSets>Thing_Editor</permissionSets>\n</PermissionSetGroup>\n`,
      'package.xml': manifest({ CustomObject: ['Gadget__c'], CustomTab: ['Gadget__c'], Layout: ['Gadget__c-Gadget Layout'], PermissionSet: ['Gadget_User'], PermissionSetGroup: ['Gadgets'] }, '66.0'),
    };
    // As a real org reported one object that failed to parse: its tab, layout, permission set and group fail with it.
    const refused = await deployAndWait(conn, await zipOf(broken), { checkOnly: true });
    expect(failuresOf(refused).map((f) => [f.componentType, f.problem]).sort()).toEqual([
      ['CustomObject', expect.stringContaining('colour invalid at this location in type CustomObject')],
      ['CustomTab', 'In field: fullName - no CustomObject named Gadget__c found'],
      ['Layout', 'Parent entity failed to deploy'],
      ['PermissionSet', 'In field: object - no CustomObject named Gadget__c found'],
      ['PermissionSetGroup', 'Cannot create permission set group components since the following permission set names are invalid: Gadget_User'],
    ]);
  });

  it('takes a flow of the versioned layout (Name-8, as packaging orgs write flows) as its flow Name, in the deploy and in the org', async () => {
    const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const flow = readFileSync(join(FIXTURES, 'base', 'flows', 'Count_Things.flow'));
    const action = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<QuickAction ${ns}>\n    <flowDefinition>${name}</flowDefinition>\n` +
      `    <label>Cascade</label>\n    <optionsCreateFeedItem>false</optionsCreateFeedItem>\n    <type>Flow</type>\n</QuickAction>\n`;
    const both = await deployAndWait(conn, await zipOf({
      'flows/Cascade_Things-8.flow': flow, 'quickActions/Thing__c.Cascade.quickAction': action('Cascade_Things'),
      'package.xml': manifest({ Flow: ['Cascade_Things-8'], QuickAction: ['Thing__c.Cascade'] }, '66.0'),
    }));
    expect(failuresOf(both)).toEqual([]);
    const later = await deployAndWait(conn, await zipOf({
      'quickActions/Thing__c.Recount.quickAction': action('Cascade_Things'), 'quickActions/Thing__c.Nothing.quickAction': action('Cascade'),
      'package.xml': manifest({ QuickAction: ['Thing__c.Recount', 'Thing__c.Nothing'] }, '66.0'),
    }));
    expect(failuresOf(later).map((f) => [f.fullName, f.problem])).toEqual([['Thing__c.Nothing', 'In field: flowDefinition - no Flow named Cascade found']]);
  });

  it('fails a profile granting a new class that does not compile, as the class is not in the org after the deploy', async () => {
    const { files } = CASES.find((c) => c.name === 'apex-syntax')!;
    const profile = '<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\n    <classAccesses>\n        <apexClass>ThingCounter</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n    <custom>false</custom>\n</Profile>\n';
    const result = await deployAndWait(conn, await zipOf({ ...files, 'profiles/Admin.profile': profile, 'package.xml': manifest({ ApexClass: ['ThingCounter'], Profile: ['Admin'] }, '66.0') }));
    expect(failuresOf(result).map((f) => [f.componentType, f.problem])).toEqual([
      ['ApexClass', "Expecting ';' but was: 'return'"],
      ['Profile', 'In field: apexClass - no ApexClass named ThingCounter found'],
    ]);
  });

  it('fails the Apex naming a class the deploy cannot compile: a new one is a missing type, one the org has makes an invalid dependent', async () => {
    const { files } = CASES.find((c) => c.name === 'apex-syntax')!;
    const meta = files['classes/ThingCounter.cls-meta.xml']!;
    const apex = (name: string, source: string) => ({ [`classes/${name}.cls`]: source, [`classes/${name}.cls-meta.xml`]: meta });
    const deploy = {
      ...files,
      ...apex('ThingService', 'public with sharing class ThingService {\n    public static Integer count() {\n        Integer n = 1\n        return n;\n    }\n}\n'),
      ...apex('ThingUser', 'public class ThingUser {\n    public Integer total() {\n        ThingCounter counter = new ThingCounter();\n        return ThingService.count();\n    }\n    ThingService kept;\n}\n'),
      ...apex('ThingUserTest', '@IsTest\nprivate class ThingUserTest {\n    @IsTest\n    static void totals() {\n        ThingUser user = new ThingUser();\n    }\n}\n'),
      'triggers/ThingTrigger.trigger': 'trigger ThingTrigger on Thing__c (before insert) {\n    ThingCounter counter = new ThingCounter();\n}\n',
      'triggers/ThingTrigger.trigger-meta.xml': String(meta).replace(/ApexClass/g, 'ApexTrigger'),
      'package.xml': manifest({ ApexClass: ['ThingCounter', 'ThingService', 'ThingUser', 'ThingUserTest'], ApexTrigger: ['ThingTrigger'] }, '66.0'),
    };
    const result = await deployAndWait(conn, await zipOf(deploy), { checkOnly: true });
    const syntax = "Expecting ';' but was: 'return'";
    expect(failuresOf(result).map((f) => [f.fullName, f.problem, Number(f.lineNumber), Number(f.columnNumber)]).sort()).toEqual([
      ['ThingCounter', syntax, 4, 9],
      ['ThingService', syntax, 4, 9],
      ['ThingTrigger', 'Invalid type: ThingCounter', 2, 5],
      ['ThingUser', `Dependent class is invalid and needs recompilation:\n Class ThingService : ${syntax}`, 4, 16],
      ['ThingUser', 'Invalid type: ThingCounter', 3, 9],
      ['ThingUserTest', 'Invalid type: ThingUser', 5, 9],
    ]);
  });

  it('accepts a type nested in a class of the org or of the deploy, a class the org has, and a field a class inherits, named by a bare name', async () => {
    const org = await createOrg(server);
    const orgConn = tokenConnection(server, org.accessToken);
    const meta = CASES.find((c) => c.name === 'apex-syntax')!.files['classes/ThingCounter.cls-meta.xml']!;
    const shapes = { 'classes/Shapes.cls': 'public virtual class Shapes {\n    protected Integer sides = 4;\n    public class Corner {}\n    public enum Side { LEFT, RIGHT }\n}\n', 'classes/Shapes.cls-meta.xml': meta };
    const stored = await deployAndWait(orgConn, await zipOf({ ...shapes, 'package.xml': manifest({ ApexClass: ['Shapes'] }, '66.0') }));
    expect(failuresOf(stored)).toEqual([]);
    const square = {
      'classes/Square.cls': 'public class Square extends Shapes {\n    Corner corner;\n    Side side;\n    Shapes parent;\n    Edge edge;\n    public class Edge {}\n    Integer count() { return sides; }\n}\n',
      'classes/Square.cls-meta.xml': meta,
      'package.xml': manifest({ ApexClass: ['Square'] }, '66.0'),
    };
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(square), { checkOnly: true }))).toEqual([]);
    const missing = { ...square, 'classes/Square.cls': 'public class Square extends Shapes {\n    Corner corner;\n    Triangle t;\n    Integer count() { return sides + edges; }\n}\n' };
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(missing), { checkOnly: true })).map((f) => f.problem))
      .toEqual(['Invalid type: Triangle', 'Variable does not exist: edges']);
    // A managed package's class may nest types its subclasses name bare (EDA's TDTM_Runnable and its DmlWrapper);
    // the class extended is still looked for.
    const tdtm = { ...square, 'classes/Square.cls': 'global class Square extends hed.TDTM_Runnable {\n    global override DmlWrapper run() { return new DmlWrapper(); }\n}\n' };
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(tdtm), { checkOnly: true }))).toEqual([]);
    const base = { ...square, 'classes/Square.cls': 'public class Square extends Trapezium {\n    DmlWrapper w;\n}\n' };
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(base), { checkOnly: true })).map((f) => f.problem)).toEqual(['Invalid type: Trapezium']);
  });

  /** A new org holding `classes` (name → source); `check` validates more classes against it and gives its rows as [problem, line, column]. */
  async function orgWithClasses(classes: Record<string, string>) {
    const org = await createOrg(server);
    const orgConn = tokenConnection(server, org.accessToken);
    const meta = CASES.find((c) => c.name === 'apex-syntax')!.files['classes/ThingCounter.cls-meta.xml']!;
    const files = (sources: Record<string, string>) => ({
      ...Object.fromEntries(Object.entries(sources).flatMap(([name, source]) => [[`classes/${name}.cls`, source], [`classes/${name}.cls-meta.xml`, meta]])),
      'package.xml': manifest({ ApexClass: Object.keys(sources) }, '66.0'),
    });
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(files(classes))))).toEqual([]);
    return async (sources: Record<string, string>) => failuresOf(await deployAndWait(orgConn, await zipOf(files(sources)), { checkOnly: true }))
      .map((f) => [f.problem, f.lineNumber, f.columnNumber]);
  }

  it('checks a call on a platform type by its methods, unless a class, a nested type, a variable or an inherited field may shadow the name', async () => {
    // The org's own Approval class shadows System.Approval; Limits is a field Base declares; `test` is a String in one method only.
    const check = await orgWithClasses({
      Approval: 'public class Approval {\n    public static void submitAll() {}\n}\n',
      Base: 'public virtual class Base {\n    protected Counter Limits = new Counter();\n    public class Counter { public Integer spent() { return 0; } }\n}\n',
    });
    const probe = (body: string) => ({ Probe: `public class Probe extends Base {\n    static void named() { String test = 'x'; }\n${body}}\n` });
    expect(await check(probe("    void calls() {\n        Test.startTest();\n        Approval.submitAll();\n        Integer n = Limits.spent();\n        System.assertEquals(1, n);\n        String s = 'a';\n        s = s.toUpperCase();\n    }\n"))).toEqual([]);
    // `Test.beginTest()` is not checked: the file declares a variable `test`.
    expect(await check(probe("    void calls() {\n        System.debugg('x');\n        Test.beginTest();\n        String s = 'a';\n        s.toUpperCasee();\n    }\n"))).toEqual([
      ['Method does not exist or incorrect signature: void debugg(String) from the type System', 4, 16],
      ['Method does not exist or incorrect signature: void toUpperCasee() from the type String', 7, 11],
    ]);
  });

  it('refuses a member an org class declares nowhere, nor inherits, read on the class or on a variable of its type', async () => {
    const check = await orgWithClasses({
      Meter: 'public virtual class Meter {\n    public static Integer MAX = 5;\n    public Integer reading;\n    public enum Unit { KWH }\n}\n',
      SmartMeter: 'public class SmartMeter extends Meter {\n    public Boolean online;\n}\n',
    });
    const reader = (body: string) => ({ Reader: `public class Reader {\n    Integer read(Meter m, SmartMeter s) {\n${body}    }\n}\n` });
    expect(await check(reader('        Meter.Unit u = Meter.Unit.KWH;\n        Boolean live = s.online;\n        return m.reading + s.reading + Meter.MAX;\n'))).toEqual([]);
    expect(await check(reader('        Boolean live = s.offline;\n        return m.readings + Meter.MIN;\n'))).toEqual([
      ['Variable does not exist: offline', 3, 26],
      ['Variable does not exist: readings', 4, 18],
      ['Variable does not exist: MIN', 4, 35],
    ]);
  });

  it('fails a class naming one of the org\'s that the deploy breaks, as an invalid dependent; the deploy that breaks it alone passes', async () => {
    const org = await createOrg(server);
    const orgConn = tokenConnection(server, org.accessToken);
    const meta = CASES.find((c) => c.name === 'apex-syntax')!.files['classes/ThingCounter.cls-meta.xml']!;
    const apex = (name: string, source: string) => ({ [`classes/${name}.cls`]: source, [`classes/${name}.cls-meta.xml`]: meta });
    const service = (method: string) => apex('Service', `public class Service {\n    public static Integer ${method}() { return 1; }\n}\n`);
    const helper = apex('Helper', 'public class Helper {\n    public static Integer help() {\n        return Service.count();\n    }\n}\n');
    const stored = await deployAndWait(orgConn, await zipOf({ ...service('count'), ...helper, 'package.xml': manifest({ ApexClass: ['Helper', 'Service'] }, '66.0') }));
    expect(failuresOf(stored)).toEqual([]);
    const renamed = { ...service('total'), 'package.xml': manifest({ ApexClass: ['Service'] }, '66.0') };
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(renamed), { checkOnly: true }))).toEqual([]);
    const page = apex('Page', 'public class Page {\n    public Integer shown() {\n        return Helper.help();\n    }\n}\n');
    const result = await deployAndWait(orgConn, await zipOf({ ...renamed, ...page, 'package.xml': manifest({ ApexClass: ['Page', 'Service'] }, '66.0') }), { checkOnly: true });
    expect(failuresOf(result).map((f) => [f.fullName, f.problem, Number(f.lineNumber), Number(f.columnNumber)])).toEqual([
      ['Page', 'Dependent class is invalid and needs recompilation:\n Class Helper : Method does not exist or incorrect signature: void count() from the type Service', 3, 16],
    ]);
  });

  it('finds a Task or Event field where it is kept, on Activity, from a web component\'s import and a permission set', async () => {
    const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const files = {
      'objects/Activity.object': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject ${ns}>\n    <fields>\n        <fullName>Outcome__c</fullName>\n        <label>Outcome</label>\n        <length>40</length>\n        <type>Text</type>\n    </fields>\n</CustomObject>\n`,
      'lwc/taskOutcome/taskOutcome.js': "import { LightningElement } from 'lwc';\nimport OUTCOME from '@salesforce/schema/Task.Outcome__c';\n\nexport default class TaskOutcome extends LightningElement {\n    field = OUTCOME;\n}\n",
      'lwc/taskOutcome/taskOutcome.html': '<template>\n    <p>Outcome</p>\n</template>\n',
      'lwc/taskOutcome/taskOutcome.js-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle ${ns}>\n    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n`,
      'permissionsets/Task_Outcome.permissionset': `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${ns}>\n    <fieldPermissions>\n        <editable>true</editable>\n        <field>Event.Outcome__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <label>Task Outcome</label>\n</PermissionSet>\n`,
      'package.xml': manifest({ CustomField: ['Activity.Outcome__c'], LightningComponentBundle: ['taskOutcome'], PermissionSet: ['Task_Outcome'] }, '66.0'),
    };
    const result = await deployAndWait(conn, await zipOf(files), { checkOnly: true });
    expect(failuresOf(result)).toEqual([]);
  });

  it('runs no check an org turned off, and says which it runs', async () => {
    const org = await createOrg(server);
    const setChecks = (checks: string) => adminFetch(server, `/_localforce/orgs/${org.id}/deploy-checks`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ checks }),
    });
    expect(await (await adminFetch(server, `/_localforce/orgs/${org.id}/deploy-checks`)).json()).toEqual({ checks: 'all', source: 'server' });
    const refused = await setChecks('schema,bogus');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([expect.objectContaining({ message: expect.stringContaining('not bogus') })]);
    expect(await (await setChecks('none')).json()).toEqual({ checks: 'none', source: 'org' });
    const orgConn = tokenConnection(server, org.accessToken);
    for (const name of ['schema-unknown-element', 'references-permission-set-field', 'apex-syntax', 'lwc-missing-apex']) {
      const { files } = CASES.find((c) => c.name === name)!;
      const result = await deployAndWait(orgConn, await zipOf(files), { checkOnly: true });
      expect([name, failuresOf(result)]).toEqual([name, []]);
    }
    expect(await (await setChecks('references')).json()).toEqual({ checks: 'references', source: 'org' });
    const { files } = CASES.find((c) => c.name === 'references-permission-set-field')!;
    expect(failuresOf(await deployAndWait(orgConn, await zipOf(files), { checkOnly: true }))).toHaveLength(1);
    const reset = await adminFetch(server, `/_localforce/orgs/${org.id}/deploy-checks`, { method: 'DELETE' });
    expect(await reset.json()).toEqual({ checks: 'all', source: 'server' });
  });
});
