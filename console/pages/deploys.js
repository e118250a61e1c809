import { useState } from 'preact/hooks';
import { base64ToBlob, consoleApi, dataApi, download, metadata } from '../api.js';
import { html } from '../html.js';
import { Alert, Badge, between, dateTime, Field, Loading, useData } from '../ui.js';

const running = (status) => status === 'Pending' || status === 'InProgress' || status === 'Canceling';
const asList = (v) => (v === undefined || v === null ? [] : [].concat(v));

/** The options a deploy was started with that differ from the defaults, as short chips. */
function optionChips(options) {
  const chips = [];
  if (options.checkOnly) chips.push('checkOnly');
  if (options.testLevel && options.testLevel !== 'NoTestRun') chips.push(options.testLevel);
  if (asList(options.runTests).length) chips.push(`runTests: ${asList(options.runTests).join(', ')}`);
  if (options.rollbackOnError === false) chips.push('rollbackOnError: false');
  for (const flag of ['ignoreWarnings', 'purgeOnDelete', 'singlePackage', 'allowMissingFiles', 'autoUpdatePackage', 'performRetrieve']) {
    if (options[flag]) chips.push(flag);
  }
  return chips;
}

const Chips = ({ items }) => html`<span class="chips">${items.map((c) => html`<span class="chip">${c}</span>`)}</span>`;

function retrieveChips(options) {
  const types = asList(options.unpackaged?.types);
  const chips = types.map((t) => `${t.name}: ${asList(t.members).join(', ')}`);
  if (asList(options.packageNames).length) chips.push(`packages: ${asList(options.packageNames).join(', ')}`);
  if (options.singlePackage) chips.push('singlePackage');
  if (asList(options.specificFiles).length) chips.push(`${asList(options.specificFiles).length} specific files`);
  return chips;
}

