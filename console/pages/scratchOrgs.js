import { useState } from 'preact/hooks';
import { dataApi, rest } from '../api.js';
import { html } from '../html.js';
import { Alert, Badge, dateTime, Loading, useData } from '../ui.js';

const SOQL = 'SELECT Id, OrgName, Edition, Status, ErrorCode, ExpirationDate, SignupUsername, ScratchOrg, CreatedDate, CreatedBy.Username '
  + 'FROM ScratchOrgInfo ORDER BY CreatedDate DESC';

/** The hub's scratch org requests, newest first, with the ActiveScratchOrg row of each that is active. */
async function readScratchOrgs() {
  const [infos, active] = await Promise.all([
    dataApi(`/query?q=${encodeURIComponent(SOQL)}`),
    dataApi(`/query?q=${encodeURIComponent('SELECT Id, ScratchOrgInfoId FROM ActiveScratchOrg')}`),
  ]);
  const activeIds = new Map(active.records.map((a) => [a.ScratchOrgInfoId, a.Id]));
  return infos.records.map((r) => ({ ...r, activeId: activeIds.get(r.Id) }));
}

const TONES = { Active: 'good', Expired: 'muted', Deleted: 'muted', Error: 'bad' };

/** A Dev Hub's scratch orgs (as the hub's ScratchOrgInfo and ActiveScratchOrg records show them); a scratch org says whose it is. */
export function ScratchOrgs({ org }) {
  if (org.scratch) {
    return html`
      <div class="title"><h1>Scratch Orgs</h1></div>
      <p class="card">This org is a <strong>${org.scratch.edition}</strong> scratch org of the Dev Hub <code>${org.scratch.hubOrgId}</code>.
        It ends after <strong>${org.scratch.expirationDate}</strong> on its hub's clock.</p>`;
  }
  if (!org.devHub) return html`<div class="title"><h1>Scratch Orgs</h1></div><p class="empty">This org is not a Dev Hub.</p>`;
  return html`<${HubScratchOrgs} org=${org} />`;
}

function HubScratchOrgs({ org }) {
  const { data, error, loading, reload } = useData(readScratchOrgs);
  const [problem, setProblem] = useState();
  const act = async (what, run) => {
    if (!confirm(what)) return;
    setProblem(undefined);
    try {
      await run();
      reload();
    } catch (err) {
      setProblem(err.message);
    }
  };
  const remove = (row) => act(`Delete the scratch org ${row.SignupUsername}? Its data goes and its sessions end.`,
    () => dataApi(`/sobjects/ActiveScratchOrg/${row.activeId}`, { method: 'DELETE' }));
  const expire = (row) => act(`Expire the scratch org ${row.SignupUsername} now?`,
    () => rest(`/_localforce/orgs/${org.id}/scratch-orgs/${row.Id}/expire`, { method: 'POST' }));
  return html`
    <div class="title"><h1>Scratch Orgs</h1></div>
    <p class="hint">The scratch orgs this Dev Hub made (<code>sf org create scratch --target-dev-hub</code>), newest first. Expiry follows the hub's clock.</p>
    <${Alert}>${error?.message ?? problem}<//>
    ${loading ? html`<${Loading} />` : !data?.length ? html`<p class="empty">No scratch orgs yet.</p>` : html`
      <table class="list" aria-label="Scratch orgs">
        <thead><tr><th>Org name</th><th>Username</th><th>Org id</th><th>Edition</th><th>Status</th><th>Created</th><th>Created by</th><th>Expires</th><th></th></tr></thead>
        <tbody>${data.map((row) => html`<tr data-id=${row.Id}>
          <td>${row.OrgName}</td><td>${row.SignupUsername}</td><td><code>${row.ScratchOrg ?? '—'}</code></td><td>${row.Edition}</td>
          <td><${Badge} text=${row.ErrorCode ? `${row.Status} ${row.ErrorCode}` : row.Status} tone=${TONES[row.Status]} /></td>
          <td>${dateTime(row.CreatedDate)}</td><td>${row.CreatedBy?.Username ?? '—'}</td><td>${row.ExpirationDate}</td>
          <td>${row.activeId ? html`<button class="link" onClick=${() => expire(row)}>Expire</button> <button class="link danger" onClick=${() => remove(row)}>Delete</button>` : ''}</td>
        </tr>`)}</tbody>
      </table>`}`;
}
