/*
 * How the console talks to Localforce: as a client of the org, with its bearer session, through
 * the same Metadata API (SOAP) and REST endpoints clients use, plus /console/api for what those
 * APIs do not offer. Every call says it comes from the console, so the Requests page can leave
 * the console's own calls out.
 */

const SESSION_KEY = 'localforce.console.session';
const CONSOLE_HEADER = { 'x-localforce-console': '1' };

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null'); } catch { return null; }
  },
  set(value) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
};

/** Called when the session ends (a 401 or INVALID_SESSION_ID): the app goes back to sign-in. */
let onSignedOut = () => {};
export const whenSignedOut = (callback) => { onSignedOut = callback; };

function expired() {
  session.clear();
  onSignedOut();
}

/** A JSON call with the org's bearer session; REST errors (`[{message, errorCode}]`) become ApiErrors. */
export async function rest(path, { method = 'GET', body, headers = {}, token = session.get()?.token, raw = false } = {}) {
  const res = await fetch(path, {
    method, body,
    headers: { ...CONSOLE_HEADER, Authorization: `Bearer ${token}`, ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  if (res.status === 401) {
    expired();
    throw new ApiError('Your session has ended. Sign in again.', 'INVALID_SESSION_ID', 401);
  }
  if (raw && res.ok) return res;
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = text; }
  if (!res.ok) {
    const first = Array.isArray(data) ? data[0] : undefined;
    throw new ApiError(first?.message ?? `${res.status} ${res.statusText}`, first?.errorCode, res.status);
  }
  return data;
}

export const consoleApi = (path, options) => rest(`/console/api${path}`, options);
export const dataApi = (path, options) => rest(`/services/data/v${session.get()?.apiVersion ?? '66.0'}${path}`, options);

/** Signs in with a username and password (OAuth password grant) or an access token, and checks it. */
export async function signIn({ username, password, accessToken }) {
  let token = accessToken?.trim();
  if (!token) {
    const res = await fetch('/services/oauth2/token', {
      method: 'POST', headers: { ...CONSOLE_HEADER, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: username.trim(), password }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(data.error === 'invalid_grant' ? 'Check your username and password: the org does not know them.' : (data.error_description ?? 'Sign-in failed'), data.error);
    token = data.access_token;
  }
  let org;
  try {
    org = await consoleApi('/org', { token });
  } catch (err) {
    if (err.status === 401) throw new ApiError('The org does not know this access token: check it, or sign in with a username and password.');
    throw err;
  }
  session.set({ token, orgId: org.id, apiVersion: org.apiVersion });
  // The same session as the browser's (the sid cookie), as the real service's frontdoor gives it: the org's
  // identity provider signs the console's user in to its service providers.
  await fetch(`/secur/frontdoor.jsp?sid=${encodeURIComponent(token)}`, { headers: CONSOLE_HEADER, redirect: 'manual' }).catch(() => {});
  return org;
}

const escapeXml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** `{a: 1, b: [2, 3]}` → `<a>1</a><b>2</b><b>3</b>`; undefined fields are left out. */
export function xml(fields) {
  return Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : Array.isArray(value) ? value : [value])
    .map((v) => (v !== null && typeof v === 'object' && !v.xsiType ? `<${name}>${xml(v)}</${name}>`
      : v?.xsiType ? `<${name} xsi:type="${v.xsiType}">${xml(v.fields)}</${name}>` : `<${name}>${escapeXml(v)}</${name}>`))).join('');
}

/** An element as plain data: text for simple elements, objects for complex ones, arrays for repeats. */
function toData(element) {
  if (element.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') === 'true') return null;
  const children = [...element.children];
  if (!children.length) return element.textContent;
  const out = {};
  for (const child of children) {
    const value = toData(child);
    const name = child.localName;
    if (name in out) out[name] = [].concat(out[name], value);
    else out[name] = value;
  }
  return out;
}

/** A Metadata API call: the operation's element body in, its `result`(s) out; a fault becomes an ApiError. */
export async function metadata(operation, fields) {
  const { token, apiVersion } = session.get() ?? {};
  const envelope = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://soap.sforce.com/2006/04/metadata">' +
    `<soapenv:Header><SessionHeader><sessionId>${escapeXml(token ?? '')}</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body><${operation}>${xml(fields)}</${operation}></soapenv:Body></soapenv:Envelope>`;
  const res = await fetch(`/services/Soap/m/${apiVersion ?? '66.0'}`, {
    method: 'POST', body: envelope, headers: { ...CONSOLE_HEADER, 'content-type': 'text/xml; charset=utf-8', SOAPAction: '""' },
  });
  const doc = new DOMParser().parseFromString(await res.text(), 'text/xml');
  const fault = doc.getElementsByTagNameNS('*', 'Fault')[0];
  if (fault) {
    const code = fault.getElementsByTagName('faultcode')[0]?.textContent ?? '';
    const message = fault.getElementsByTagName('faultstring')[0]?.textContent ?? 'The call failed';
    if (code.endsWith('INVALID_SESSION_ID')) expired();
    throw new ApiError(message, code.replace(/^\w+:/, ''), res.status);
  }
  const response = doc.getElementsByTagNameNS('*', 'Body')[0]?.firstElementChild;
  return [...(response?.children ?? [])].filter((e) => e.localName === 'result').map(toData);
}

/** SaveResult / DeleteResult errors as one sentence, or undefined when every record succeeded. */
export function saveProblems(results) {
  const problems = results.filter((r) => r.success !== 'true')
    .flatMap((r) => [].concat(r.errors ?? []).map((e) => `${r.fullName}: ${e.message}`));
  return problems.length ? problems.join('\n') : undefined;
}

/** Saves bytes (or text) as a file in the browser's downloads. */
export function download(name, data, type = 'application/octet-stream') {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const base64ToText = (b64) => new TextDecoder().decode(Uint8Array.from(atob(b64 ?? ''), (c) => c.charCodeAt(0)));
export function textToBase64(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
export const base64ToBlob = (b64, type) => new Blob([Uint8Array.from(atob(b64 ?? ''), (c) => c.charCodeAt(0))], { type });
