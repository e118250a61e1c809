import type { TestRun } from '../apexRuns/testRun';
import { Repository } from './repository';

/** How many parsed runs are kept in memory: the tables read every run of an org on each poll. */
const KEPT_RUNS = 5_000;

/**
 * Apex test runs (src/apexRuns/), one row per run with its whole record as JSON. A run is complete when
 * it is written and never changes, so a run once read may be kept in memory even when several servers
 * share the store: only which runs an org has is read again each time.
 */
export class ApexTestRunRepository extends Repository {
  private readonly parsed = new Map<string, TestRun>();

  insert(orgId: string, run: TestRun): void {
    this.sql('INSERT INTO apex_test_runs (id, org_id, created_date, run) VALUES (?, ?, ?, ?)').run(run.jobId, orgId, run.startTime, JSON.stringify(run));
    this.keep(run);
  }

  /** Every run of an org, oldest first. */
  list(orgId: string): TestRun[] {
    const ids = (this.sql('SELECT id FROM apex_test_runs WHERE org_id = ? ORDER BY created_date, id').all(orgId) as { id: string }[]).map((r) => r.id);
    if (ids.some((id) => !this.parsed.has(id))) {
      const rows = this.sql('SELECT id, run FROM apex_test_runs WHERE org_id = ? ORDER BY created_date, id').all(orgId) as { id: string; run: string }[];
      for (const row of rows) if (!this.parsed.has(row.id)) this.keep(JSON.parse(row.run) as TestRun);
    }
    return ids.map((id) => this.parsed.get(id)).filter((run): run is TestRun => run !== undefined);
  }

  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM apex_test_runs WHERE org_id = ?').run(orgId);
  }

  private keep(run: TestRun): void {
    this.parsed.delete(run.jobId);
    this.parsed.set(run.jobId, run);
    if (this.parsed.size > KEPT_RUNS) this.parsed.delete(this.parsed.keys().next().value!);
  }
}
