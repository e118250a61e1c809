/**
 * Secrets out of everything Localforce shows of a call (log lines, request records, the console):
 * session ids and access tokens, passwords, client and keystore secrets, private keys, JWT bearer
 * assertions and SFDX auth URLs (which carry a refresh token). What is
 * removed is replaced by a marker, so a reader sees that something was there.
 */

export const REDACTED = '[redacted]';

/**
 * Field, element, header and parameter names whose values are secrets: names that end in one of these
 * words (`keystorePassword`, `access_token`), so `passwordExpired` and `privateKeyExportable` stay.
 */
const SECRET_NAME = /(?:password|passwd|secret|token|session[_-]?id|private[_-]?key|api[_-]?key|passphrase|assertion|auth[_-]?url|^sid|^authorization|^cookie)$/i;

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** Session ids and access tokens look like `<orgId>!<secret>`: the org id stays, the secret goes. */
const SESSION_ID = /\b(00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)![0-9A-Za-z._~+/=-]+/g;
/** A PEM private key of any kind, or the start of one cut off by truncation. */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const PRIVATE_KEY_MARK = '[private key redacted]';

/** Session ids and private keys anywhere in a text. */
export function redactText(text: string): string {
  return text.replace(SESSION_ID, `$1!${REDACTED}`).replace(PEM_PRIVATE_KEY, PRIVATE_KEY_MARK);
}

/** Base64 runs at least this long are data (zips, certificates), shown by size rather than as text. */
const LONG_BASE64 = 512;
/** Shorter base64 runs are decoded to look for a private key (an EC key is about 300 characters). */
const SHORT_BASE64 = 64;

/** A base64 value: a private key inside is redacted, long data is summarised by size. */
function redactBase64(value: string): string | undefined {
  if (value.length < SHORT_BASE64) return undefined;
  const compact = value.replace(/\s+/g, '');
  if (compact.length < SHORT_BASE64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  // Long data is replaced whole, so only short values need decoding (a deploy zip is never decoded here).
  if (compact.length >= LONG_BASE64) return `[base64 data, ${Math.floor((compact.length * 3) / 4).toLocaleString('en-US')} bytes]`;
  return Buffer.from(compact, 'base64').toString('latin1').includes('PRIVATE KEY') ? PRIVATE_KEY_MARK : undefined;
}

/** Elements with text only: secrets by element name, base64 data by content. */
const SIMPLE_ELEMENT = /<((?:[\w.-]+:)?([\w.-]+))(\s[^>]*)?>([^<]*)<\/\1>/g;
/** An element left open at the end of a body cut off by truncation (a long zip in a retrieve answer). */
const TRAILING_ELEMENT = /<((?:[\w.-]+:)?([\w.-]+))(\s[^>]*)?>([^<]*)$/;

export function redactXml(xml: string): string {
  const out = xml.replace(SIMPLE_ELEMENT, (whole, tag: string, name: string, attrs: string | undefined, text: string) => {
    if (isSecretName(name) && text.trim()) return `<${tag}${attrs ?? ''}>${REDACTED}</${tag}>`;
    const data = redactBase64(text);
    return data === undefined ? whole : `<${tag}${attrs ?? ''}>${data}</${tag}>`;
  }).replace(TRAILING_ELEMENT, (whole, tag: string, name: string, attrs: string | undefined, text: string) => {
    if (isSecretName(name) && text.trim()) return `<${tag}${attrs ?? ''}>${REDACTED}`;
    const data = redactBase64(text);
    // Cut off: the data went on past what was kept.
    return data === undefined ? whole : `<${tag}${attrs ?? ''}>${data.replace('[base64 data, ', '[base64 data, more than ')}`;
  });
  return redactText(out);
}

/** A JSON value with secret fields replaced, and strings cleaned as text. */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactBase64(value) ?? redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      [k, isSecretName(k) && v !== null && v !== '' ? REDACTED : redactJson(v)]));
  }
  return value;
}

/** `a=1&password=x` → `a=1&password=[redacted]` (form bodies and query strings). */
export function redactForm(text: string): string {
  const params = new URLSearchParams(text);
  const parts: string[] = [];
  for (const [k, v] of params) parts.push(`${k}=${isSecretName(k) && v ? REDACTED : redactText(v)}`);
  return parts.join('&');
}

/** A body as text, cleaned by what its content type says it is. */
export function redactBody(text: string, contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(text)), null, 2);
    } catch {
      return redactText(text);
    }
  }
  if (type.includes('x-www-form-urlencoded')) return redactForm(text);
  if (type.includes('xml') || text.trimStart().startsWith('<')) return redactXml(text);
  return redactText(text);
}

/** Header values, with credentials removed (the scheme of an Authorization header stays). */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name.toLowerCase() === 'authorization') out[name] = /^\S+\s+\S/.test(value) ? `${value.split(/\s+/)[0]} ${REDACTED}` : REDACTED;
    else out[name] = isSecretName(name) ? REDACTED : redactText(value);
  }
  return out;
}
