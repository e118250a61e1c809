import { useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { html } from '../html.js';
import { Alert, Badge, Body, Loading, useData } from '../ui.js';

const statusTone = (status) => (status < 300 ? 'good' : status < 500 ? 'warn' : 'bad');
const time = (iso) => new Date(iso).toISOString().slice(11, 23);

/** The org's recent calls, newest first, with their bodies as Localforce keeps them (secrets redacted). */
export function Requests() {
  const [showConsole, setShowConsole] = useState(false);
  const [live, setLive] = useState(false);
  const [selected, setSelected] = useState();
  const { data, error, loading, reload } = useData(() => consoleApi(`/requests?limit=200&console=${showConsole}`), [showConsole],
    { every: 2000, keepPolling: () => live });
  const record = data?.find((r) => r.seq === selected);
  return html`
    <div class="title">
      <h1>Requests</h1>
      <div class="actions">
        <label class="check"><input type="checkbox" checked=${showConsole} onChange=${(e) => setShowConsole(e.target.checked)} /> Show the console's own calls</label>
        <label class="check"><input type="checkbox" checked=${live} onChange=${(e) => { setLive(e.target.checked); if (e.target.checked) reload(); }} /> Live</label>
        <button onClick=${reload}>Refresh</button>
      </div>
    </div>
    <p class="hint">The org's recent calls as clients made them (the newest 200 are kept). Session ids, tokens, passwords and keys are redacted; zips are shown by their size.</p>
    <${Alert}>${error?.message}<//>
    ${loading ? html`<${Loading} />` : !data?.length ? html`<p class="empty">No calls yet.</p>` : html`
      <div class="split">
        <table class="list requests" aria-label="Requests">
          <thead><tr><th>Time (UTC)</th><th>Method</th><th>Path</th><th>Operation</th><th>Status</th><th>ms</th></tr></thead>
          <tbody>${data.map((r) => html`<tr class=${r.seq === selected ? 'selected' : ''} data-seq=${r.seq} onClick=${() => setSelected(r.seq)}>
            <td>${time(r.time)}</td><td>${r.method}</td><td class="path">${r.path}${r.query ? html`<span class="hint">?${r.query}</span>` : ''}</td>
            <td>${r.operation ?? ''}</td><td><${Badge} text=${String(r.status)} tone=${statusTone(r.status)} /></td><td>${Math.round(r.ms)}</td>
          </tr>`)}</tbody>
        </table>
        ${record ? html`
          <section class="card detail" aria-label="Request detail">
            <h2>${record.method} ${record.path} ${record.operation ? html`<span class="hint">${record.operation}</span>` : ''}</h2>
            <h3>Request</h3>
            <pre class="headers">${Object.entries(record.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
            <${Body} text=${record.request.body} truncated=${record.request.truncated} bytes=${record.request.bytes} />
            <h3>Response <${Badge} text=${String(record.status)} tone=${statusTone(record.status)} /> <span class="hint">${record.response.contentType ?? ''} · ${record.ms} ms</span></h3>
            <${Body} text=${record.response.body} truncated=${record.response.truncated} bytes=${record.response.bytes} />
          </section>` : html`<p class="hint detail">Select a call to see its bodies.</p>`}
      </div>`}`;
}
