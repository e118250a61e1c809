import { escapeXml } from '../samlXml';

/** The pages a browser sees on the single sign-on path: plain HTML, every value escaped. */
const page = (title: string, body: string, extraHead = '') =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>${extraHead}</head><body>${body}</body></html>\n`;

/**
 * A refused login: the status as the login history names it, and what exactly was wrong. The real
 * service shows users a bare "Single Sign-On Error" and keeps the reason for admins; an emulator is
 * used by the developer who needs the reason, so it is shown.
 */
export function ssoErrorPage(status: string, detail: string): string {
  return page('Single Sign-On Error',
    `<h1>Single Sign-On Error</h1><p id="status">${escapeXml(status)}</p><p id="detail">${escapeXml(detail)}</p>` +
    '<p>The attempt is in the org\'s SAML login history (GET /_localforce/orgs/&lt;orgId&gt;/saml-login-history).</p>');
}

/** The HTTP-POST binding: a form that posts itself to the identity provider (by a button where scripts are off). */
export function autoPostForm(action: string, fields: Record<string, string | undefined>): string {
  const inputs = Object.entries(fields).filter(([, v]) => v !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeXml(name)}" value="${escapeXml(value!)}">`).join('');
  return page('Single Sign-On',
    `<form method="post" action="${escapeXml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>` +
    '<script>document.forms[0].submit();</script>');
}
