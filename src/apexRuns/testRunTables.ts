/*
 * The objects the sf CLI reads of test runs, logs and coverage, as tables of the SOQL engine
 * (src/soql/soqlEngine.ts): every row comes from the runs and logs kept in the store. Coverage rows
 * show the declared coverage the runs recorded (coverage.ts).
 */
import { findTestClasses } from '../deploy/apexTests/testClassScanner';
import { IdPrefix, to18 } from '../ids';
import type { Services } from '../services';
import { related, restDateTime } from '../soql/recordValues';
import type { Row, SObjectTable } from '../soql/soqlEngine';
import type { Caller } from '../store/orgs';
import { codeLines, type ApexUnit } from './coverage';
import { apexUnits } from './orgApex';
import type { TestRun } from './testRun';

/** A relationship to a class or trigger: its own type rides along, so its record URL names it. */
const unitRow = (type: string, id: string, name: string) => related(type, { Id: id, Name: name });
const classRow = (id: string, name: string) => related('ApexClass', { Id: id, Name: name, NamespacePrefix: null });

/** An id made from another's, for records that exist once per class or org (the aggregate coverage, the org-wide one). */
const derivedId = (prefix: string, from: string) => to18(`${prefix}${from.slice(3, 15)}`);

function runRow(run: TestRun): Row {
  const methods = run.classes.flatMap((c) => c.results);
  return {
    Id: run.runResultId, AsyncApexJobId: run.jobId, Status: 'Completed', ClassesCompleted: run.classes.length, ClassesEnqueued: run.classes.length,
    MethodsCompleted: methods.length, MethodsEnqueued: methods.length, MethodsFailed: methods.filter((m) => m.outcome === 'Fail').length,
    StartTime: restDateTime(run.startTime), EndTime: restDateTime(run.endTime), TestTime: 0, TestSetupTime: 0, UserId: run.userId,
    JobName: null, IsAllTests: run.testLevel === 'RunAllTestsInOrg',
    CreatedDate: restDateTime(run.startTime), CreatedById: run.userId, SystemModstamp: restDateTime(run.endTime),
  };
}

function queueItemRows(run: TestRun): Row[] {
  return run.classes.map((c) => ({
    Id: c.queueItemId, ApexClassId: c.classId, ApexClass: classRow(c.classId, c.className), Status: 'Completed',
    ExtendedStatus: `(${c.results.filter((r) => r.outcome === 'Pass').length}/${c.results.length})`, ParentJobId: run.jobId,
    TestRunResultId: run.runResultId, ShouldSkipCodeCoverage: run.skipCodeCoverage, CreatedDate: restDateTime(run.startTime),
    CreatedById: run.userId, SystemModstamp: restDateTime(run.endTime),
  }));
}

function resultRows(run: TestRun): Row[] {
  return run.classes.flatMap((c) => c.results.map((r) => ({
    Id: r.id, ApexClassId: c.classId, ApexClass: classRow(c.classId, c.className), ApexLogId: run.apexLogId,
    ApexTestRunResultId: run.runResultId, AsyncApexJobId: run.jobId, QueueItemId: c.queueItemId, MethodName: r.methodName,
    Outcome: r.outcome, Message: r.message, StackTrace: r.stackTrace, RunTime: 0, TestTimestamp: restDateTime(run.startTime),
    IsTestSetup: false, SystemModstamp: restDateTime(run.endTime),
  })));
}

function coverageRows(run: TestRun, testNames: Map<string, string>): Row[] {
  return run.coverage.map((r) => ({
    Id: r.id, ApexTestClassId: r.testClassId, ApexTestClass: classRow(r.testClassId, testNames.get(r.testClassId) ?? ''),
    TestMethodName: r.testMethodName, ApexClassOrTriggerId: r.coveredId, ApexClassOrTrigger: unitRow(r.coveredType, r.coveredId, r.coveredName),
    NumLinesCovered: r.coveredLines.length, NumLinesUncovered: r.uncoveredLines.length,
    Coverage: { coveredLines: r.coveredLines, uncoveredLines: r.uncoveredLines }, CreatedDate: restDateTime(run.startTime),
  }));
}

