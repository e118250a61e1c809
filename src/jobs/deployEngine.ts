import { availableParallelism } from 'node:os';
import { checkDeployPlan } from '../checks/checkDeployPlan';
import { ALL_CHECKS, parseDeployChecks, type DeployChecks } from '../checks/deployChecks';
import { currentOrgNow, orgClock, orgNow } from '../clock';
import { manifestMessage, successMessage } from '../deploy/deployMessages';
import { planDeploy, type DeployPlan, type PlannedAddition } from '../deploy/deployPlanner';
import { Faults } from '../errors';
import { asApiFault } from '../internalErrors';
import { IdPrefix, newId, to15 } from '../ids';
import { runDeployTests } from '../deploy/apexTests/deployTestRun';
import type { TestOutcomePolicy } from '../deploy/apexTests/testOutcomePolicy';
import { deleteComponent, writeComponent } from './componentWriter';
import type { ComponentWrite, KeySource } from '../metadata/metadataType';
import { PackageError, readZip } from '../package/zipReader';
import { discardZip, zipBytes, type DeployZip } from '../package/spooledZip';
import { emptyRunTestResult, type AsyncResult, type DeployMessage, type DeployOptions, type DeployResult } from '../model/resultTypes';
import type { Caller, User } from '../store/orgs';
import type { StoredComponent } from '../store/components';
import type { Store } from '../store/store';
import { OrgQueue } from './orgQueue';
import { shortId, silentLogger, type Logger } from '../log/logger';
import { redactText } from '../log/redact';
import { DeployHold, NO_PACING, type DeployPacing } from './deployPacing';
import type { StoredJob } from '../store/jobs';
import { writeComponentMessages } from '../soap/componentMessages';
import type { JobLeases, OrphanEnder } from './jobLeases';
import pLimit from 'p-limit';
import { nextTurn } from '../eventLoopSlices';

/** A deploy's zip, held only as long as the deploy needs it: a 39 MB zip is worth letting go of once read. */
interface DeploySource {
  zip?: DeployZip;
}

interface RunningDeploy {
  result: DeployResult;
  orgId: string;
  cancelRequestedBy?: User;
  /** Machine time it started running, and of its last progress line. */
  startedAt?: number;
  loggedAt?: number;
  /** Deploy pacing: where it waits InProgress before making anything. */
  hold?: DeployHold;
  /** When a cancel asked through another server was last looked for (shared store). */
  cancelCheckedAt?: number;
  /** Why it must end without committing anything, when its org was reset or deleted. */
  abandoned?: string;
}

export interface DeployEngineSettings {
  /** How simulated Apex tests end unless an org sets its own policy. */
  testPolicy?: TestOutcomePolicy;
  /** How long deploys stay InProgress unless an org sets its own pacing. */
  pacing?: DeployPacing;
  /** The deploy checks run unless an org sets its own (all by default). */
  checks?: DeployChecks;
  log?: Logger;
}

/** Progress lines of a running deploy: at most one this often. */
const PROGRESS_LOG_MS = 1000;

export const DEFAULT_DEPLOY_OPTIONS: DeployOptions = {
  allowMissingFiles: false, autoUpdatePackage: false, checkOnly: false, ignoreWarnings: false, performRetrieve: false,
  purgeOnDelete: false, rollbackOnError: true, runTests: [], singlePackage: false,
};

const STOPPED_MESSAGE = 'Localforce stopped while this deploy was running; nothing was committed. Deploy again.';
const TERMINAL = new Set(['Succeeded', 'SucceededPartial', 'Failed', 'Canceled']);

/** How often a running deploy looks for a cancel asked through another server, and saves its counts for their polls. */
const SHARED_STORE_PERIOD_MS = 250;

/**
 * Deploys run here: queued per org, validated in full before anything is made, applied with key
 * generation spread over the cores, and committed in one transaction. Progress lives in memory
 * while a deploy runs and in the store at every change of state.
 */
export class DeployEngine implements OrphanEnder<DeployResult> {
  readonly kind = 'deploys';
  private readonly running = new Map<string, RunningDeploy>();
  /** Set on shutdown: running and queued deploys stop at their next step and commit nothing. */
  private stopping = false;
  private readonly concurrency = Math.max(2, availableParallelism() * 2);
  /**
   * How many deploys read and check their packages at once, whatever their orgs. That work runs on the
   * one event loop, so more at once finishes none sooner; each holds its package's files and their reading
   * until it ends, so more at once only multiplies the memory (eight 37 MB packages at once grew the
   * server by 2.4 GB). Deploys of different orgs still interleave, slice by slice.
   */
  private readonly reading = pLimit(Math.max(1, availableParallelism()));

