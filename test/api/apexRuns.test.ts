/**
 * Apex test runs, coverage, debug logs and anonymous Apex over the wire, as jsforce (and through it the
 * sf CLI) calls them: the Tooling API's test runner, the test objects it polls, the Streaming API's
 * handshake and topics, and the Apex SOAP API's executeAnonymous. Outcomes and coverage are declared by
 * the org's policies; nothing is executed.
 */
import { request } from 'node:http';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import {
  adminFetch, captureLog, createOrg, deployAndWait, startTestServer, tokenConnection, type LocalforceServer, type TestOrg,
} from '../support/localforce';

const META = (type: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n${extra}    <status>Active</status>\n</${type}>\n`;

const SERVICE = `public with sharing class AccountService {
    // Renames accounts.
    public static void rename(List<Account> accounts) {
        for (Account a : accounts) {
            a.Name = a.Name + ' (renamed)';
        }
    }

    public static Integer twice(Integer n) {
        return n * 2;
    }
}
`;
/** The lines coverage counts: the two methods' signatures and statements, not the class line, comments or braces. */
const SERVICE_CODE_LINES = [3, 4, 5, 9, 10];

const SERVICE_TEST = `@isTest
private class AccountServiceTest {
    @isTest static void renames() {
        Account a = new Account(Name = 'A');
        AccountService.rename(new List<Account>{ a });
        System.assertEquals('A (renamed)', a.Name);
    }
    @isTest static void doubles() {
        System.assertEquals(4, AccountService.twice(2));
    }
}
`;
const OTHER_TEST = '@isTest\nprivate class OtherTest {\n    @isTest static void works() {\n        System.assert(true);\n    }\n}\n';
const TRIGGER = 'trigger AccountTrigger on Account (before insert) {\n    for (Account a : Trigger.new) {\n        a.Description = \'x\';\n    }\n}\n';
const SUITE = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexTestSuite xmlns="http://soap.sforce.com/2006/04/metadata">\n    <testClassName>OtherTest</testClassName>\n</ApexTestSuite>\n';

const manifest = (types: Record<string, string[]>) => `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${
  Object.entries(types).map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`).join('')
}    <version>66.0</version>\n</Package>\n`;

async function deployApex(conn: Connection): Promise<void> {
  const zip = new JSZip();
  zip.file('package.xml', manifest({ ApexClass: ['AccountService', 'AccountServiceTest', 'OtherTest'], ApexTrigger: ['AccountTrigger'], ApexTestSuite: ['Smoke'] }));
  for (const [name, body] of [['AccountService', SERVICE], ['AccountServiceTest', SERVICE_TEST], ['OtherTest', OTHER_TEST]]) {
    zip.file(`classes/${name}.cls`, body!);
    zip.file(`classes/${name}.cls-meta.xml`, META('ApexClass'));
  }
  zip.file('triggers/AccountTrigger.trigger', TRIGGER);
  zip.file('triggers/AccountTrigger.trigger-meta.xml', META('ApexTrigger'));
  zip.file('testSuites/Smoke.testSuite', SUITE);
  const result = await deployAndWait(conn, await zip.generateAsync({ type: 'nodebuffer' }));
  expect(result).toMatchObject({ status: 'Succeeded' });
}

type Rec = Record<string, any>;
const tooling = async (conn: Connection, soql: string): Promise<Rec[]> => (await conn.tooling.query<Rec>(soql)).records;
const post = (conn: Connection, resource: string, body: unknown) =>
  conn.tooling.request<any>({ method: 'POST', url: `${conn.tooling._baseUrl()}/${resource}`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const inList = (ids: string[]) => ids.map((id) => `'${id}'`).join(', ');

async function admin(server: LocalforceServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await adminFetch(server, path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** executeAnonymous as `sf apex run` sends it (apex-node's envelope), answered as text. */
async function executeAnonymous(server: LocalforceServer, token: string, code: string) {
  const escaped = code.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
  const res = await fetch(`${server.url}/services/Soap/s/66.0/${token.split('!')[0]}`, {
    method: 'POST', headers: { 'content-type': 'text/xml', soapaction: 'executeAnonymous' },
    body: `<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema"
xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:cmd="http://soap.sforce.com/2006/08/apex"
xmlns:apex="http://soap.sforce.com/2006/08/apex">
    <env:Header>
        <cmd:SessionHeader>
            <cmd:sessionId>${token}</cmd:sessionId>
        </cmd:SessionHeader>
        <apex:DebuggingHeader><apex:debugLevel>DEBUGONLY</apex:debugLevel></apex:DebuggingHeader>
    </env:Header>
    <env:Body>
        <executeAnonymous xmlns="http://soap.sforce.com/2006/08/apex">
            <apexcode>${escaped}</apexcode>
        </executeAnonymous>
    </env:Body>
</env:Envelope>`,
  });
  const text = await res.text();
  const decoded = (xml: string) => xml.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  const field = (name: string) => { const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]; return found === undefined ? undefined : decoded(found); };
  return { status: res.status, text, field, nil: (name: string) => text.includes(`<${name} xsi:nil="true"/>`) };
}

let server: LocalforceServer;
let conn: Connection;
let org: TestOrg;
let ids: Record<string, string>;
const log = captureLog();

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'info', logDestination: log.destination });
  conn = tokenConnection(server);
  await deployApex(conn);
  ids = Object.fromEntries((await conn.metadata.list([{ type: 'ApexClass' }, { type: 'ApexTrigger' }])).map((p) => [p.fullName, p.id]));
  org = await createOrg(server);
});
afterAll(async () => { await server?.close(); });

describe('runTestsAsynchronous and the objects the sf CLI polls', () => {
  let jobId: string;

  it('answers the job id as a JSON string, with every record written before the answer', async () => {
    jobId = await post(conn, 'runTestsAsynchronous', { testLevel: 'RunLocalTests', category: ['Apex'], skipCodeCoverage: false });
    expect(jobId).toMatch(/^707[A-Za-z0-9]{15}$/);
    const [summary, ...more] = await tooling(conn, `SELECT AsyncApexJobId, Status, ClassesCompleted, ClassesEnqueued, MethodsEnqueued, StartTime, EndTime, TestTime, TestSetupTime, UserId FROM ApexTestRunResult WHERE AsyncApexJobId = '${jobId}'`);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      attributes: { type: 'ApexTestRunResult' }, AsyncApexJobId: jobId, Status: 'Completed', ClassesCompleted: 2, ClassesEnqueued: 2,
      MethodsEnqueued: 3, TestTime: 0, TestSetupTime: 0, UserId: server.org.userId,
    });
    expect(summary!.StartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('has a queue item per test class and a result per method, with the class nested', async () => {
    const items = await tooling(conn, `SELECT Id, Status, ApexClassId, TestRunResultId, ParentJobId FROM ApexTestQueueItem WHERE ParentJobId = '${jobId}'`);
    expect(items.map((i) => [i.ApexClassId, i.Status])).toEqual([[ids.AccountServiceTest, 'Completed'], [ids.OtherTest, 'Completed']]);
    expect(items.every((i) => /^709/.test(i.Id) && i.ParentJobId === jobId)).toBe(true);
    const results = await tooling(conn, `SELECT Id, QueueItemId, StackTrace, Message, RunTime, TestTimestamp, AsyncApexJobId, MethodName, Outcome, ApexLogId, IsTestSetup, ApexClass.Id, ApexClass.Name, ApexClass.NamespacePrefix FROM ApexTestResult WHERE QueueItemId IN (${inList(items.map((i) => i.Id))})`);
    expect(results.map((r) => `${r.ApexClass.Name}.${r.MethodName} ${r.Outcome}`).sort()).toEqual([
      'AccountServiceTest.doubles Pass', 'AccountServiceTest.renames Pass', 'OtherTest.works Pass',
    ]);
    expect(results[0]).toMatchObject({
      attributes: { type: 'ApexTestResult' }, AsyncApexJobId: jobId, IsTestSetup: false, RunTime: 0, StackTrace: null,
      ApexClass: { attributes: { type: 'ApexClass' }, Id: ids.AccountServiceTest, Name: 'AccountServiceTest', NamespacePrefix: null },
      Message: expect.stringMatching(/declared by Localforce's test outcome policy: the test was not run/),
    });
    expect(results[0]!.Id).toMatch(/^07M/);
    expect(results[0]!.ApexLogId).toMatch(/^07L/);
    // No Flow tests, no installed packages: empty answers, not errors.
    expect(await tooling(conn, `SELECT Id FROM FlowTestResult WHERE ApexTestQueueItemId IN ('${items[0]!.Id}')`)).toEqual([]);
    expect((await conn.query('SELECT NamespacePrefix FROM PackageLicense')).records).toEqual([]);
    expect(await tooling(conn, 'SELECT SubscriberPackage.NamespacePrefix FROM InstalledSubscriberPackage')).toEqual([]);
  });

  it('reports the declared coverage of the classes and triggers under test, on their real code lines', async () => {
    const perMethod = await tooling(conn, `SELECT ApexTestClassId, ApexClassOrTrigger.Id, ApexClassOrTrigger.Name, TestMethodName, NumLinesCovered, NumLinesUncovered, Coverage FROM ApexCodeCoverage WHERE ApexTestClassId IN ('${ids.AccountServiceTest}')`);
    // Both methods of the test cover the class it names and the trigger on the object it names; by default 75%.
    expect(perMethod.map((r) => `${r.TestMethodName} ${r.ApexClassOrTrigger.Name}`).sort()).toEqual([
      'doubles AccountService', 'doubles AccountTrigger', 'renames AccountService', 'renames AccountTrigger',
    ]);
    const service = perMethod.find((r) => r.ApexClassOrTrigger.Name === 'AccountService')!;
    expect(service).toMatchObject({ NumLinesCovered: 4, NumLinesUncovered: 1, Coverage: { coveredLines: SERVICE_CODE_LINES.slice(0, 4), uncoveredLines: [10] } });
    expect(service.ApexClassOrTrigger).toMatchObject({ attributes: { type: 'ApexClass' }, Id: ids.AccountService });
    // The test class covers nothing of itself; OtherTest names no class.
    expect(await tooling(conn, `SELECT Id FROM ApexCodeCoverage WHERE ApexTestClassId IN ('${ids.OtherTest}')`)).toEqual([]);

    const aggregate = await tooling(conn, `SELECT ApexClassOrTrigger.Id, ApexClassOrTrigger.Name, NumLinesCovered, NumLinesUncovered, Coverage FROM ApexCodeCoverageAggregate WHERE ApexClassorTriggerId IN ('${ids.AccountService}', '${ids.AccountTrigger}')`);
    expect(aggregate.map((r) => [r.ApexClassOrTrigger.Name, r.NumLinesCovered, r.NumLinesUncovered]).sort()).toEqual([['AccountService', 4, 1], ['AccountTrigger', 2, 0]]);
    expect(aggregate.find((r) => r.ApexClassOrTrigger.Name === 'AccountTrigger')!.ApexClassOrTrigger.Id).toMatch(/^01q/);
    // 6 of the 7 code lines of the org's class and trigger (the test classes do not count).
    expect(await tooling(conn, 'SELECT PercentCovered FROM ApexOrgWideCoverage')).toEqual([expect.objectContaining({ PercentCovered: 85 })]);
  });

  it('reads a run\'s records by id too', async () => {
    const [summary] = await tooling(conn, `SELECT Id FROM ApexTestRunResult WHERE AsyncApexJobId = '${jobId}'`);
    const record = await conn.tooling.sobject('ApexTestRunResult').retrieve(summary!.Id) as Rec;
    expect(record).toMatchObject({ Id: summary!.Id, AsyncApexJobId: jobId, Status: 'Completed' });
  });

  it('keeps each org\'s runs to itself', async () => {
    expect(await tooling(org.conn, `SELECT Id FROM ApexTestRunResult WHERE AsyncApexJobId = '${jobId}'`)).toEqual([]);
    // An org without test classes has nothing to run, in the words the sf CLI recognises.
    await expect(post(org.conn, 'runTestsAsynchronous', { testLevel: 'RunLocalTests' }))
      .rejects.toMatchObject({ errorCode: 'INVALID_INPUT', message: expect.stringContaining('Always provide a classes, suites, tests, or testLevel property') });
  });
});

describe('what a run selects, and the declared policy', () => {
  afterAll(async () => { await admin(server, 'DELETE', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`); });

  const resultsOf = async (jobId: string) => tooling(conn, `SELECT MethodName, Outcome, Message, StackTrace, ApexClass.Name FROM ApexTestResult WHERE AsyncApexJobId = '${jobId}'`);

  it('runs classes by name or id, single methods, and suites', async () => {
    const byName = await post(conn, 'runTestsAsynchronous', { tests: [{ className: 'OtherTest' }], testLevel: 'RunSpecifiedTests', skipCodeCoverage: true });
    expect((await resultsOf(byName)).map((r) => r.MethodName)).toEqual(['works']);
    const byId = await post(conn, 'runTestsAsynchronous', { tests: [{ classId: ids.AccountServiceTest.slice(0, 15) }], testLevel: 'RunSpecifiedTests' });
    expect((await resultsOf(byId)).map((r) => r.MethodName).sort()).toEqual(['doubles', 'renames']);
    const method = await post(conn, 'runTestsAsynchronous', { tests: [{ className: 'AccountServiceTest', testMethods: ['doubles'] }], testLevel: 'RunSpecifiedTests' });
    expect((await resultsOf(method)).map((r) => r.MethodName)).toEqual(['doubles']);
    const suite = await post(conn, 'runTestsAsynchronous', { suiteNames: 'Smoke', testLevel: 'RunSpecifiedTests', skipCodeCoverage: false });
    expect((await resultsOf(suite)).map((r) => `${r.ApexClass.Name}.${r.MethodName}`)).toEqual(['OtherTest.works']);
    // A run that skips coverage reports none.
    const skipped = await post(conn, 'runTestsSynchronous', { tests: [{ className: 'AccountServiceTest' }], skipCodeCoverage: true });
    expect([skipped.numTestsRun, skipped.codeCoverage]).toEqual([2, []]);
  });

  it('refuses what it cannot run, in the real service\'s words where they are known', async () => {
    const refused = (body: unknown) => post(conn, 'runTestsAsynchronous', body).then(() => undefined, (err: Rec) => ({ errorCode: err.errorCode, message: err.message }));
    expect(await refused({})).toEqual({ errorCode: 'INVALID_INPUT', message: 'Always provide a classes, suites, tests, or testLevel property' });
    expect(await refused({ testLevel: 'RunSpecifiedTests' })).toMatchObject({ message: 'Always provide a classes, suites, tests, or testLevel property' });
    expect(await refused({ tests: [{ className: 'Nope' }], testLevel: 'RunSpecifiedTests' }))
      .toEqual({ errorCode: 'INVALID_INPUT', message: 'This class name\'s value is invalid: Nope. Provide the name of an Apex class that has test methods.' });
    expect(await refused({ tests: [{ className: 'AccountService' }] })).toMatchObject({ message: expect.stringContaining('invalid: AccountService') });
    expect(await refused({ tests: [{ className: 'OtherTest', testMethods: ['missing'] }] })).toMatchObject({ message: expect.stringContaining('OtherTest.missing') });
    expect(await refused({ suiteNames: 'NoSuchSuite' })).toMatchObject({ message: expect.stringContaining('NoSuchSuite') });
    expect(await refused({ testLevel: 'RunEverything' })).toMatchObject({ message: expect.stringContaining('Invalid testLevel') });
    expect(await refused({ testLevel: 'RunLocalTests', tests: [{ className: 'OtherTest' }] })).toMatchObject({ errorCode: 'INVALID_INPUT' });
    expect(await refused({ clases: 'OtherTest' })).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining('"clases"') });
  });

  it('fails the classes the policy says, and covers each class as much as it declares', async () => {
    const put = await admin(server, 'PUT', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`, {
      default: 'pass', classes: { OtherTest: 'fail' }, coverage: { default: 100, classes: { accountservice: 40 } },
    });
    expect(put).toEqual({ status: 200, body: { default: 'pass', classes: { OtherTest: 'fail' }, coverage: { default: 100, classes: { accountservice: 40 } } } });
    const jobId = await post(conn, 'runTestsAsynchronous', { testLevel: 'RunLocalTests' });
    const results = await resultsOf(jobId);
    expect(results.find((r) => r.MethodName === 'works')).toMatchObject({
      Outcome: 'Fail', Message: expect.stringMatching(/set to fail by Localforce's test outcome policy/), StackTrace: 'Class.OtherTest.works: line 1, column 1',
    });
    const [run] = await tooling(conn, `SELECT MethodsFailed, Status FROM ApexTestRunResult WHERE AsyncApexJobId = '${jobId}'`);
    expect(run).toMatchObject({ MethodsFailed: 1, Status: 'Completed' });
    const coverage = await tooling(conn, `SELECT ApexClassOrTrigger.Name, NumLinesCovered, NumLinesUncovered, Coverage FROM ApexCodeCoverage WHERE ApexTestClassId IN ('${ids.AccountServiceTest}') AND TestMethodName = 'doubles'`);
    const by = Object.fromEntries(coverage.map((r) => [r.ApexClassOrTrigger.Name, r]));
    // 40% of 5 code lines is 2; the trigger gets the default, 100%.
    expect(by.AccountService).toMatchObject({ NumLinesCovered: 2, NumLinesUncovered: 3, Coverage: { coveredLines: [3, 4], uncoveredLines: [5, 9, 10] } });
    expect(by.AccountTrigger).toMatchObject({ NumLinesCovered: 2, NumLinesUncovered: 0 });
  });

  it('refuses a policy it cannot read, and keeps the one in force', async () => {
    for (const coverage of [{ default: 101 }, { default: '80' }, { classes: { 'Not a name': 10 } }, { extra: 1 }]) {
      const put = await admin(server, 'PUT', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`, { default: 'pass', coverage });
      expect(put.status).toBe(400);
      expect(put.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining('coverage') });
    }
    expect((await admin(server, 'GET', `/_localforce/orgs/${server.org.id}/apex-test-outcomes`)).body.coverage).toEqual({ default: 100, classes: { accountservice: 40 } });
  });
});

describe('runTestsSynchronous', () => {
  it('answers the whole result of one class in the Tooling API\'s shape, saying it is declared', async () => {
    const result = await post(conn, 'runTestsSynchronous', { tests: [{ className: 'AccountServiceTest' }], testLevel: 'RunSpecifiedTests', skipCodeCoverage: false });
    expect(result).toMatchObject({
      apexLogId: expect.stringMatching(/^07L/), numTestsRun: 2, numFailures: 0, totalTime: 0, failures: [],
      successes: [
        { id: ids.AccountServiceTest, methodName: 'doubles', name: 'AccountServiceTest', namespace: null, seeAllData: false, time: 0 },
        { id: ids.AccountServiceTest, methodName: 'renames', name: 'AccountServiceTest', namespace: null, seeAllData: false, time: 0 },
      ],
      codeCoverageWarnings: [{ id: '', message: expect.stringContaining('declared'), name: null, namespace: null }],
    });
    expect(result.codeCoverage.map((c: Rec) => [c.name, c.type, c.numLocations, c.numLocationsNotCovered]).sort()).toEqual([['AccountService', 'Class', 5, 1], ['AccountTrigger', 'Trigger', 2, 0]]);
    // The coverage the CLI queries afterwards is there too.
    expect(await tooling(conn, `SELECT Id FROM ApexCodeCoverage WHERE ApexTestClassId IN ('${ids.AccountServiceTest}')`)).not.toEqual([]);
  });

  it('runs one class only', async () => {
    await expect(post(conn, 'runTestsSynchronous', { tests: [{ className: 'AccountServiceTest' }, { className: 'OtherTest' }] }))
      .rejects.toMatchObject({ message: expect.stringContaining('only one Apex class') });
  });
});

describe('debug logs', () => {
  it('lists the logs of test runs and serves their text, which says nothing was run', async () => {
    const logs = await tooling(conn, `
        SELECT Id, Application, DurationMilliseconds, Location, LogLength, LogUser.Name,
          Operation, Request, StartTime, Status
        FROM ApexLog
        ORDER BY StartTime DESC
       LIMIT 3`);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({ attributes: { type: 'ApexLog' }, Application: 'Unknown', LogUser: { Name: expect.any(String) }, Operation: 'ApexTestHandler', Status: 'Success' });
    const body = await conn.tooling.request<string>(`${conn.tooling._baseUrl()}/sobjects/ApexLog/${logs[0]!.Id}/Body`);
    expect(String(body)).toMatch(/^66\.0 APEX_CODE,/);
    expect(String(body)).toContain('Localforce runs no Apex');
    expect(Buffer.byteLength(String(body))).toBe(logs[0]!.LogLength);
    const missing = await fetch(`${server.url}/services/data/v66.0/tooling/sobjects/ApexLog/07L000000000000AAA/Body`, { headers: { Authorization: `Bearer ${server.org.accessToken}` } });
    expect(missing.status).toBe(404);
    // Another org's token does not read this org's log.
    const foreign = await fetch(`${server.url}/services/data/v66.0/tooling/sobjects/ApexLog/${logs[0]!.Id}/Body`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(foreign.status).toBe(404);
  });
});

describe('anonymous Apex (executeAnonymous)', () => {
  const path = () => `/_localforce/orgs/${server.org.id}/anonymous-apex`;
  afterAll(async () => { await admin(server, 'DELETE', path()); });

  it('refuses by default, after compiling, saying that Localforce does not execute Apex', async () => {
    expect(await admin(server, 'GET', path())).toEqual({ status: 200, body: { orgId: server.org.id, policy: 'refuse' } });
    const r = await executeAnonymous(server, server.org.accessToken, "System.debug('hello');\n");
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<\?xml[^>]*\?><soapenv:Envelope [^>]*><soapenv:Header><DebuggingInfo><debugLog>/);
    expect(r.field('compiled')).toBe('true');
    expect(r.field('success')).toBe('false');
    expect(r.field('exceptionMessage')).toMatch(/^Localforce does not execute Apex: this block compiled, but nothing was run/);
    expect(r.nil('compileProblem')).toBe(true);
    expect(r.field('debugLog')).toContain("Execute Anonymous: System.debug('hello');");
  });

  it('reports a compile problem with its line and column, counting from the first line sent', async () => {
    const r = await executeAnonymous(server, server.org.accessToken, "\nInteger i = 1;\nSystem.debug(i)\nSystem.debug('x');");
    expect(r.field('compiled')).toBe('false');
    expect(r.field('success')).toBe('false');
    expect([r.field('line'), r.field('column')]).toEqual(['4', '1']);
    expect(r.field('compileProblem')).toBe("Expecting ';' but was: 'System'");
  });

  it('declares success under the succeed policy, and logs each run', async () => {
    expect(await admin(server, 'PUT', path(), { policy: 'succeed' })).toEqual({ status: 200, body: { orgId: server.org.id, policy: 'succeed' } });
    const r = await executeAnonymous(server, server.org.accessToken, 'Integer i = 1;');
    expect([r.field('compiled'), r.field('success')]).toEqual(['true', 'true']);
    expect(r.nil('exceptionMessage')).toBe(true);
    expect(r.field('debugLog')).toContain("declared successful by the org's anonymous Apex policy (succeed); none of it was run");
    const [log] = await tooling(conn, 'SELECT Id, Operation, Status FROM ApexLog ORDER BY StartTime DESC LIMIT 1');
    expect(log).toMatchObject({ Operation: `/services/Soap/s/66.0/${server.org.id}`, Status: 'Success' });
  });

  it('takes a policy it can read only, from the admin token or the org\'s own', async () => {
    expect((await admin(server, 'PUT', path(), { policy: 'run' })).status).toBe(400);
    expect((await admin(server, 'PUT', path(), { policy: 'refuse', more: 1 })).status).toBe(400);
    const own = await fetch(`${server.url}/_localforce/orgs/${org.id}/anonymous-apex`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(await own.json()).toEqual({ orgId: org.id, policy: 'refuse' });
    const foreign = await fetch(`${server.url}${path()}`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(foreign.status).toBe(403);
    expect(await admin(server, 'DELETE', path())).toEqual({ status: 200, body: { orgId: server.org.id, policy: 'refuse' } });
  });

  it('answers an invalid session with the fault the CLI refreshes on', async () => {
    const r = await executeAnonymous(server, `${server.org.id}!not.a.token`, 'Integer i = 1;');
    expect(r.status).toBe(500);
    expect(r.text).toContain('INVALID_SESSION_ID');
  });
});

describe('the Streaming API (/cometd)', () => {
  it('refuses a WebSocket upgrade without switching protocols, and a plain GET', async () => {
    const status = await new Promise<number | string>((resolve, reject) => {
      const req = request(`${server.url}/cometd/66.0`, {
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      req.on('upgrade', (_res, socket) => { socket.destroy(); resolve('upgraded'); });
      req.on('response', (res) => { res.resume(); resolve(res.statusCode!); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    expect((await fetch(`${server.url}/cometd/66.0`)).status).toBe(400);
  });

  it('needs a session, and says so in Bayeux terms', async () => {
    const res = await fetch(`${server.url}/cometd/66.0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }]) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ channel: '/meta/handshake', id: '1', successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } }]);
  });

  it('shakes hands and delivers a test run\'s end to a subscriber of /systemTopic/TestResult (jsforce streaming, faye)', async () => {
    const client = tokenConnection(server).streaming.createClient([]);
    const heard: Rec[] = [];
    const subscription = client.subscribe('/systemTopic/TestResult', (message: Rec) => { heard.push(message); });
    await subscription;
    const jobId: string = await post(conn, 'runTestsAsynchronous', { tests: [{ className: 'OtherTest' }], testLevel: 'RunSpecifiedTests' });
    for (let i = 0; i < 100 && !heard.length; i++) await new Promise((r) => setTimeout(r, 50));
    (client as unknown as { disconnect(): void }).disconnect();
    expect(heard).toEqual([expect.objectContaining({ sobject: { Id: jobId } })]);
  });

  it('tells an unknown client to shake hands again', async () => {
    const res = await fetch(`${server.url}/cometd/66.0`, {
      method: 'POST', headers: { 'content-type': 'application/json', Authorization: `OAuth ${server.org.accessToken}` },
      body: JSON.stringify([{ channel: '/meta/connect', clientId: 'nobody', connectionType: 'long-polling', id: '2' }]),
    });
    expect(await res.json()).toEqual([{ channel: '/meta/connect', id: '2', clientId: 'nobody', successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }]);
  });
});

