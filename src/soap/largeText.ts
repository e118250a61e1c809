import { randomBytes } from 'node:crypto';

/**
 * Large base64 payloads (a deploy's ZipFile: up to 50 MB) set aside before an envelope is checked and
 * parsed. fast-xml-parser builds text one character at a time, about a second per megabyte: a 1 MB
 * deploy held the event loop for a second. The payload is plain base64, whose characters need no XML
 * decoding, so it is cut out with indexOf and a native regex test, a short placeholder takes its
 * place, and the parsed value gets it back. The parse then costs what the structure costs.
 */
const MIN_CHARS = 8 * 1024;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;

export interface SetAside {
  xml: string;
  restore<T>(value: T): T;
}

export function setAsideLargeText(xml: string): SetAside {
  const texts: string[] = [];
  const marker = `lfblob${randomBytes(6).toString('hex')}x`;
  let out = '';
  let copied = 0;
  for (let gt = xml.indexOf('>'); gt >= 0; gt = xml.indexOf('>', gt + 1)) {
    const lt = xml.indexOf('<', gt + 1);
    if (lt < 0) break;
    if (lt - gt - 1 >= MIN_CHARS) {
      const text = xml.slice(gt + 1, lt);
      if (BASE64_TEXT.test(text)) {
        out += `${xml.slice(copied, gt + 1)}${marker}${texts.length}`;
        texts.push(text);
        copied = lt;
      }
    }
    gt = lt - 1;
  }
  if (!texts.length) return { xml, restore: (v) => v };
  out += xml.slice(copied);
  const placeholder = new RegExp(`^${marker}(\\d+)$`);
  const restore = <T>(value: T): T => {
    if (typeof value === 'string') {
      const m = placeholder.exec(value);
      return (m ? texts[Number(m[1])]!.trim() : value) as T;
    }
    if (Array.isArray(value)) return value.map(restore) as T;
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = restore(v);
    }
    return value;
  };
  return { xml: out, restore };
}
