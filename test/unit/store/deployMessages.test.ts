/**
 * A deploy's per-component lists are kept apart from the rest of its result, and once it has ended, as
 * the XML a poll with details sends: that XML must be what writing the lists afresh gives, byte for
 * byte, and never outlive the lists it was written from. On SQLite, and on PostgreSQL with
 * LOCALFORCE_TEST_STORE=postgres (test/support/postgres.ts).
 */
import type { DeployMessage, DeployResult } from '../../../src/model/resultTypes';
import { writeComponentMessages, withWrittenMessages } from '../../../src/soap/componentMessages';
import { metadataSchema } from '../../../src/soap/wsdlSchema';
import { XmlWriter } from '../../../src/soap/xmlWriter';
import { to18 } from '../../../src/ids';
import { Store } from '../../../src/store/store';
import { newPostgresStore, SUITES_ON_POSTGRES } from '../../support/postgres';

const ORG = to18('00D000000000009');
const writer = new XmlWriter(metadataSchema());

const message = (i: number, failed = false): DeployMessage => ({
  changed: !failed, componentType: 'Certificate', created: !failed, createdDate: '2026-12-07T00:00:00.000Z', deleted: false,
  fileName: `certs/Name${i}.crt`, fullName: `Name${i}`, id: failed ? undefined : `0P1000000000${String(i).padStart(3, '0')}AAA`,
  success: !failed, ...(failed ? { problem: `Field <keySize> & "masterLabel" of Name${i} – invalid`, problemType: 'Error', lineNumber: 3, columnNumber: 7 } : {}),
} as DeployMessage);

function deployResult(done: boolean): DeployResult {
  return {
    checkOnly: false, createdBy: '005000000000001', createdByName: 'Admin User', createdDate: '2026-12-07T00:00:00.000Z',
    details: {
      componentFailures: [message(0, true), message(1, true)],
      componentSuccesses: Array.from({ length: 40 }, (_, i) => message(i + 2)),
      runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0, codeCoverage: [], codeCoverageWarnings: [], failures: [], flowCoverage: [], flowCoverageWarnings: [], successes: [] },
    },
    done, id: to18('0Af000000000001'), ignoreWarnings: false, lastModifiedDate: '2026-12-07T00:00:01.000Z', numberComponentErrors: 2,
    numberComponentsDeployed: 40, numberComponentsTotal: 42, numberTestErrors: 0, numberTestsCompleted: 0, numberTestsTotal: 0,
    rollbackOnError: false, runTestsEnabled: false, status: done ? 'SucceededPartial' : 'InProgress', success: done,
  } as DeployResult;
}

async function openStore(): Promise<Store> {
  if (!SUITES_ON_POSTGRES) return Store.open(null);
  const { url, masterKeyFile } = await newPostgresStore();
  return Store.open(url, { masterKeyFile });
}

let store: Store;
beforeEach(async () => {
  store = await openStore();
  store.orgs.insert({ id: ORG, name: 'o', createdDate: '2026-01-01T00:00:00.000Z', clockOffsetMs: 0 });
});
afterEach(() => store.close());

const insert = (result: DeployResult) => store.deploys.insert({ id: result.id, orgId: ORG, createdDate: result.createdDate, result, options: {}, zip: null });

describe('a deploy\'s component lists in the store', () => {
  it('are read back with the rest of the result as they were written, in the same order', () => {
    const running = deployResult(false);
    insert(running);
    expect(JSON.stringify(store.deploys.get(ORG, running.id)!.result)).toBe(JSON.stringify(running));
    const ended = deployResult(true);
    store.deploys.update(ended.id, ended, { messagesXml: writeComponentMessages(ended.details) });
    expect(JSON.stringify(store.deploys.get(ORG, ended.id)!.result)).toBe(JSON.stringify(ended));
    // A poll without details reads none of them.
    expect(store.deploys.resultWithoutDetails(ORG, ended.id)!.details).toEqual({ runTestResult: ended.details.runTestResult });
  });

  it('answer a poll with details with the same bytes as writing them afresh', () => {
    const ended = deployResult(true);
    insert(ended);
    store.deploys.update(ended.id, ended, { messagesXml: writeComponentMessages(ended.details) });
    const written = store.deploys.writtenResult(ORG, ended.id.slice(0, 15))!;
    expect(written.result.details.componentSuccesses).toBeUndefined();
    const answer = writer.response('checkDeployStatus', { ...written.result, details: withWrittenMessages(written.result.details, written.messagesXml) });
    expect(answer).toBe(writer.response('checkDeployStatus', ended));
    expect(answer).toContain('<problem>Field &lt;keySize&gt; &amp; &quot;masterLabel&quot; of Name0 – invalid</problem>');
  });

  it('have no XML while the deploy runs, nor once a later write changes them without it', () => {
    const ended = deployResult(true);
    insert(ended);
    expect(store.deploys.writtenResult(ORG, ended.id)).toBeUndefined();
    store.deploys.update(ended.id, ended, { messagesXml: writeComponentMessages(ended.details) });
    expect(store.deploys.writtenResult(ORG, ended.id)).toBeDefined();
    store.deploys.update(ended.id, { ...ended, details: { ...ended.details, componentSuccesses: [] } });
    expect(store.deploys.writtenResult(ORG, ended.id)).toBeUndefined();
    expect(store.deploys.get(ORG, ended.id)!.result.details.componentSuccesses).toEqual([]);
  });

  it('are still read from rows written before they had a column of their own', () => {
    const ended = deployResult(true);
    insert(ended);
    // As older versions left a row: the lists inside the result, no column for them.
    const db = (store as unknown as { db: { prepare(sql: string): { run(...p: unknown[]): unknown } } }).db;
    db.prepare('UPDATE deploys SET result = ?, messages = NULL, messages_xml = NULL WHERE id = ?').run(JSON.stringify(ended), ended.id);
    expect(JSON.stringify(store.deploys.get(ORG, ended.id)!.result)).toBe(JSON.stringify(ended));
    expect(store.deploys.resultWithoutDetails(ORG, ended.id)!.details).toEqual({ runTestResult: ended.details.runTestResult });
    expect(store.deploys.writtenResult(ORG, ended.id)).toBeUndefined();
  });
});