describe('the call log', () => {
  it('names each call\'s operation and org, and never a session', async () => {
    const text = log.text();
    for (const expected of [
      /POST \/services\/data\/v66\.0\/tooling\/runTestsAsynchronous tooling\/runTestsAsynchronous 00D…1AAA 200/,
      /POST \/services\/data\/v66\.0\/tooling\/runTestsSynchronous tooling\/runTestsSynchronous 00D…1AAA 200/,
      /GET \/services\/data\/v66\.0\/tooling\/sobjects\/ApexLog\/07L\w+\/Body tooling\/sobjects\/ApexLog\/Body 00D…1AAA 200/,
      /POST \/services\/Soap\/s\/66\.0\/00D000000000001AAA executeAnonymous 00D…1AAA 200/,
      /POST \/cometd\/66\.0 \/meta\/handshake 00D…1AAA 200/,
    ]) expect(text).toMatch(expected);
    expect(text).not.toContain(org.accessToken.split('!')[1]);
  });
});

describe('reset', () => {
  it('empties the org\'s runs and logs with the rest of it', async () => {
    await post(org.conn, 'runTestsAsynchronous', { testLevel: 'RunAllTestsInOrg' }).catch(() => undefined);
    expect((await admin(server, 'POST', `/_localforce/orgs/${server.org.id}/reset`)).status).toBe(200);
    expect(await tooling(conn, 'SELECT Id FROM ApexTestRunResult')).toEqual([]);
    expect(await tooling(conn, 'SELECT Id FROM ApexLog')).toEqual([]);
    expect(await tooling(conn, 'SELECT PercentCovered FROM ApexOrgWideCoverage')).toEqual([expect.objectContaining({ PercentCovered: 0 })]);
  });
});
