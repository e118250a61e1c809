import { apexSyntax } from '../checks/apex/apexChecksLoader';
import { currentOrgNow } from '../clock';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { anonymousApexLog, type AnonymousOutcome } from './apexLogs';
import { storedPolicy } from './anonymousApexPolicy';
import { LOGGING_CHANNEL, orgTopics, recordEvent } from './streamingTopics';

/** What executeAnonymous answers, as its SOAP result carries it. */
export interface AnonymousResult {
  compiled: boolean;
  success: boolean;
  line: number;
  column: number;
  compileProblem: string | null;
  exceptionMessage: string | null;
  exceptionStackTrace: string | null;
  /** The debug log, also kept as an ApexLog when the block compiled. */
  debugLog: string;
}

const adminPath = (orgId: string) => `PUT /_localforce/orgs/${orgId}/anonymous-apex`;

/**
 * Anonymous Apex as executeAnonymous answers it, without executing anything: the block is compiled (the
 * syntax check a deploy runs on classes), then refused or declared successful as the org's policy says,
 * with a debug log that says which.
 */
export function executeAnonymous(services: Services, caller: Caller, code: string, ctx: { apiVersion: string; operation: string }): AnonymousResult {
  const [problem] = apexSyntax().apexSyntaxProblems(code, 'anonymous');
  if (problem) {
    return {
      compiled: false, success: false, line: problem.lineNumber, column: problem.columnNumber, compileProblem: problem.problem,
      exceptionMessage: null, exceptionStackTrace: null, debugLog: '',
    };
  }
  const { store } = services;
  const { org, user } = caller;
  const policy = storedPolicy(store.orgs.get(org.id)?.anonymousApexPolicy);
  const outcome: AnonymousOutcome = policy === 'succeed'
    ? { declared: 'succeeded', message: 'Localforce does not execute Apex: this block compiled and is declared successful by the org\'s anonymous Apex policy (succeed); none of it was run.' }
    : {
      declared: 'refused',
      message: 'Localforce does not execute Apex: this block compiled, but nothing was run. To have anonymous Apex declared successful ' +
        `without running it, set the org's anonymous Apex policy to succeed (${adminPath(org.id)} with {"policy":"succeed"}).`,
    };
  const log = anonymousApexLog(code, outcome, { user, at: currentOrgNow(store, org), apiVersion: ctx.apiVersion, operation: ctx.operation });
  store.apexLogs.insert(org.id, log.summary, log.body);
  orgTopics(store).publish(org.id, LOGGING_CHANNEL, recordEvent(log.summary.id, log.summary.startTime));
  const succeeded = outcome.declared === 'succeeded';
  return {
    compiled: true, success: succeeded, line: -1, column: -1, compileProblem: null,
    exceptionMessage: succeeded ? null : outcome.message, exceptionStackTrace: null, debugLog: log.body,
  };
}