/**
 * Coverage per class and trigger over every run, as ApexCodeCoverageAggregate keeps it: the lines any
 * run covered, against the class's code lines as stored now (a class deleted since has none).
 */
function aggregateRows(runs: TestRun[], units: ApexUnit[]): Row[] {
  const covered = new Map<string, { lines: Set<number>; at: string }>();
  for (const run of runs) {
    for (const r of run.coverage) {
      const entry = covered.get(r.coveredId) ?? { lines: new Set<number>(), at: run.endTime };
      for (const line of r.coveredLines) entry.lines.add(line);
      entry.at = run.endTime;
      covered.set(r.coveredId, entry);
    }
  }
  return units.filter((u) => covered.has(u.id)).map((unit) => {
    const { lines, at } = covered.get(unit.id)!;
    const code = codeLines(unit.body);
    const coveredLines = code.filter((line) => lines.has(line));
    const uncoveredLines = code.filter((line) => !lines.has(line));
    return {
      Id: derivedId(IdPrefix.apexCodeCoverageAggregate, unit.id), ApexClassOrTriggerId: unit.id, ApexClassOrTrigger: unitRow(unit.kind, unit.id, unit.name),
      NumLinesCovered: coveredLines.length, NumLinesUncovered: uncoveredLines.length, Coverage: { coveredLines, uncoveredLines },
      LastModifiedDate: restDateTime(at),
    };
  });
}

/** The classes and triggers coverage is counted over: all but the test classes. */
function coverableUnits(units: ApexUnit[]): ApexUnit[] {
  const tests = new Set(findTestClasses(units.filter((u) => u.kind === 'ApexClass')).map((t) => t.name.toLowerCase()));
  return units.filter((u) => u.kind === 'ApexTrigger' || !tests.has(u.name.toLowerCase()));
}

