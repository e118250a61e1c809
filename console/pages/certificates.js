import { useState } from 'preact/hooks';
import { base64ToText, consoleApi, download, metadata, rest, saveProblems, textToBase64 } from '../api.js';
import { html } from '../html.js';
import { Alert, Badge, date, dateTime, Field, Loading, useData } from '../ui.js';

const DAY_MS = 24 * 3600 * 1000;
/** Salesforce starts telling admins about an expiring certificate 60 days ahead. */
const EXPIRING_DAYS = 60;

/** The status badge of a certificate at the org's time. */
export function certificateStatus(record, orgNow) {
  const content = base64ToText(record.content);
  if (record.caSigned === 'true' && content.includes('CERTIFICATE REQUEST')) return { text: 'Awaiting Chain', tone: 'warn' };
  const left = Date.parse(record.expirationDate) - Date.parse(orgNow);
  if (left <= 0) return { text: 'Expired', tone: 'bad' };
  const days = Math.ceil(left / DAY_MS);
  if (days <= EXPIRING_DAYS) return { text: `Expiring in ${days} day${days === 1 ? '' : 's'}`, tone: 'warn' };
  return { text: 'Active', tone: 'good' };
}

/** Every certificate of the org, through the Metadata API: listMetadata, then readMetadata ten at a time. */
async function readCertificates() {
  const listed = await metadata('listMetadata', { queries: { type: 'Certificate' } });
  const names = listed.map((p) => p.fullName).sort((a, b) => a.localeCompare(b));
  const records = [];
  for (let i = 0; i < names.length; i += 10) {
    const [read] = await metadata('readMetadata', { type: 'Certificate', fullNames: names.slice(i, i + 10) });
    records.push(...[].concat(read?.records ?? []));
  }
  return records;
}

const typeOf = (record) => (record.caSigned === 'true' ? 'CA-Signed' : 'Self-Signed');

function KeystoreActions({ features }) {
  // Shown when the server offers keystore export and import (src/http/console/consoleFeatures.ts).
  const [error, setError] = useState();
  if (!features.keystoreExportUrl && !features.keystoreImportUrl) return null;
  const exportKeystore = async () => {
    const password = prompt('A password for the keystore (at least 6 characters):');
    if (!password) return;
    try {
      const res = await rest(features.keystoreExportUrl, { method: 'POST', body: JSON.stringify({ password, format: 'jks' }), raw: true });
      download('keystore.jks', await res.blob());
    } catch (err) { setError(err.message); }
  };
  const importKeystore = async (event) => {
    const file = event.target.files[0];
    const password = file && prompt(`The password of ${file.name}:`);
    if (!password) return;
    const format = /\.(p12|pfx)$/i.test(file.name) ? 'pkcs12' : 'jks';
    try {
      await rest(`${features.keystoreImportUrl}?${new URLSearchParams({ format, password })}`, {
        method: 'POST', body: await file.arrayBuffer(), headers: { 'content-type': 'application/octet-stream' },
      });
      location.reload();
    } catch (err) { setError(err.message); }
  };
  return html`
    ${features.keystoreExportUrl ? html`<button onClick=${exportKeystore}>Export to Keystore</button>` : null}
    ${features.keystoreImportUrl ? html`<label class="button">Import from Keystore<input type="file" accept=".jks,.p12,.pfx" hidden onChange=${importKeystore} /></label>` : null}
    <${Alert}>${error}<//>`;
}

