import { useState } from 'preact/hooks';
import { download, metadata, rest, saveProblems } from '../api.js';
import { html } from '../html.js';
import { Alert, Badge, dateTime, Loading, useData } from '../ui.js';

/** The org's identity provider settings (IdentityProviderSettings, as the Metadata API's CRUD calls name them) and its certificates. */
async function readIdentityProvider() {
  const [settings] = await metadata('readMetadata', { type: 'IdentityProviderSettings', fullNames: 'IdentityProvider' });
  const current = [].concat(settings?.records ?? [])[0];
  const certificates = (await metadata('listMetadata', { queries: { type: 'Certificate' } })).map((c) => c.fullName).sort((a, b) => a.localeCompare(b));
  return { enabled: current?.enableIdentityProvider === 'true', certificateName: current?.certificateName ?? '', certificates };
}

/** Enable or disable the org as an identity provider, with the certificate it signs with, and download its metadata. */
function IdentityProvider({ org }) {
  const { data, error, loading, reload } = useData(readIdentityProvider);
  const [problem, setProblem] = useState();
  const [busy, setBusy] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setBusy(true);
    setProblem(undefined);
    try {
      const results = await metadata('upsertMetadata', {
        metadata: { xsiType: 'IdentityProviderSettings', fields: {
          fullName: 'IdentityProvider', certificateName: form.get('certificateName'), enableIdentityProvider: String(form.get('enabled') === 'on'),
        } },
      });
      const failed = saveProblems(results);
      if (failed) throw new Error(failed);
      reload();
    } catch (err) {
      setProblem(err.message);
    } finally {
      setBusy(false);
    }
  };
  if (loading) return html`<${Loading} />`;
  if (!data) return html`<${Alert}>${error?.message}<//>`;
  const downloadMetadata = async () => {
    const res = await fetch(`/.well-known/samlidp.xml?so=${org.id.slice(0, 15)}`);
    if (!res.ok) return setProblem(`The metadata could not be read: ${res.status}`);
    download('samlidp.xml', await res.text(), 'application/samlmetadata+xml');
  };
  return html`
    <form class="card form" onSubmit=${save} aria-label="Identity provider">
      <h2>Identity Provider <${Badge} text=${data.enabled ? 'Enabled' : 'Disabled'} tone=${data.enabled ? 'good' : 'muted'} /></h2>
      <p class="hint">The org signs its users in to connected apps with a <code>samlConfig</code>, signing each SAML response with this certificate.</p>
      <label class="check"><input type="checkbox" name="enabled" checked=${data.enabled} /> Enable Identity Provider</label>
      <label>Certificate <select name="certificateName" required>
        <option value="">Choose a certificate…</option>
        ${data.certificates.map((name) => html`<option value=${name} selected=${name === data.certificateName}>${name}</option>`)}
      </select></label>
      <${Alert}>${problem}<//>
      <div class="actions">
        <button class="primary" type="submit" disabled=${busy}>${busy ? 'Saving…' : 'Save'}</button>
        ${data.enabled ? html`<button type="button" onClick=${downloadMetadata}>Download Metadata</button>` : null}
      </div>
    </form>`;
}

/** Every SAML login attempt into the org, newest first, with the validator's result. */
function LoginHistory({ org }) {
  const { data, error, loading } = useData(() => rest(`/_localforce/orgs/${org.id}/saml-login-history`));
  return html`
    <section class="card" aria-label="SAML login history">
      <h2>SAML Login History</h2>
      <${Alert}>${error?.message}<//>
      ${loading ? html`<${Loading} />` : !data?.length ? html`<p class="empty">No SAML logins yet.</p>` : html`
        <table>
          <thead><tr><th>Time</th><th>Issuer</th><th>Setting</th><th>User</th><th>Status</th><th>Detail</th></tr></thead>
          <tbody>${data.map((row) => html`
            <tr>
              <td>${dateTime(row.loginTime)}</td><td>${row.issuer ?? '—'}</td><td>${row.samlSsoConfig ?? '—'}</td><td>${row.username ?? '—'}</td>
              <td><${Badge} text=${row.status} tone=${row.status === 'Success' ? 'good' : 'bad'} /></td><td>${row.detail ?? ''}</td>
            </tr>`)}
          </tbody>
        </table>`}
    </section>`;
}

export function SingleSignOn({ org }) {
  return html`
    <div class="title"><h1>Single Sign-On</h1></div>
    <${IdentityProvider} org=${org} />
    <${LoginHistory} org=${org} />`;
}