  private readonly defaultTestPolicy: TestOutcomePolicy;
  private readonly defaultPacing: DeployPacing;
  private readonly defaultChecks: DeployChecks;
  private readonly log: Logger;

  constructor(
    private readonly store: Store, private readonly keys: KeySource, private readonly queue: OrgQueue, private readonly leases: JobLeases,
    settings: DeployEngineSettings = {},
  ) {
    this.defaultTestPolicy = settings.testPolicy ?? { default: 'pass', classes: {} };
    this.defaultPacing = settings.pacing ?? NO_PACING;
    this.defaultChecks = settings.checks ?? ALL_CHECKS;
    this.log = settings.log ?? silentLogger();
    // On a store of its own, every unfinished deploy was cut short by this server's last stop.
    if (!store.shared) this.endOrphans(store.deploys.unfinished());
  }

  /** Deploys whose server stopped committed nothing; say so rather than leave them pending forever. */
  endOrphans(jobs: StoredJob<DeployResult>[]): void {
    for (const job of jobs) {
      const result = this.finish({ ...job.result }, 'Failed', 'UNKNOWN_EXCEPTION', STOPPED_MESSAGE);
      this.store.deploys.update(job.id, result, { messagesXml: writeComponentMessages(result.details) });
      this.log.warn({ deployId: job.id, orgId: job.orgId }, `deploy ${job.id} ${shortId(job.orgId)} Failed: its server stopped, nothing was committed`);
    }
  }

  /** Queues a deploy of `zip`, which it takes on: a spooled zip's file is the deploy's to discard. */
  submit(caller: Caller, zip: DeployZip, requested: Partial<DeployOptions>, validatedFrom?: string): AsyncResult {
    if (!Buffer.isBuffer(zip)) zip.adopted = true;
    const options: DeployOptions = { ...DEFAULT_DEPLOY_OPTIONS, ...stripUndefined(requested) };
    const id = newId(IdPrefix.deploy);
    const now = orgNow(caller.org).toISOString();
    const result: DeployResult = {
      checkOnly: options.checkOnly, createdBy: to15(caller.user.id), createdByName: caller.user.fullName, createdDate: now,
      details: { componentFailures: [], componentSuccesses: [], runTestResult: emptyRunTestResult() }, done: false, id,
      ignoreWarnings: options.ignoreWarnings, lastModifiedDate: now, numberComponentErrors: 0, numberComponentsDeployed: 0,
      numberComponentsTotal: 0, numberTestErrors: 0, numberTestsCompleted: 0, numberTestsTotal: 0,
      rollbackOnError: options.rollbackOnError, runTestsEnabled: false, status: 'Pending', success: false,
    };
    this.store.deploys.insert({
      id, orgId: caller.org.id, createdDate: now, result, options: { ...options, validatedFrom }, zip: null, ...this.leases.claim(),
    });
    const running: RunningDeploy = { result, orgId: caller.org.id };
    const pacing = this.pacing(caller.org.id);
    if (pacing.hold !== 'off') running.hold = new DeployHold(pacing);
    this.running.set(id, running);
    this.log.info({ deployId: id, orgId: caller.org.id }, `deploy ${id} ${shortId(caller.org.id)} queued${options.checkOnly ? ' (checkOnly)' : ''}`);
    const source: DeploySource = { zip };
    this.queue.run(caller.org.id, () => this.run(caller, running, source, options)).catch(() => undefined);
    return { done: false, id, state: 'Queued' };
  }

  status(orgId: string, id: string, includeDetails: boolean): DeployResult {
    if (includeDetails) {
      const job = this.stored(orgId, id);
      return this.running.get(job.id)?.result ?? job.result;
    }
    const stored = found(this.store.deploys.resultWithoutDetails(orgId, id));
    const result = this.running.get(stored.id)?.result ?? stored;
    return { ...result, details: { componentFailures: [], componentSuccesses: [], runTestResult: result.details.runTestResult } };
  }

