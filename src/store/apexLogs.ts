import { Repository } from './repository';

/** What an ApexLog record says of its log; the text itself is read apart (`…/ApexLog/<id>/Body`). */
export interface ApexLogSummary {
  /** 07L… */
  id: string;
  userId: string;
  /** ISO time on the org clock. */
  startTime: string;
  application: string;
  durationMilliseconds: number;
  location: string;
  logLength: number;
  operation: string;
  request: string;
  status: string;
}

type SummaryFields = Omit<ApexLogSummary, 'id' | 'userId' | 'startTime'>;

interface LogRow { id: string; user_id: string; start_time: string; summary: string }

const toSummary = (r: LogRow): ApexLogSummary => ({ id: r.id, userId: r.user_id, startTime: r.start_time, ...(JSON.parse(r.summary) as SummaryFields) });

/** Debug logs of anonymous Apex and test runs (src/apexRuns/apexLogs.ts), which say that nothing was executed. */
export class ApexLogRepository extends Repository {
  insert(orgId: string, log: ApexLogSummary, body: string): void {
    const { id, userId, startTime, ...summary } = log;
    this.sql('INSERT INTO apex_logs (id, org_id, user_id, start_time, summary, body) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, orgId, userId, startTime, JSON.stringify(summary), body);
  }

  /** An org's logs, newest first, without their text. */
  list(orgId: string): ApexLogSummary[] {
    return (this.sql('SELECT id, user_id, start_time, summary FROM apex_logs WHERE org_id = ? ORDER BY start_time DESC, id DESC').all(orgId) as LogRow[]).map(toSummary);
  }

  /** The text of a log, by its 18-character id. */
  body(orgId: string, id: string): string | undefined {
    return (this.sql('SELECT body FROM apex_logs WHERE org_id = ? AND id = ?').get(orgId, id) as { body: string } | undefined)?.body;
  }

  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM apex_logs WHERE org_id = ?').run(orgId);
  }
}
