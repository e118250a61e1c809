import { useState } from 'preact/hooks';
import { consoleApi, download, rest } from '../api.js';
import { html } from '../html.js';
import { Alert, dateTime, Field, Loading, useData } from '../ui.js';

const link = (c) => `#/components/${encodeURIComponent(c.type)}/${encodeURIComponent(c.fullName)}`;

/** Every stored component of the org, by type. */
export function Components() {
  const [filter, setFilter] = useState('');
  const { data, error, loading } = useData(() => consoleApi('/components'));
  const wanted = filter.trim().toLowerCase();
  const shown = (data ?? []).filter((c) => !wanted || c.fullName.toLowerCase().includes(wanted) || c.type.toLowerCase().includes(wanted));
  const byType = new Map();
  for (const c of shown) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
  return html`
    <div class="title">
      <h1>Components</h1>
      <div class="actions"><input type="search" placeholder="Filter by type or name" value=${filter} onInput=${(e) => setFilter(e.target.value)} aria-label="Filter" /></div>
    </div>
    <p class="hint">${data ? `${data.length} components of ${new Set(data.map((c) => c.type)).size} types` : ''}, as a retrieve returns them.</p>
    <${Alert}>${error?.message}<//>
    ${loading ? html`<${Loading} />` : byType.size === 0 ? html`<p class="empty">${data?.length ? 'Nothing matches the filter.' : 'The org holds no components yet.'}</p>` : html`
      <div class="types">${[...byType].map(([type, components]) => html`
        <details class="card type" open=${byType.size <= 8 || !!wanted} data-type=${type}>
          <summary><strong>${type}</strong> <span class="count">${components.length}</span></summary>
          <table class="list compact">
            <tbody>${components.map((c) => html`<tr>
              <td><a href=${link(c)}>${c.fullName}</a></td><td class="hint">${c.packageName ?? ''}</td><td class="hint">${dateTime(c.lastModifiedDate)}</td>
            </tr>`)}</tbody>
          </table>
        </details>`)}
      </div>`}`;
}

/** One component with its files, as a retrieve of it returns them. */
export function ComponentPage({ type, name }) {
  const [actionError, setActionError] = useState();
  const path = `/components/${encodeURIComponent(type)}/${encodeURIComponent(name)}`;
  const { data, error, loading } = useData(() => consoleApi(path), [type, name]);
  if (loading) return html`<${Loading} />`;
  if (error) return html`<${Alert}>${error.message}<//><a href="#/components">Back to the components</a>`;
  const save = async (file) => {
    try {
      const res = await rest(`/console/api${path}?file=${encodeURIComponent(file.path)}`, { raw: true });
      download(file.path.split('/').pop(), await res.blob());
    } catch (err) { setActionError(err.message); }
  };
  return html`
    <p class="crumbs"><a href="#/components">Components</a> › ${type}</p>
    <div class="title"><h1>${data.fullName}</h1></div>
    <${Alert}>${actionError}<//>
    <dl class="card fields">
      <${Field} label="Type">${data.type}<//>
      <${Field} label="Id"><code>${data.id}</code><//>
      <${Field} label="Created">${dateTime(data.createdDate)}<//>
      <${Field} label="Last Modified">${dateTime(data.lastModifiedDate)}<//>
      ${data.packageName ? html`<${Field} label="Package">${data.packageName}<//>` : null}
    </dl>
    ${data.files.map((f) => html`
      <section class="file" data-path=${f.path}>
        <div class="file-head"><code>${f.path}</code><span class="hint">${f.bytes.toLocaleString('en-US')} bytes</span>
          <button class="small" onClick=${() => save(f)}>Download</button></div>
        ${f.text !== undefined ? html`<pre class="body">${f.text}</pre>` : html`<p class="hint">Binary or large file: download it to see it.</p>`}
      </section>`)}`;
}