  /**
   * A poll with details as the SOAP API answers it: a deploy that has ended comes without its lists and
   * with their XML as the store kept it when it ended; otherwise as poll() gives it.
   */
  pollWritten(orgId: string, id: string): { result: DeployResult; messagesXml?: Buffer } {
    const written = this.store.deploys.writtenResult(orgId, id);
    return written ?? { result: this.poll(orgId, id, true) };
  }

  /** A client's status poll: the status, and a poll counted by deploy pacing when it sees the deploy InProgress. */
  poll(orgId: string, id: string, includeDetails: boolean): DeployResult {
    const result = this.status(orgId, id, includeDetails);
    const running = this.running.get(result.id);
    if (running?.hold && result.status === 'InProgress') running.hold.poll();
    return result;
  }

  /** The org's own deploy pacing, or the server's. */
  pacing(orgId: string): DeployPacing {
    return this.store.orgs.get(orgId)?.deployPacing ?? this.defaultPacing;
  }

  /** The org's deploys that pacing still holds (or will hold when they start), oldest first. */
  held(orgId: string): { id: string; status: string; holds: string }[] {
    return [...this.running.values()].filter((r) => r.orgId === orgId && r.hold && !r.hold.done)
      .map((r) => ({ id: r.result.id, status: r.result.status, holds: r.hold!.describe() }));
  }

  /**
   * Lets held deploys go on: one by id, or all of the org's. Returns the ids released; a deploy not
   * yet waiting is let through when it gets there. Throws when the id names no deploy still running.
   */
  release(orgId: string, id?: string): string[] {
    if (id !== undefined) {
      const job = this.stored(orgId, id);
      const running = this.running.get(job.id);
      if (!running) throw Faults.invalidIdField(`The deploy ${job.id} is ${job.result.status}, not running: there is nothing to release`);
      running.hold?.release();
      return [job.id];
    }
    const released = this.held(orgId).map((h) => h.id);
    for (const heldId of released) this.running.get(heldId)!.hold!.release();
    return released;
  }

  /**
   * Ends the org's running and queued deploys at their next step, committing nothing: its org is being
   * reset or deleted. Queue work after this to run once they have ended.
   */
  abandon(orgId: string, reason: string): void {
    for (const running of this.running.values()) {
      if (running.orgId !== orgId) continue;
      running.abandoned = reason;
      running.hold?.release();
    }
  }
  /**
   * A queued deploy is canceled when its turn comes, a running one between two components. A deploy
   * another server runs is asked through the store, and that server cancels it.
   */
  cancel(caller: Caller, id: string): { done: boolean; id: string } {
    const stored = this.stored(caller.org.id, id);
    const running = this.running.get(stored.id);
    if (!running && !stored.result.done && this.store.deploys.requestCancel(stored.id, caller.user.id)) return { done: false, id: stored.id };
    if (!running || TERMINAL.has(running.result.status)) throw Faults.invalidIdField('Deployment already completed');
    running.cancelRequestedBy = caller.user;
    running.hold?.release();
    this.update(running, { status: 'Canceling' });
    return { done: false, id: stored.id };
  }

  /** Stops every running and queued deploy at its next step, so a shutdown does not wait for them. */
  stop(): void {
    this.stopping = true;
    for (const running of this.running.values()) running.hold?.release();
  }

  /** Deploys again what a successful validation checked, now for real; returns the new deploy's id. */
  deployRecentValidation(caller: Caller, validationId: string): string {
    const job = this.stored(caller.org.id, validationId);
    const r = job.result;
    if (!r.checkOnly || r.status !== 'Succeeded' || !job.zip) {
      throw Faults.invalidIdField(r.checkOnly ? 'The validation did not succeed, so it cannot be deployed' : 'The ID is not of a validation (a checkOnly deploy)');
    }
    const options = { ...(job.options as Partial<DeployOptions>), checkOnly: false };
    return this.submit(caller, job.zip, options, job.id).id;
  }

  /** The org's own test outcome policy, or the server's. */
  testPolicy(orgId: string): TestOutcomePolicy {
    return this.store.orgs.get(orgId)?.testOutcomePolicy ?? this.defaultTestPolicy;
  }

  /** The org's own deploy checks, or the server's. */
  checks(orgId: string): DeployChecks {
    const own = this.store.orgs.get(orgId)?.deployChecks;
    const parsed = own === undefined ? undefined : parseDeployChecks(own);
    return parsed && !('error' in parsed) ? parsed : this.defaultChecks;
  }