export function Deploys() {
  const { data, error, loading } = useData(() => consoleApi('/jobs?limit=100'), [],
    { every: 1500, keepPolling: (jobs) => jobs.some((j) => !j.result.done) });
  return html`
    <div class="title"><h1>Deploy History</h1></div>
    <p class="hint">Deploys and retrieves of this org, newest first. Running ones update as they go.</p>
    <${Alert}>${error?.message}<//>
    ${loading ? html`<${Loading} />` : !data?.length ? html`<p class="empty">No deploys or retrieves yet.</p>` : html`
      <table class="list" aria-label="Deploys and retrieves">
        <thead><tr><th>Kind</th><th>Id</th><th>Status</th><th>Started</th><th>Took</th><th>Components</th><th>Tests</th><th>Options</th></tr></thead>
        <tbody>${data.map((job) => {
          const r = job.result;
          if (job.kind === 'retrieve') {
            return html`<tr data-id=${job.id}>
              <td>Retrieve</td><td><a href=${`#/retrieves/${job.id}`}>${job.id}</a></td><td><${Badge} text=${r.status} /></td>
              <td>${dateTime(job.createdDate)}</td><td>${between(job.createdDate, job.completedDate)}</td><td>—</td><td>—</td>
              <td><${Chips} items=${retrieveChips(job.options)} /></td></tr>`;
          }
          return html`<tr data-id=${job.id}>
            <td>${job.validatedFrom ? 'Quick Deploy' : r.checkOnly ? 'Validation' : 'Deploy'}</td>
            <td><a href=${`#/deploys/${job.id}`}>${job.id}</a></td><td><${Badge} text=${r.status} /></td>
            <td>${dateTime(r.startDate ?? r.createdDate)}</td><td>${running(r.status) ? 'running' : between(r.startDate ?? r.createdDate, r.completedDate)}</td>
            <td>${r.numberComponentsDeployed}/${r.numberComponentsTotal}${r.numberComponentErrors ? html` <span class="bad-text">${r.numberComponentErrors} error${r.numberComponentErrors === 1 ? '' : 's'}</span>` : ''}</td>
            <td>${r.runTestsEnabled ? `${r.numberTestsCompleted}/${r.numberTestsTotal}${r.numberTestErrors ? `, ${r.numberTestErrors} failed` : ''}` : '—'}</td>
            <td><${Chips} items=${optionChips(job.options)} /></td></tr>`;
        })}</tbody>
      </table>`}`;
}

function Progress({ result }) {
  const total = result.numberComponentsTotal || 0;
  const done = result.numberComponentsDeployed || 0;
  const percent = total ? Math.round((100 * done) / total) : result.done ? 100 : 0;
  return html`
    <div class="progress" role="progressbar" aria-valuenow=${percent} aria-valuemin="0" aria-valuemax="100">
      <div class=${`bar ${result.status}`} style=${`width: ${percent}%`}></div>
    </div>
    <p class="hint" data-progress>${done} of ${total} components deployed${result.numberComponentErrors ? `, ${result.numberComponentErrors} with errors` : ''}${result.stateDetail ? ` · ${result.stateDetail}` : ''}</p>`;
}

const place = (m) => (m.lineNumber ? `${m.lineNumber}:${m.columnNumber ?? ''}` : '');

/** One deploy as the REST API answers it (`metadata/deployRequest/<id>?includeDetails=true`), polled while it runs. */
export function DeployPage({ id }) {
  const [actionError, setActionError] = useState();
  const { data, error, loading, reload } = useData(() => dataApi(`/metadata/deployRequest/${id}?includeDetails=true`), [id],
    { every: 1000, keepPolling: (d) => !d.deployResult.done });
  if (loading) return html`<${Loading} />`;
  if (error) return html`<${Alert}>${error.message}<//><a href="#/deploys">Back to the deploy history</a>`;
  const r = data.deployResult;
  const failures = asList(r.details?.componentFailures);
  const successes = asList(r.details?.componentSuccesses);
  const tests = r.details?.runTestResult;
  const cancel = async () => {
    try {
      await dataApi(`/metadata/deployRequest/${id}`, { method: 'PATCH', body: JSON.stringify({ deployResult: { status: 'Canceling' } }) });
      reload();
    } catch (err) { setActionError(err.message); }
  };
  return html`
    <p class="crumbs"><a href="#/deploys">Deploy History</a> ›</p>
    <div class="title">
      <h1>${r.checkOnly ? 'Validation' : 'Deploy'} ${id} <${Badge} text=${r.status} /></h1>
      <div class="actions">${running(r.status) && r.status !== 'Canceling' ? html`<button class="danger" onClick=${cancel}>Cancel Deploy</button>` : null}</div>
    </div>
    <${Alert}>${actionError}<//>
    <${Progress} result=${r} />
    <${Alert}>${r.errorMessage}<//>
    <dl class="card fields">
      <${Field} label="Created">${dateTime(r.createdDate)} by ${r.createdByName}<//>
      <${Field} label="Started">${dateTime(r.startDate)}<//>
      <${Field} label="Completed">${dateTime(r.completedDate)}<//>
      <${Field} label="Took">${between(r.startDate, r.completedDate)}<//>
      <${Field} label="Options"><${Chips} items=${optionChips(data.deployOptions)} /><//>
      ${data.validatedDeployRequestId ? html`<${Field} label="Validation"><a href=${`#/deploys/${data.validatedDeployRequestId}`}>${data.validatedDeployRequestId}</a><//>` : null}
      ${r.canceledByName ? html`<${Field} label="Canceled by">${r.canceledByName}<//>` : null}
    </dl>
    ${failures.length ? html`
      <h2>Component Errors (${failures.length})</h2>
      <table class="list problems" aria-label="Component errors">
        <thead><tr><th>Type</th><th>Name</th><th>File</th><th>Line:Column</th><th>Problem</th></tr></thead>
        <tbody>${failures.map((m) => html`<tr>
          <td>${m.componentType}</td><td>${m.fullName}</td><td><code>${m.fileName}</code></td><td>${place(m)}</td>
          <td class=${m.problemType === 'Warning' ? 'warn-text' : 'bad-text'}>${m.problemType === 'Warning' ? 'Warning: ' : ''}${m.problem}</td>
        </tr>`)}</tbody>
      </table>` : null}
    ${tests && asList(tests.failures).length ? html`
      <h2>Test Failures (${asList(tests.failures).length})</h2>
      <table class="list problems" aria-label="Test failures">
        <thead><tr><th>Class</th><th>Method</th><th>Message</th></tr></thead>
        <tbody>${asList(tests.failures).map((f) => html`<tr><td>${f.name}</td><td>${f.methodName}</td><td class="bad-text">${f.message}</td></tr>`)}</tbody>
      </table>` : null}
    ${successes.length ? html`
      <h2>Components Deployed (${successes.length})</h2>
      <table class="list" aria-label="Components deployed">
        <thead><tr><th>Type</th><th>Name</th><th>File</th><th>Change</th></tr></thead>
        <tbody>${successes.map((m) => html`<tr>
          <td>${m.componentType}</td><td>${m.fullName}</td><td><code>${m.fileName}</code></td>
          <td>${m.deleted ? 'Deleted' : m.created ? 'Created' : m.changed ? 'Changed' : 'Unchanged'}</td>
        </tr>`)}</tbody>
      </table>` : null}`;
}

/** One retrieve as the Metadata API answers it (checkRetrieveStatus), with its zip to download. */
export function RetrievePage({ id }) {
  const [actionError, setActionError] = useState();
  const { data, error, loading } = useData(async () => {
    const [result] = await metadata('checkRetrieveStatus', { asyncProcessId: id, includeZip: 'false' });
    return result;
  }, [id], { every: 1000, keepPolling: (r) => r.done !== 'true' });
  if (loading) return html`<${Loading} />`;
  if (error) return html`<${Alert}>${error.message}<//><a href="#/deploys">Back to the deploy history</a>`;
  const files = asList(data.fileProperties);
  const messages = asList(data.messages);
  const zip = async () => {
    try {
      const [full] = await metadata('checkRetrieveStatus', { asyncProcessId: id, includeZip: 'true' });
      download(`${id}.zip`, base64ToBlob(full.zipFile, 'application/zip'));
    } catch (err) { setActionError(err.message); }
  };
  return html`
    <p class="crumbs"><a href="#/deploys">Deploy History</a> ›</p>
    <div class="title">
      <h1>Retrieve ${id} <${Badge} text=${data.status} /></h1>
      <div class="actions">${data.status === 'Succeeded' ? html`<button onClick=${zip}>Download Zip</button>` : null}</div>
    </div>
    <${Alert}>${actionError}<//>
    <${Alert}>${data.errorMessage}<//>
    ${messages.length ? html`
      <h2>Messages (${messages.length})</h2>
      <table class="list problems" aria-label="Retrieve messages">
        <thead><tr><th>File</th><th>Problem</th></tr></thead>
        <tbody>${messages.map((m) => html`<tr><td><code>${m.fileName}</code></td><td class="warn-text">${m.problem}</td></tr>`)}</tbody>
      </table>` : null}
    <h2>Files (${files.length})</h2>
    <table class="list" aria-label="Retrieved files">
      <thead><tr><th>Type</th><th>Name</th><th>File</th><th>Last Modified</th></tr></thead>
      <tbody>${files.map((f) => html`<tr><td>${f.type}</td><td>${f.fullName}</td><td><code>${f.fileName}</code></td><td>${dateTime(f.lastModifiedDate)}</td></tr>`)}</tbody>
    </table>`;
}
