/**
 * The session id of a SOAP request, read from the start of the envelope before the envelope is
 * parsed, so that a caller without a valid session costs no more than this: SOAP puts the Header
 * before the Body, and a SessionHeader is a few hundred bytes. The full parse later reads the same
 * header again, and the request goes on only if both agree (see src/http/metadataSoapEndpoint.ts).
 */

/** How far into the message the Header may reach. */
export const HEADER_WINDOW_CHARS = 64 * 1024;

const PREFIX = '(?:[A-Za-z_][\\w.-]*:)?';
const BODY_START = new RegExp(`<${PREFIX}Body[\\s/>]`);
const SESSION_ID = new RegExp(`<${PREFIX}sessionId(?:\\s[^<>]*)?>([^<]*)</${PREFIX}sessionId\\s*>`);
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };

/** The sessionId of the SessionHeader before the Body, trimmed, or undefined when there is none in the window. */
export function peekSessionId(xml: string): string | undefined {
  const window = xml.slice(0, HEADER_WINDOW_CHARS);
  const body = BODY_START.exec(window);
  const header = body ? window.slice(0, body.index) : window;
  const match = SESSION_ID.exec(header);
  if (!match) return undefined;
  const id = match[1]!.replace(/&(?:lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e]!).trim();
  return id || undefined;
}