  private stored(orgId: string, id: string) {
    return found(this.store.deploys.get(orgId, id));
  }

  private update(running: RunningDeploy, change: Partial<DeployResult>, persist = true): void {
    Object.assign(running.result, change);
    if (persist) this.store.deploys.update(running.result.id, running.result);
  }

  /**
   * On a shared store, other servers answer polls of this deploy from the store and take cancels for
   * it there: now and then, its counts are saved and a cancel is looked for.
   */
  private shareProgress(running: RunningDeploy): void {
    if (!this.store.shared || Date.now() - (running.cancelCheckedAt ?? 0) < SHARED_STORE_PERIOD_MS) return;
    running.cancelCheckedAt = Date.now();
    this.store.deploys.update(running.result.id, running.result);
    const by = running.cancelRequestedBy ? undefined : this.store.deploys.cancelRequestedBy(running.result.id);
    const user = by === undefined ? undefined : this.store.orgs.user(by);
    if (user) {
      running.cancelRequestedBy = user;
      running.hold?.release();
      this.update(running, { status: 'Canceling' });
    }
  }

  /** A held deploy waits for its release; on a shared store it still looks for cancels asked through other servers. */
  private async heldUntilReleased(running: RunningDeploy, hold: DeployHold): Promise<void> {
    if (!this.store.shared) return hold.released;
    let released = false;
    void hold.released.then(() => { released = true; });
    while (!released) {
      await Promise.race([hold.released, new Promise((resolve) => setTimeout(resolve, SHARED_STORE_PERIOD_MS))]);
      this.shareProgress(running);
    }
  }

  private finish(result: DeployResult, status: DeployResult['status'], errorStatusCode?: string, errorMessage?: string, at?: string): DeployResult {
    const completed = at ?? new Date().toISOString();
    return {
      ...result, status, done: true, success: status === 'Succeeded' || status === 'SucceededPartial', completedDate: completed,
      lastModifiedDate: completed, stateDetail: undefined,
      ...(errorStatusCode ? { errorStatusCode, errorMessage: `${errorStatusCode}: ${errorMessage}` } : {}),
    };
  }

