import { sameId, to15 } from '../../ids';

/**
 * The org's SAML login URL, where identity providers post their responses: the server's own URL with
 * `?so=` and the org's 15-character id, as the real service's "Salesforce Login URL" (without My Domain).
 */
export const orgLoginUrl = (serverUrl: string, orgId: string) => `${serverUrl}/?so=${to15(orgId)}`;

/**
 * Whether a Recipient or Destination names this org's login URL. Compared as URLs, not as text:
 * `https://host?so=…` and `https://host/?so=…` are the same address, and `so` may carry either form of the id.
 */
export function isOrgLoginUrl(value: string, serverUrl: string, orgId: string): boolean {
  try {
    const url = new URL(value);
    const own = new URL(serverUrl);
    const so = url.searchParams.get('so');
    return url.origin === own.origin && url.pathname === '/' && so !== null && sameId(so, orgId);
  } catch {
    return false;
  }
}
