import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, session, signIn, whenSignedOut } from './api.js';
import { html } from './html.js';
import { CertificateNew, CertificatePage, Certificates } from './pages/certificates.js';
import { ComponentPage, Components } from './pages/components.js';
import { DeployPage, Deploys, RetrievePage } from './pages/deploys.js';
import { Requests } from './pages/requests.js';
import { ScratchOrgs } from './pages/scratchOrgs.js';
import { SingleSignOn } from './pages/singleSignOn.js';
import { Alert } from './ui.js';

/** `#/certificates/My_Cert` → ['certificates', 'My_Cert']; the hash keeps pages linkable and the back button working. */
const route = () => location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
const query = () => new URLSearchParams(location.hash.split('?')[1] ?? '');

const TABS = [
  ['certificates', 'Certificate and Key Management'],
  ['deploys', 'Deploy History'],
  ['single-sign-on', 'Single Sign-On'],
  ['scratch-orgs', 'Scratch Orgs'],
  ['components', 'Components'],
  ['requests', 'Requests'],
];

function SignIn({ onSignedIn }) {
  const [mode, setMode] = useState('password');
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(mode === 'password'
        ? { username: form.get('username'), password: form.get('password') }
        : { accessToken: form.get('accessToken') }));
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="signin">
      <form class="card" onSubmit=${submit} aria-label="Sign in">
        <h1><span class="logo">☁</span> Localforce</h1>
        <p class="hint">Sign in to an org of this Localforce server.</p>
        <div class="switch" role="tablist">
          <button type="button" role="tab" aria-selected=${mode === 'password'} onClick=${() => setMode('password')}>Username and password</button>
          <button type="button" role="tab" aria-selected=${mode === 'token'} onClick=${() => setMode('token')}>Access token</button>
        </div>
        ${mode === 'password' ? html`
          <label>Username <input name="username" autocomplete="username" required placeholder="admin@localforce.dev" /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>`
        : html`<label>Access token <input name="accessToken" required placeholder="00D…!…" autocomplete="off" /></label>`}
        <${Alert}>${error}<//>
        <button class="primary" type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="hint">The default org: username <code>admin@localforce.dev</code>, password <code>localforce</code>.</p>
      </form>
    </main>`;
}

function Page({ org }) {
  const [parts, setParts] = useState(route());
  useEffect(() => {
    const changed = () => { setParts(route()); window.scrollTo(0, 0); };
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  const [section = 'certificates', ...rest] = parts;
  const key = parts.join('/');
  let page;
  if (section === 'certificates' && rest[0] === 'new') page = html`<${CertificateNew} key=${key} org=${org} caSigned=${query().get('caSigned') === 'true'} />`;
  else if (section === 'certificates' && rest[0]) page = html`<${CertificatePage} key=${key} org=${org} name=${rest[0]} />`;
  else if (section === 'certificates') page = html`<${Certificates} key=${key} org=${org} />`;
  else if (section === 'deploys' && rest[0]) page = html`<${DeployPage} key=${key} org=${org} id=${rest[0]} />`;
  else if (section === 'deploys') page = html`<${Deploys} key=${key} org=${org} />`;
  else if (section === 'retrieves' && rest[0]) page = html`<${RetrievePage} key=${key} org=${org} id=${rest[0]} />`;
  else if (section === 'components' && rest[1]) page = html`<${ComponentPage} key=${key} type=${rest[0]} name=${rest.slice(1).join('/')} />`;
  else if (section === 'components') page = html`<${Components} key=${key} />`;
  else if (section === 'requests') page = html`<${Requests} key=${key} />`;
  else if (section === 'single-sign-on') page = html`<${SingleSignOn} key=${key} org=${org} />`;
  else if (section === 'scratch-orgs') page = html`<${ScratchOrgs} key=${key} org=${org} />`;
  else page = html`<${Alert}>There is no page at ${location.hash}.<//>`;
  const current = section === 'retrieves' ? 'deploys' : section;
  return html`
    <header class="top">
      <a class="brand" href="#/certificates"><span class="logo">☁</span> Localforce</a>
      <nav>${TABS.map(([id, label]) => html`<a href=${`#/${id}`} class=${current === id ? 'active' : ''}>${label}</a>`)}</nav>
      <div class="who">
        <span title=${org.id}>${org.name}</span><small>${org.username}</small>
        <button class="link" onClick=${() => { session.clear(); location.hash = ''; location.reload(); }}>Sign out</button>
      </div>
    </header>
    <main class="content">${page}</main>`;
}

function App() {
  const [org, setOrg] = useState();
  const [checking, setChecking] = useState(!!session.get());
  useEffect(() => {
    whenSignedOut(() => setOrg(undefined));
    if (!session.get()) return;
    consoleApi('/org').then(setOrg, () => session.clear()).finally(() => setChecking(false));
  }, []);
  if (checking) return html`<p class="loading">Loading…</p>`;
  return org ? html`<${Page} org=${org} />` : html`<${SignIn} onSignedIn=${setOrg} />`;
}

const root = document.getElementById('app');
root.textContent = ''; // the static "Loading…" until the modules arrive
render(html`<${App} />`, root);