  private async run(caller: Caller, running: RunningDeploy, source: DeploySource, options: DeployOptions): Promise<void> {
    const { org } = caller;
    const now = () => currentOrgNow(this.store, org);
    const end = (status: DeployResult['status'], code?: string, message?: string) => {
      const done = this.finish(running.result, status, code, message, now().toISOString());
      if (status === 'Canceled' && running.cancelRequestedBy) {
        done.canceledBy = to15(running.cancelRequestedBy.id);
        done.canceledByName = running.cancelRequestedBy.fullName;
      }
      Object.assign(running.result, done);
      const kept = options.checkOnly && status === 'Succeeded' && source.zip ? zipBytes(source.zip) : undefined;
      discardZip(source.zip);
      source.zip = undefined;
      this.store.deploys.update(running.result.id, running.result, { zip: kept, messagesXml: writeComponentMessages(running.result.details) });
      this.running.delete(running.result.id);
      this.logEnd(running);
    };
    // Between steps: a cancel ends the deploy as Canceled, a shutdown or a reset of its org as Failed;
    // none commits anything.
    const interrupted = () => {
      running.cancelCheckedAt = undefined;
      this.shareProgress(running);
      if (this.stopping) end('Failed', 'UNKNOWN_EXCEPTION', STOPPED_MESSAGE);
      else if (running.abandoned) end('Failed', 'UNKNOWN_EXCEPTION', running.abandoned);
      else if (running.cancelRequestedBy) end('Canceled');
      return this.stopping || !!running.abandoned || !!running.cancelRequestedBy;
    };
    try {
      if (interrupted()) return;
      const start = now().toISOString();
      this.update(running, { status: 'InProgress', startDate: start, lastModifiedDate: start, stateDetail: 'Processing package' });
      const orgNowValue = now();
      const createdDate = orgNowValue.toISOString();
      const planContext = {
        org, now: orgNowValue, store: this.store, createdDate, privateKeyOf: (c: StoredComponent) => this.store.components.privateKey(c.id),
        checks: this.checks(org.id),
      };
      const plan = await this.reading(async () => {
        const { files } = await readZip(source.zip!);
        // Only a validation keeps its zip (for deployRecentValidation); a deploy lets it go once read.
        if (!options.checkOnly) {
          discardZip(source.zip);
          source.zip = undefined;
        }
        const planned = await planDeploy(files, options, planContext);
        if (planContext.checks.size) {
          this.update(running, { stateDetail: 'Checking components' });
          await checkDeployPlan(planned, planContext);
        }
        return planned;
      });
      if (interrupted()) return;
      const reported = plan.additions.filter((a) => !a.implicit);
      const planned = plan.preDeletions.length + reported.length + plan.postDeletions.length;
      const failures = plan.problems.filter((m) => m.problemType === 'Error' || !options.ignoreWarnings);
      // Components that failed count in the total, as on the real service; manifest-level problems do not.
      const total = planned + failures.filter((m) => m.componentType !== '' && m.problemType === 'Error').length;
      const warnings = plan.problems.filter((m) => m.problemType === 'Warning' && options.ignoreWarnings);
      for (const w of warnings) w.success = true;
      this.update(running, {
        numberComponentsTotal: total, numberComponentErrors: failures.length,
        details: { ...running.result.details, componentFailures: failures },
        stateDetail: `Processing Type: ${plan.additions[0]?.handler.definition.xmlName ?? 'Package'}`,
      });
      running.startedAt = running.loggedAt = Date.now();
      this.logLine(running, `InProgress: ${total} component${total === 1 ? '' : 's'}${failures.length ? `, ${failures.length} with problems` : ''}`);
      if (running.hold && !running.hold.done) {
        this.logLine(running, `held InProgress ${running.hold.describe()} (deploy pacing)`);
        await this.heldUntilReleased(running, running.hold);
        this.logLine(running, 'released (deploy pacing)');
      }
      if (interrupted()) return;
      const tests = runDeployTests(this.store, org.id, plan, options.testLevel, options.runTests, this.testPolicy(org.id));
      if (!tests.ok) return end('Failed', 'INVALID_OPERATION', tests.problem);
      const run = tests.run;
      if (run) {
        this.update(running, {
          runTestsEnabled: true, numberTestsTotal: run.numberTestsTotal, numberTestErrors: run.numberTestErrors,
          numberTestsCompleted: run.numberTestsTotal - run.numberTestErrors,
        });
      }
      // A failed test fails the whole deploy, whatever rollbackOnError says, as on the real service.
      const testsFailed = !!run && run.numberTestErrors > 0;
      const rollback = (failures.length > 0 && options.rollbackOnError) || testsFailed;
      // Validation-only deploys and deploys that will roll back make no keys: nothing would be kept.
      const writes = rollback || options.checkOnly
        ? plan.additions.map(() => undefined)
        : await this.applyAll(plan, caller, running);
      if (interrupted()) return;
      await nextTurn();
      const ids = !rollback && !options.checkOnly ? this.commit(plan, writes, caller, running) : plan.additions.map((a) => a.existing?.id);
      await nextTurn();

      const successes = this.successMessages(plan, ids, createdDate);
      successes.push(...warnings);
      const status = testsFailed ? 'Failed' : failures.length === 0 ? 'Succeeded' : !rollback && planned > 0 ? 'SucceededPartial' : 'Failed';
      if (status !== 'Failed') successes.push(...plan.manifestPaths.map((p) => manifestMessage(p, createdDate)));
      this.update(running, {
        numberComponentsDeployed: planned, numberComponentErrors: failures.length,
        details: { componentFailures: failures, componentSuccesses: successes, runTestResult: run?.runTestResult ?? emptyRunTestResult() },
      }, false);
      end(status);
    } catch (err) {
      if (err instanceof PackageError) return end('Failed', err.statusCode, err.message);
      const fault = asApiFault(err, `deploy ${running.result.id}`);
      end('Failed', fault.code, fault.message);
    }
  }

