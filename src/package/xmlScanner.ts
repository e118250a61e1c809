import { XmlLimits } from './xmlBounds';

/** An element of a scanned document, with where it stands in the text and in the file. */
export interface XmlElement {
  /** The qualified name, as written (`md:fields`). */
  name: string;
  /** The name without its prefix (`fields`). */
  local: string;
  /** The namespace its prefix (or the default namespace) is bound to where it stands. */
  ns: string | undefined;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Its character data, entities decoded; for an element with children, only text that is not blank. */
  text: string;
  line: number;
  column: number;
  /** Offsets in the text: the start tag's `<`, and just past the end tag's `>`. */
  start: number;
  end: number;
}

/** A document that is not well formed: the parser's sentence (the JDK's Xerces wording, as real orgs give it) and where. */
export class XmlSyntaxError extends Error {
  constructor(readonly problem: string, readonly line: number, readonly column: number) {
    super(problem);
  }
}

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// XML 1.0 Char production: what a character reference may stand for.
const isXmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

// XML 1.0 NameStartChar and NameChar, for the rare name that is not plain ASCII.
const NAME = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD.\-0-9\u00B7\u0300-\u036F\u203F-\u2040]*$/;

const isAsciiNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
const isAsciiNameChar = (c: number) => isAsciiNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
const isBlank = (s: string) => blankBetween(s, 0, s.length);

// Shared by every element without attributes or children (most of a metadata file's): a profile
// package has a million leaves, and an object and an array each for them were most of the reading's garbage.
export interface ScanOptions {
  limits?: typeof XmlLimits;
  /**
   * Takes each child of the root as soon as it ends, instead of the root keeping it: a reader that
   * checks and keeps what it needs of each lets the rest go at once. A large file (a profile of 16,000
   * field permissions) then never holds its whole tree, which was most of its reading's cost in
   * garbage collection. The root's `children` stay empty.
   */
  onTopLevel?: (child: XmlElement, root: XmlElement) => void;
}

function blankBetween(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isSpace(text.charCodeAt(k))) return false;
  return true;
}

const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

/**
 * Reads a document in one pass: checks that it is well formed (the first fault in the words of the
 * JDK's Xerces parser, which real orgs use, with its line and column), resolves namespaces, decodes
 * entities and builds the elements with their positions. Written here because no library does all of
 * that at once: fast-xml-parser checks with positions but builds its tree without them, and a tree
 * from saxes's events cost three times this pass (bench/RESULTS.md). One pass matters: a profile deploy
 * reads tens of megabytes of XML. What it refuses beyond well-formedness: entity references other than
 * the five predefined ones (a DOCTYPE is refused before), character references to non-characters,
 * unbound prefixes, any DOCTYPE (so no entity can be declared), and the nesting and attribute bounds
 * of xmlBounds.ts. The caller checks the characters first (xmlBounds.ts's invalidCharacterAt).
 *
 * `defaultNs`: the namespace of unprefixed elements where no xmlns says otherwise.
 */