export function Certificates() {
  const { data, error, loading } = useData(async () => {
    const [records, org] = await Promise.all([readCertificates(), consoleApi('/org')]);
    return { records, org };
  });
  return html`
    <div class="title">
      <h1>Certificate and Key Management</h1>
      <div class="actions">
        <a class="button" href="#/certificates/new">Create Self-Signed Certificate</a>
        <a class="button" href="#/certificates/new?caSigned=true">Create CA-Signed Certificate</a>
        ${data ? html`<${KeystoreActions} features=${data.org.features} />` : null}
      </div>
    </div>
    <${Alert}>${error?.message}<//>
    ${loading ? html`<${Loading} />` : !data ? null : data.records.length === 0 ? html`<p class="empty">No certificates yet. Create one, or deploy a <code>certs/</code> folder.</p>` : html`
      <table class="list" aria-label="Certificates">
        <thead><tr><th>Label</th><th>Unique Name</th><th>Type</th><th>Key Size</th><th>Expiration Date</th><th>Status</th></tr></thead>
        <tbody>${data.records.map((r) => {
          const status = certificateStatus(r, data.org.now);
          return html`<tr data-name=${r.fullName}>
            <td><a href=${`#/certificates/${encodeURIComponent(r.fullName)}`}>${r.masterLabel}</a></td>
            <td>${r.fullName}</td><td>${typeOf(r)}</td><td>${r.keySize}</td><td>${date(r.expirationDate)}</td>
            <td><${Badge} text=${status.text} tone=${status.tone} /></td>
          </tr>`;
        })}</tbody>
      </table>`}`;
}

/** A label as an API name: letters, digits and single underscores, starting with a letter. */
const apiNameOf = (label) => label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^[^A-Za-z]+/, '').replace(/_+$/, '').slice(0, 80);

export function CertificateNew({ caSigned }) {
  const [label, setLabel] = useState('');
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setBusy(true);
    setError(undefined);
    try {
      const results = await metadata('createMetadata', {
        metadata: { xsiType: 'Certificate', fields: {
          fullName: form.get('fullName'), caSigned: String(caSigned), keySize: form.get('keySize'), masterLabel: form.get('masterLabel'),
          privateKeyExportable: String(form.get('privateKeyExportable') === 'on'),
        } },
      });
      const problem = saveProblems(results);
      if (problem) throw new Error(problem);
      location.hash = `#/certificates/${encodeURIComponent(form.get('fullName'))}`;
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`
    <div class="title"><h1>${caSigned ? 'New CA-Signed Certificate' : 'New Self-Signed Certificate'}</h1></div>
    <form class="card form" onSubmit=${save} aria-label="New certificate">
      <p class="hint">${caSigned
        ? 'The org makes a key pair and a certificate signing request (CSR). Download the CSR, have your certificate authority sign it, then upload the signed chain here.'
        : 'The org makes a key pair and a self-signed certificate, valid one year (2048-bit keys) or two years (4096-bit keys).'}</p>
      <label>Label <input name="masterLabel" required maxlength="64" value=${label}
        onInput=${(e) => { setLabel(e.target.value); if (!nameEdited) setName(apiNameOf(e.target.value)); }} /></label>
      <label>Unique Name <input name="fullName" required maxlength="80" value=${name} onInput=${(e) => { setName(e.target.value); setNameEdited(true); }} /></label>
      <label>Key Size <select name="keySize"><option value="2048">2048</option><option value="4096">4096</option></select></label>
      <label class="check"><input type="checkbox" name="privateKeyExportable" checked /> Exportable Private Key</label>
      <${Alert}>${error}<//>
      <div class="actions">
        <button class="primary" type="submit" disabled=${busy}>${busy ? 'Saving…' : 'Save'}</button>
        <a class="button" href="#/certificates">Cancel</a>
      </div>
    </form>`;
}

function UploadChain({ record, onDone }) {
  const [text, setText] = useState('');
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const upload = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // The same call a client makes: updateMetadata with the chain as the certificate's content.
      const results = await metadata('updateMetadata', {
        metadata: { xsiType: 'Certificate', fields: {
          fullName: record.fullName, caSigned: record.caSigned, masterLabel: record.masterLabel, content: textToBase64(text),
        } },
      });
      const problem = saveProblems(results);
      if (problem) throw new Error(problem);
      setText('');
      onDone();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="card form" onSubmit=${upload} aria-label="Upload signed certificate">
      <h2>Upload Signed Certificate</h2>
      <p class="hint">The chain your certificate authority returned for this certificate's CSR, in PEM, leaf first.</p>
      <label>Chain file <input type="file" accept=".crt,.pem,.cer" onChange=${async (e) => setText(await e.target.files[0]?.text() ?? '')} /></label>
      <label>or paste it <textarea name="chain" rows="6" value=${text} onInput=${(e) => setText(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----"></textarea></label>
      <${Alert}>${error}<//>
      <div class="actions"><button class="primary" type="submit" disabled=${busy || !text.trim()}>${busy ? 'Uploading…' : 'Upload'}</button></div>
    </form>`;
}

export function CertificatePage({ name }) {
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState();
  const [notice, setNotice] = useState();
  const { data, error, loading, reload } = useData(async () => {
    const [[read], details, org] = await Promise.all([
      metadata('readMetadata', { type: 'Certificate', fullNames: [name] }), consoleApi(`/certificates/${encodeURIComponent(name)}`), consoleApi('/org'),
    ]);
    return { record: [].concat(read?.records ?? [])[0], details, org };
  }, [name]);
  if (loading) return html`<${Loading} />`;
  if (error || !data?.record) return html`<${Alert}>${error?.message ?? `No certificate named ${name}.`}<//><a href="#/certificates">Back to the certificates</a>`;
  const { record, details, org } = data;
  const status = certificateStatus(record, org.now);
  const content = base64ToText(record.content);
  const remove = async () => {
    try {
      const problem = saveProblems(await metadata('deleteMetadata', { type: 'Certificate', fullNames: [name] }));
      if (problem) throw new Error(problem);
      location.hash = '#/certificates';
    } catch (err) { setActionError(err.message); }
  };
  const downloadCsr = async () => {
    try {
      const res = await rest(`/console/api/certificates/${encodeURIComponent(name)}/csr`, { raw: true });
      download(`${name}.csr`, await res.blob());
    } catch (err) { setActionError(err.message); }
  };
  return html`
    <p class="crumbs"><a href="#/certificates">Certificate and Key Management</a> ›</p>
    <div class="title">
      <h1>${record.masterLabel} <${Badge} text=${status.text} tone=${status.tone} /></h1>
      <div class="actions">
        ${details.state !== 'awaitingChain' ? html`<button onClick=${() => download(`${name}.crt`, content, 'application/x-pem-file')}>Download Certificate</button>` : null}
        ${details.csr ? html`<button onClick=${downloadCsr}>Download Certificate Signing Request</button>` : null}
        ${confirming ? html`<span class="confirm">Delete ${name}? <button class="danger" onClick=${remove}>Delete</button><button onClick=${() => setConfirming(false)}>Cancel</button></span>`
          : html`<button class="danger" onClick=${() => setConfirming(true)}>Delete</button>`}
      </div>
    </div>
    <${Alert}>${actionError}<//>
    <${Alert} tone="good">${notice}<//>
    <dl class="card fields">
      <${Field} label="Label">${record.masterLabel}<//>
      <${Field} label="Unique Name">${record.fullName}<//>
      <${Field} label="Type">${typeOf(record)}<//>
      <${Field} label="Key Size">${record.keySize}<//>
      <${Field} label="Exportable Private Key">${record.privateKeyExportable === 'true' ? 'Yes' : 'No'}<//>
      <${Field} label="Expiration Date">${dateTime(record.expirationDate)}<//>
      <${Field} label="Created">${dateTime(details.createdDate)}<//>
      <${Field} label="Last Modified">${dateTime(details.lastModifiedDate)}<//>
    </dl>
    ${details.chain.length ? html`
      <h2>${details.chain.length > 1 ? 'Certificate Chain' : 'Certificate'}</h2>
      <table class="list" aria-label="Certificate chain">
        <thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Valid From</th><th>Valid Until</th><th>Serial Number</th></tr></thead>
        <tbody>${details.chain.map((c, i) => html`<tr>
          <td>${i + 1}</td><td>${c.subject}</td><td>${c.issuer}</td><td>${dateTime(c.notBefore)}</td><td>${dateTime(c.notAfter)}</td>
          <td><code title=${`SHA-256 ${c.sha256Fingerprint}`}>${c.serialNumber}</code></td>
        </tr>`)}</tbody>
      </table>` : null}
    ${details.csr ? html`
      <h2>Certificate Signing Request</h2>
      <dl class="card fields">
        <${Field} label="Subject">${details.csr.subject}<//>
        <${Field} label="SHA-256">${html`<code>${details.csr.sha256Fingerprint}</code>`}<//>
      </dl>` : null}
    ${record.caSigned === 'true' ? html`<${UploadChain} record=${record} onDone=${() => { setNotice('The signed certificate chain is uploaded.'); reload(); }} />` : null}`;
}
