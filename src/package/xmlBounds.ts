/**
 * Bounds on the shape of an XML document, checked in one linear pass before any parser sees it.
 * fast-xml-parser builds its tree recursively and keeps every attribute of an element, so a deeply
 * nested document overflows the stack and one element with a million attributes holds the event
 * loop for seconds. Real metadata files and SOAP messages stay far below these numbers.
 */
export const XmlLimits = {
  /** Nesting depth: metadata files nest about 10 deep, SOAP messages a few more. */
  maxDepth: 100,
  /** Attributes of one element: namespace declarations and xsi:type/xsi:nil in practice. */
  maxAttributes: 64,
};

/** What is wrong, where, in the words of the JDK's XML parser (the real service's), which has the same kind of limits. */
export interface XmlBoundsProblem {
  problem: string;
  line: number;
  column: number;
}

// XML 1.0 excludes these characters everywhere, raw or as references (references are checked where they are decoded).
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Line and column of `index` (only computed for the one problem reported). */
function positionOf(text: string, index: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return [line, index - lineStart + 1];
}

const problemAt = (text: string, index: number, problem: string): XmlBoundsProblem => {
  const [line, column] = positionOf(text, index);
  return { problem, line, column };
};

/** The JDK parser's sentence for the first character XML excludes in `text`, if there is one. */
export function invalidCharacterIn(text: string): string | undefined {
  const bad = INVALID_CHAR.exec(text);
  return bad ? `An invalid XML character (Unicode: 0x${bad[0].charCodeAt(0).toString(16).toUpperCase()}) was found in the content of the document.` : undefined;
}

/** The first character XML excludes in `text`, in the JDK parser's words, with its position. */
export function invalidCharacterAt(text: string): XmlBoundsProblem | undefined {
  const bad = INVALID_CHAR.exec(text);
  return bad ? problemAt(text, bad.index, invalidCharacterIn(text)!) : undefined;
}

/**
 * The first bound `text` breaks, or undefined. Linear in the text: markup is found with indexOf and
 * only the inside of tags is read character by character. Well-formedness itself is left to the parser.
 */
export function checkXmlBounds(text: string, limits = XmlLimits): XmlBoundsProblem | undefined {
  const invalid = invalidCharacterAt(text);
  if (invalid) return invalid;
  let depth = 0;
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
    const next = text.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) { depth--; continue; }
    if (next === 0x3f /* ? */) { const end = text.indexOf('?>', lt); if (end < 0) return undefined; lt = end; continue; }
    if (next === 0x21 /* ! */) {
      const terminator = text.startsWith('<!--', lt) ? '-->' : text.startsWith('<![CDATA[', lt) ? ']]>' : '>';
      const end = text.indexOf(terminator, lt);
      if (end < 0) return undefined;
      lt = end;
      continue;
    }
    // An element's start tag: count its attributes (each has one quoted value) up to the unquoted `>`.
    let attributes = 0;
    let quote = 0;
    let at = lt + 1;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (quote) { if (c === quote) quote = 0; continue; }
      if (c === 0x22 || c === 0x27) {
        quote = c;
        if (++attributes > limits.maxAttributes) {
          return problemAt(text, lt, `Element "${tagName(text, lt)}" has more than "${limits.maxAttributes}" attributes, "${limits.maxAttributes}" is the limit imposed by Localforce.`);
        }
      } else if (c === 0x3e /* > */) break;
    }
    if (text.charCodeAt(at - 1) !== 0x2f /* self-closing */ && ++depth > limits.maxDepth) {
      return problemAt(text, lt, `The element "${tagName(text, lt)}" has a depth of "${depth}" that exceeds the limit "${limits.maxDepth}" imposed by Localforce.`);
    }
    lt = at;
  }
  return undefined;
}

const tagName = (text: string, lt: number): string => /^[^\s/>]{1,100}/.exec(text.slice(lt + 1, lt + 101))?.[0] ?? '';