export function apexRunTables(services: Services): SObjectTable[] {
  const { store } = services;
  const runs = ({ org }: Caller) => store.apexTestRuns.list(org.id);
  const none = (): Row[] => [];
  return [
    {
      name: 'ApexTestRunResult', api: 'tooling',
      fields: ['Id', 'AsyncApexJobId', 'Status', 'ClassesCompleted', 'ClassesEnqueued', 'MethodsCompleted', 'MethodsEnqueued', 'MethodsFailed',
        'StartTime', 'EndTime', 'TestTime', 'TestSetupTime', 'UserId', 'JobName', 'IsAllTests', 'CreatedDate', 'CreatedById', 'SystemModstamp'],
      rows: (caller) => runs(caller).map(runRow),
    },
    {
      name: 'ApexTestQueueItem', api: 'tooling',
      fields: ['Id', 'ApexClassId', 'ApexClass.Id', 'ApexClass.Name', 'ApexClass.NamespacePrefix', 'Status', 'ExtendedStatus', 'ParentJobId',
        'TestRunResultId', 'ShouldSkipCodeCoverage', 'CreatedDate', 'CreatedById', 'SystemModstamp'],
      rows: (caller) => runs(caller).flatMap(queueItemRows),
    },
    {
      name: 'ApexTestResult', api: 'tooling',
      fields: ['Id', 'ApexClassId', 'ApexClass.Id', 'ApexClass.Name', 'ApexClass.NamespacePrefix', 'ApexLogId', 'ApexTestRunResultId', 'AsyncApexJobId',
        'QueueItemId', 'MethodName', 'Outcome', 'Message', 'StackTrace', 'RunTime', 'TestTimestamp', 'IsTestSetup', 'SystemModstamp'],
      rows: (caller) => runs(caller).flatMap(resultRows),
    },
    {
      name: 'ApexCodeCoverage', api: 'tooling',
      fields: ['Id', 'ApexTestClassId', 'ApexTestClass.Id', 'ApexTestClass.Name', 'TestMethodName', 'ApexClassOrTriggerId', 'ApexClassOrTrigger.Id',
        'ApexClassOrTrigger.Name', 'NumLinesCovered', 'NumLinesUncovered', 'Coverage', 'CreatedDate'],
      // A test method's coverage of a class is the one of its latest run, as each run replaces it.
      rows: (caller) => {
        const all = runs(caller);
        const testNames = new Map(all.flatMap((run) => run.classes.map((c) => [c.classId, c.className] as const)));
        const latest = new Map<string, Row>();
        for (const run of [...all].reverse()) {
          for (const row of coverageRows(run, testNames)) {
            const key = `${row.ApexTestClassId}|${row.TestMethodName}|${row.ApexClassOrTriggerId}`;
            if (!latest.has(key)) latest.set(key, row);
          }
        }
        return [...latest.values()].reverse();
      },
    },
    {
      name: 'ApexCodeCoverageAggregate', api: 'tooling',
      fields: ['Id', 'ApexClassOrTriggerId', 'ApexClassOrTrigger.Id', 'ApexClassOrTrigger.Name', 'NumLinesCovered', 'NumLinesUncovered', 'Coverage', 'LastModifiedDate'],
      rows: (caller) => aggregateRows(runs(caller), apexUnits(store, caller.org.id)),
    },
    {
      name: 'ApexOrgWideCoverage', api: 'tooling', fields: ['Id', 'PercentCovered'],
      rows: (caller) => {
        const units = coverableUnits(apexUnits(store, caller.org.id));
        const covered = aggregateRows(runs(caller), units).reduce((sum, row) => sum + (row.NumLinesCovered as number), 0);
        const total = units.reduce((sum, unit) => sum + codeLines(unit.body).length, 0);
        return [{ Id: derivedId(IdPrefix.apexOrgWideCoverage, caller.org.id), PercentCovered: total ? Math.floor((100 * covered) / total) : 0 }];
      },
    },
    {
      name: 'ApexLog', api: 'both',
      fields: ['Id', 'Application', 'DurationMilliseconds', 'Location', 'LogLength', 'LogUserId', 'LogUser.Id', 'LogUser.Name', 'LogUser.Username',
        'Operation', 'Request', 'StartTime', 'Status', 'LastModifiedDate', 'SystemModstamp'],
      rows: ({ org }) => store.apexLogs.list(org.id).map((log) => {
        const user = store.orgs.user(log.userId);
        return {
          Id: log.id, Application: log.application, DurationMilliseconds: log.durationMilliseconds, Location: log.location, LogLength: log.logLength,
          LogUserId: log.userId, LogUser: related('User', { Id: log.userId, Name: user?.fullName ?? null, Username: user?.username ?? null }),
          Operation: log.operation, Request: log.request, StartTime: restDateTime(log.startTime), Status: log.status,
          LastModifiedDate: restDateTime(log.startTime), SystemModstamp: restDateTime(log.startTime),
        };
      }),
    },
    // Flow tests and installed packages: an org of Localforce has none, and the sf CLI asks.
    {
      name: 'FlowTestResult', api: 'tooling',
      fields: ['Id', 'ApexTestQueueItemId', 'Result', 'FlowTest.DeveloperName', 'FlowDefinition.DeveloperName', 'FlowDefinition.NamespacePrefix',
        'TestStartDateTime', 'TestEndDateTime'],
      rows: none,
    },
    { name: 'PackageLicense', api: 'data', fields: ['Id', 'NamespacePrefix', 'Status', 'AllowedLicenses', 'UsedLicenses', 'ExpirationDate'], rows: none },
    {
      name: 'InstalledSubscriberPackage', api: 'tooling',
      fields: ['Id', 'SubscriberPackageId', 'SubscriberPackage.NamespacePrefix', 'SubscriberPackage.Name', 'SubscriberPackageVersion.Id'],
      rows: none,
    },
  ];
}