  /** Makes every addition's content (keys, certificates) in parallel, counting each as it completes. */
  private async applyAll(plan: DeployPlan, caller: Caller, running: RunningDeploy): Promise<(ComponentWrite | undefined)[]> {
    const writes: (ComponentWrite | undefined)[] = new Array(plan.additions.length);
    let next = 0;
    let failed = false;
    let deployed = plan.preDeletions.length;
    this.update(running, { numberComponentsDeployed: deployed }, false);
    const now = orgClock(this.store, caller.org);
    const worker = async () => {
      while (next < plan.additions.length && !running.cancelRequestedBy && !running.abandoned && !this.stopping && !failed) {
        const i = next++;
        const a: PlannedAddition = plan.additions[i]!;
        try {
          writes[i] = await a.handler.apply(a.plan, a.input, a.existing, {
            org: caller.org, user: caller.user, now: now(), keys: this.keys,
          });
        } catch (err) {
          failed = true;
          throw err;
        }
        this.update(running, { numberComponentsDeployed: ++deployed, lastModifiedDate: now().toISOString() }, false);
        this.shareProgress(running);
        if (Date.now() - (running.loggedAt ?? 0) >= PROGRESS_LOG_MS) {
          running.loggedAt = Date.now();
          this.logLine(running, `InProgress: ${deployed}/${running.result.numberComponentsTotal} components deployed`);
        }
      }
    };
    // Settle every worker before failing, so no key is still being made for a deploy already over.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, plan.additions.length) }, worker));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    return writes;
  }

  private logLine(running: RunningDeploy, text: string, level: 'info' | 'warn' = 'info'): void {
    const r = running.result;
    this.log[level]({ deployId: r.id, orgId: running.orgId, status: r.status, numberComponentsDeployed: r.numberComponentsDeployed,
      numberComponentsTotal: r.numberComponentsTotal, numberComponentErrors: r.numberComponentErrors }, `deploy ${r.id} ${shortId(running.orgId)} ${text}`);
  }

  /** The end of a deploy, with its counts: `Succeeded: 12/12 components deployed, 0 errors, 3 tests (1.2 s)`. */
  private logEnd(running: RunningDeploy): void {
    const r = running.result;
    const took = running.startedAt === undefined ? '' : ` (${((Date.now() - running.startedAt) / 1000).toFixed(1)} s)`;
    const tests = r.runTestsEnabled ? `, ${r.numberTestsTotal} tests${r.numberTestErrors ? ` (${r.numberTestErrors} failed)` : ''}` : '';
    const error = r.errorMessage ? `: ${redactText(r.errorMessage)}` : '';
    this.logLine(running, `${r.status}: ${r.numberComponentsDeployed}/${r.numberComponentsTotal} components deployed, ` +
      `${r.numberComponentErrors} error${r.numberComponentErrors === 1 ? '' : 's'}${tests}${took}${error}`, r.success || r.status === 'Canceled' ? 'info' : 'warn');
  }

  /** All of a deploy's changes in one transaction: pre-deletions, additions, post-deletions. Returns the additions' ids. */
  private commit(plan: DeployPlan, writes: (ComponentWrite | undefined)[], caller: Caller, running: RunningDeploy): string[] {
    const { org, user } = caller;
    const at = currentOrgNow(this.store, org).toISOString();
    // Source tracking's rows (scratch orgs) are written together at the end, still in the transaction.
    return this.store.transaction(() => this.store.sourceMembers.batch(() => {
      if (!this.store.deploys.stillOwns(running.result.id, this.leases.owner)) {
        throw new Error('This server stalled past its lease on the deploy, which another server has ended; nothing was committed');
      }
      for (const d of plan.preDeletions) deleteComponent(this.store, org, user, d.existing.type, d.existing.fullName, at);
      // What planning read of each addition is still what is stored: an org's deploys and CRUD calls run one at a time.
      const ids = plan.additions.map((a, i) =>
        writeComponent(this.store, org, user, a.handler.definition.storedAs, a.input.fullName, writes[i]!, a.changed, at, a.packageName,
          { existing: a.existing }));
      for (const d of plan.postDeletions) deleteComponent(this.store, org, user, d.existing.type, d.fullName, at);
      return ids;
    }));
  }

  private successMessages(plan: DeployPlan, ids: (string | undefined)[], createdDate: string): DeployMessage[] {
    const deletion = (d: DeployPlan['preDeletions'][number]) =>
      successMessage(d.where, { id: d.existing.id || undefined, created: false, changed: false, deleted: true }, createdDate);
    return [
      ...plan.preDeletions.map(deletion),
      ...plan.additions.flatMap((a, i) => (a.implicit ? []
        : [successMessage(a.where, { id: ids[i], created: a.created, changed: a.changed, warning: a.warning }, createdDate)])),
      ...plan.postDeletions.map(deletion),
    ];
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** A deploy looked up by a client's id, or the fault the real service gives for one it does not know. */
function found<T>(deploy: T | undefined): T {
  if (!deploy) throw Faults.invalidIdField('Invalid deploy ID');
  return deploy;
}
