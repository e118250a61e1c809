/*
 * The debug logs of anonymous Apex and of test runs, in the layout of a real org's (a header of log
 * levels, then `time (nanoseconds)|EVENT|…` lines), so that `sf apex get log` and log viewers show them as
 * they show any. Localforce executes no Apex: every log says so in its own LOCALFORCE lines, and records
 * no event that would mean the code ran.
 */
import { USER_SETTINGS } from '../auth/userSettings';
import { IdPrefix, newId } from '../ids';
import type { ApexLogSummary } from '../store/apexLogs';
import type { User } from '../store/orgs';

/** The log levels the sf CLI's debug level sets (SFDC_DevConsole), as the header's first line shows them. */
const LEVELS = 'APEX_CODE,FINEST;APEX_PROFILING,INFO;CALLOUT,INFO;DB,INFO;NBA,INFO;SYSTEM,DEBUG;VALIDATION,INFO;VISUALFORCE,FINER;WAVE,INFO;WORKFLOW,INFO';

export interface WrittenLog {
  summary: ApexLogSummary;
  body: string;
}

/** `HH:MM:SS.0` in the user's time zone, as log lines start. */
function clockTime(at: Date): string {
  const local = new Date(at.getTime() + USER_SETTINGS.utcOffsetMs);
  return `${local.toISOString().slice(11, 19)}.${Math.floor(local.getUTCMilliseconds() / 100)}`;
}

function utcOffset(): string {
  const minutes = USER_SETTINGS.utcOffsetMs / 60_000;
  const abs = Math.abs(minutes);
  return `GMT${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A log: the header, then each event on its own line, with nanoseconds since the start that never go back. */
function logText(apiVersion: string, at: Date, user: User, prelude: string[], events: string[][]): string {
  const time = clockTime(at);
  const lines = [`${apiVersion} ${LEVELS}`, ...prelude];
  const all = [['USER_INFO', '[EXTERNAL]', user.id, user.username, `(${utcOffset()}) ${USER_SETTINGS.timeZone}`, utcOffset()], ...events];
  all.forEach((event, i) => lines.push(`${time} (${(i + 1) * 1000})|${event.join('|')}`));
  return `${lines.join('\n')}\n`;
}

function written(body: string, fields: { user: User; at: Date; operation: string; status: string }): WrittenLog {
  return {
    body,
    summary: {
      id: newId(IdPrefix.apexLog), userId: fields.user.id, startTime: fields.at.toISOString(), application: 'Unknown',
      durationMilliseconds: 0, location: 'Monitoring', logLength: Buffer.byteLength(body), operation: fields.operation,
      request: 'Api', status: fields.status,
    },
  };
}

export type AnonymousOutcome = { declared: 'refused'; message: string } | { declared: 'succeeded'; message: string };

/** The log of an anonymous block that compiled: the code echoed as a real log echoes it, and what Localforce did instead of running it. */
export function anonymousApexLog(code: string, outcome: AnonymousOutcome, ctx: { user: User; at: Date; apiVersion: string; operation: string }): WrittenLog {
  const echo = code.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n').map((line) => `Execute Anonymous: ${line}`);
  const body = logText(ctx.apiVersion, ctx.at, ctx.user, echo, [
    ['EXECUTION_STARTED'],
    ['CODE_UNIT_STARTED', '[EXTERNAL]', 'execute_anonymous_apex'],
    ['LOCALFORCE', outcome.message],
    ['CODE_UNIT_FINISHED', 'execute_anonymous_apex'],
    ['EXECUTION_FINISHED'],
  ]);
  return written(body, { user: ctx.user, at: ctx.at, operation: ctx.operation, status: outcome.declared === 'refused' ? 'Localforce does not execute Apex' : 'Success' });
}

/** The log of a test run: each test method with its declared outcome, and what the coverage is. */
export function testRunLog(
  tests: { className: string; methodName: string; outcome: string }[], coverage: 'declared' | 'skipped',
  ctx: { user: User; at: Date; apiVersion: string },
): WrittenLog {
  const events: string[][] = [['EXECUTION_STARTED']];
  events.push(['LOCALFORCE', 'Localforce runs no Apex: the outcome of each test method below is declared by the org\'s test outcome policy, not the result of running it.']);
  for (const t of tests) events.push(['LOCALFORCE', `${t.className}.${t.methodName}: ${t.outcome} (declared, not run)`]);
  events.push(['LOCALFORCE', coverage === 'declared'
    ? 'Code coverage is declared by the same policy (a percentage of each class\'s code lines), not measured.'
    : 'Code coverage was not asked for (skipCodeCoverage).']);
  events.push(['EXECUTION_FINISHED']);
  return written(logText(ctx.apiVersion, ctx.at, ctx.user, [], events), { user: ctx.user, at: ctx.at, operation: 'ApexTestHandler', status: 'Success' });
}