export function scanXml(text: string, defaultNs?: string, options: ScanOptions = {}): XmlElement {
  const { limits = XmlLimits, onTopLevel } = options;
  const stack: XmlElement[] = [];
  const scopes: Record<string, string>[] = [defaultNs ? { '': defaultNs } : {}];
  let root: XmlElement | undefined;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  // A byte order mark is not part of the document (nor of its first line's columns).
  const documentStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  /** Counts the lines of `text[from, to)`. */
  const linesUpTo = (from: number, to: number) => {
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < to; nl = text.indexOf('\n', nl + 1)) { line++; lineStart = nl + 1; }
  };
  const errorAt = (index: number, problem: string): XmlSyntaxError => {
    linesUpTo(lineStart, index);
    return new XmlSyntaxError(problem, line, index - lineStart + 1);
  };
  const unterminated = () => errorAt(n, 'XML document structures must start and end within the same entity.');
  const badMarkup = (at: number) => errorAt(at, root === undefined
    ? 'The markup in the document preceding the root element must be well-formed.'
    : stack.length ? 'The content of elements must consist of well-formed character data or markup.'
      : 'The markup in the document following the root element must be well-formed.');

  /** The name starting at `from` (its end), or `from` when none starts there. */
  const nameEnd = (from: number): number => {
    let k = from;
    const first = text.charCodeAt(k);
    if (isAsciiNameStart(first)) {
      k++;
      while (k < n && isAsciiNameChar(text.charCodeAt(k))) k++;
      if (k >= n || text.charCodeAt(k) < 0x80) return k;
    } else if (first < 0x80) return from;
    // A name with characters beyond ASCII: up to the next delimiter, then the full production.
    while (k < n && !isSpace(text.charCodeAt(k)) && !'/>=<"\''.includes(text[k]!)) k++;
    const end = NAME.test(text.slice(from, k)) ? k : from;
    return end;
  };

  const decode = (raw: string, offset: number): string =>
    raw.replace(/&([^;<&\s]*)(;?)/g, (match, ref: string, semi: string, at: number) => {
      if (!semi || ref === '') throw errorAt(offset + at, "The entity name must immediately follow the '&' in the entity reference.");
      if (ref in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[ref]!;
      const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (!numeric) {
        if (ref.startsWith('#')) throw errorAt(offset + at, `A decimal or hexadecimal character reference is malformed: ${match}`);
        throw errorAt(offset + at, `The entity "${ref}" was referenced, but not declared.`);
      }
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
      if (!isXmlChar(code)) throw errorAt(offset + at, `Character reference "&${ref}" is an invalid XML character.`);
      return String.fromCodePoint(code);
    });

  const addText = (value: string) => {
    const el = stack[stack.length - 1]!;
    if (onTopLevel && stack.length === 1) return; // the root's own text, between the children it passes on
    if (el.children.length === 0 || !isBlank(value)) el.text = el.text === '' ? value : el.text + value;
  };

  /** Character data from `from` to `to`. */
  const characters = (from: number, to: number) => {
    if (!stack.length) {
      for (let k = from; k < to; k++) {
        if (!isSpace(text.charCodeAt(k))) throw errorAt(k, root ? 'Content is not allowed in trailing section.' : 'Content is not allowed in prolog.');
      }
      linesUpTo(from, to);
      return;
    }
    // Blank space between elements is neither kept nor copied: half of a metadata file's text segments.
    const el = stack[stack.length - 1]!;
    if ((el.children.length || (onTopLevel && stack.length === 1)) && blankBetween(text, from, to)) {
      linesUpTo(from, to);
      return;
    }
    const raw = text.slice(from, to);
    const bracket = raw.indexOf(']]>');
    if (bracket >= 0) throw errorAt(from + bracket, 'The character sequence "]]>" must not appear in content unless used to mark the end of a CDATA section.');
    const value = raw.includes('&') ? decode(raw, from) : raw;
    linesUpTo(from, to);
    addText(value);
  };

  /** A start tag at `lt`; returns the index after it. */
  const startTag = (lt: number): number => {
    const column = lt - lineStart + 1;
    const tagLine = line;
    const afterName = nameEnd(lt + 1);
    if (afterName === lt + 1) throw badMarkup(lt + 1);
    if (root && !stack.length) throw errorAt(lt, 'The markup in the document following the root element must be well-formed.');
    const name = text.slice(lt + 1, afterName);
    if (stack.length >= limits.maxDepth) {
      throw errorAt(lt, `The element "${name}" has a depth of "${stack.length + 1}" that exceeds the limit "${limits.maxDepth}" imposed by Localforce.`);
    }
    let attributes = NO_ATTRIBUTES;
    let count = 0;
    let k = afterName;
    let selfClosing = false;
    for (;;) {
      const spaceFrom = k;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (k >= n) throw unterminated();
      const c = text.charCodeAt(k);
      if (c === 0x3e /* > */) { k++; break; }
      if (c === 0x2f /* / */) {
        if (text.charCodeAt(k + 1) !== 0x3e) throw errorAt(k + 1, `Element type "${name}" must be followed by either attribute specifications, ">" or "/>".`);
        selfClosing = true;
        k += 2;
        break;
      }
      const attrEnd = nameEnd(k);
      if (k === spaceFrom || attrEnd === k) throw errorAt(k, `Element type "${name}" must be followed by either attribute specifications, ">" or "/>".`);
      const attr = text.slice(k, attrEnd);
      k = attrEnd;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 0x3d /* = */) throw errorAt(k, `Attribute name "${attr}" associated with an element type "${name}" must be followed by the ' = ' character.`);
      k++;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      const quote = text.charCodeAt(k);
      if (quote !== 0x22 && quote !== 0x27) throw errorAt(k, `Open quote is expected for attribute "${attr}" associated with an  element type  "${name}".`);
      const close = text.indexOf(quote === 0x22 ? '"' : "'", k + 1);
      if (close < 0) throw unterminated();
      const raw = text.slice(k + 1, close);
      const less = raw.indexOf('<');
      if (less >= 0) throw errorAt(k + 1 + less, `The value of attribute "${attr}" associated with an element type "${name}" must not contain the '<' character.`);
      if (++count > limits.maxAttributes) {
        throw errorAt(lt, `Element "${name}" has more than "${limits.maxAttributes}" attributes, "${limits.maxAttributes}" is the limit imposed by Localforce.`);
      }
      if (attributes === NO_ATTRIBUTES) attributes = {};
      else if (attr in attributes) throw errorAt(k, `Attribute "${attr}" was already specified for element "${name}".`);
      attributes[attr] = raw.includes('&') ? decode(raw, k + 1) : raw;
      k = close + 1;
    }
    // An element shares its parent's namespace bindings unless it declares its own (most never do).
    let scope = scopes[scopes.length - 1]!;
    if (attributes !== NO_ATTRIBUTES) {
      for (const a in attributes) {
        if (a !== 'xmlns' && !a.startsWith('xmlns:')) continue;
        if (scope === scopes[scopes.length - 1]) scope = { ...scope };
        scope[a === 'xmlns' ? '' : a.slice(6)] = attributes[a]!;
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    if (prefix && !(prefix in scope)) throw new XmlSyntaxError(`The prefix "${prefix}" for element "${name}" is not bound.`, tagLine, column);
    const el: XmlElement = {
      name, local: colon < 0 ? name : name.slice(colon + 1), ns: scope[prefix] || undefined, attributes,
      children: NO_CHILDREN, text: '', line: tagLine, column, start: lt, end: k,
    };
    if (onTopLevel && stack.length === 1) {
      if (selfClosing) onTopLevel(el, root!);
    } else if (stack.length) {
      const parent = stack[stack.length - 1]!;
      if (parent.children === NO_CHILDREN) {
        if (isBlank(parent.text)) parent.text = '';
        parent.children = [el];
      } else parent.children.push(el);
    } else root = el;
    linesUpTo(afterName, k);
    if (!selfClosing) { stack.push(el); scopes.push(scope); }
    return k;
  };

  /** An end tag at `lt`; returns the index after it. */
  const endTag = (lt: number): number => {
    const afterName = nameEnd(lt + 2);
    const name = text.slice(lt + 2, afterName);
    const open = stack[stack.length - 1];
    if (!open) throw errorAt(lt, 'The markup in the document following the root element must be well-formed.');
    if (name !== open.name) throw errorAt(lt, `The element type "${open.name}" must be terminated by the matching end-tag "</${open.name}>".`);
    let k = afterName;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    if (k >= n) throw unterminated();
    if (text.charCodeAt(k) !== 0x3e) throw errorAt(afterName, `The end-tag for element type "${name}" must end with a '>' delimiter.`);
    linesUpTo(afterName, k);
    open.end = k + 1;
    stack.pop();
    scopes.pop();
    if (onTopLevel && stack.length === 1) onTopLevel(open, root!);
    return k + 1;
  };

  /** A comment, CDATA section or processing instruction at `lt`; returns the index after it. */
  const special = (lt: number): number => {
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw unterminated();
      const dashes = text.indexOf('--', lt + 4);
      if (dashes < end) throw errorAt(dashes, 'The string "--" is not permitted within comments.');
      linesUpTo(lt, end);
      return end + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      if (!stack.length) throw badMarkup(lt + 1);
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw unterminated();
      addText(text.slice(lt + 9, end));
      linesUpTo(lt, end);
      return end + 3;
    }
    if (text.charCodeAt(lt + 1) === 0x3f /* ? */) {
      const targetEnd = nameEnd(lt + 2);
      if (targetEnd === lt + 2) throw errorAt(lt + 2, 'The processing instruction must begin with the name of the target.');
      if (lt > documentStart && text.slice(lt + 2, targetEnd).toLowerCase() === 'xml') {
        throw errorAt(targetEnd, 'The processing instruction target matching "[xX][mM][lL]" is not allowed.');
      }
      const end = text.indexOf('?>', targetEnd);
      if (end < 0) throw unterminated();
      linesUpTo(lt, end);
      return end + 2;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      throw errorAt(lt, 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.');
    }
    throw badMarkup(lt + 1);
  };

  let i = documentStart;
  lineStart = i;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const to = lt < 0 ? n : lt;
    if (to > i) characters(i, to);
    if (lt < 0) break;
    if (lt + 1 >= n) throw unterminated();
    const next = text.charCodeAt(lt + 1);
    i = next === 0x2f /* / */ ? endTag(lt) : next === 0x21 /* ! */ || next === 0x3f /* ? */ ? special(lt) : startTag(lt);
  }
  if (!root) throw errorAt(n, 'Premature end of file.');
  // A document that ends with elements open: the innermost one is where to look.
  const open = stack[stack.length - 1];
  if (open) throw new XmlSyntaxError('XML document structures must start and end within the same entity.', open.line, open.column);
  return root;
}
