import { randomBytes } from 'node:crypto';

/**
 * Large base64 payloads (a deploy's ZipFile: up to 50 MB) set aside before a message is read. A SAX
 * parser checks text one character at a time: an 11 MB ZipFile held the event loop for most of a
 * second. The payload is plain base64, whose characters need no XML decoding, so it is cut out with
 * indexOf and a native regex test, a short placeholder takes its place, and the reader gets it back
 * when it meets the placeholder as an element's text. The read then costs what the structure costs.
 */
const MIN_CHARS = 8 * 1024;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;

export interface SetAside {
  /** The message with each large payload replaced by a placeholder. */
  xml: string;
  /** An element's text as the reader met it: a placeholder gives back its payload, trimmed. */
  text(value: string): string;
}

export function setAsideLargeText(xml: string): SetAside {
  const texts: string[] = [];
  let marker = ''; // made for the first payload only: most messages have none
  let out = '';
  let copied = 0;
  for (let gt = xml.indexOf('>'); gt >= 0; gt = xml.indexOf('>', gt + 1)) {
    const lt = xml.indexOf('<', gt + 1);
    if (lt < 0) break;
    if (lt - gt - 1 >= MIN_CHARS) {
      const text = xml.slice(gt + 1, lt);
      if (BASE64_TEXT.test(text)) {
        marker ||= `lfblob${randomBytes(6).toString('hex')}x`;
        out += `${xml.slice(copied, gt + 1)}${marker}${texts.length}`;
        texts.push(text);
        copied = lt;
      }
    }
    gt = lt - 1;
  }
  if (!texts.length) return { xml, text: (value) => value };
  out += xml.slice(copied);
  const placeholder = new RegExp(`^${marker}(\\d+)$`);
  return {
    xml: out,
    text: (value) => {
      const m = placeholder.exec(value);
      return m ? texts[Number(m[1])]!.trim() : value;
    },
  };
}
