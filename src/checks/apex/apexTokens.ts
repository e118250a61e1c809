import { ApexLexer, ApexParser, ApexParserFactory } from '@apexdevtools/apex-parser';

/** A token of the code: its type and text, where it starts (1-based line and column; offset in the source), and whether it stands inside a query. */
export interface CodeToken { type: number; text: string; line: number; column: number; start: number; inQuery: boolean }

/** Tokens that open a query inside `[...]`, whose names are fields and objects of SOQL or SOSL, not Apex types. */
const QUERY_STARTS = new Set([ApexLexer.SELECT, ApexLexer.FIND]);

/** Whether a token is a word: an identifier, or one of the many keywords Apex lets a name be (`user`, `limit`). */
export const isWord = (t: CodeToken | undefined): boolean => !!t && /^[A-Za-z]\w*$/.test(t.text);

/**
 * The tokens the grammar lets stand as a name (its `id` rule): identifiers, and the soft keywords (`user`,
 * `geolocation`, `network`…), read from the parser's own ATN rather than listed here, so a new grammar brings its own.
 */
let nameTokens: { contains(type: number): boolean } | undefined;
function namesTheGrammarAllows() {
  const atn = ApexParser._ATN;
  return (nameTokens ??= atn.nextTokens(atn.ruleToStartState[ApexParser.RULE_id]!));
}

/** Whether a token may be a name: an identifier, or a keyword Apex also takes as a name (not `return`, `new`…). */
export const isName = (t: CodeToken | undefined): boolean => !!t && namesTheGrammarAllows().contains(t.type);

/**
 * The tokens of the source being analysed, which every scan of it reads (withTokens), and the token objects they
 * are written into, kept from one analysis to the next. Allocated afresh, a 5,000-class deploy's tokens (about
 * 65 MB of small objects) were all moved to the old generation by V8, which then grew by that much before a full
 * collection: the bench's Apex deploy grew by twice as much.
 */
let shared: { source: string; tokens: CodeToken[] } | undefined;
const pool: CodeToken[] = [];

/** Runs the scans of one source with its tokens read once; the scans keep none of the token objects. */
export function withTokens<T>(source: string, scan: () => T): T {
  shared = { source, tokens: lex(source, pool) };
  try {
    return scan();
  } finally {
    shared = undefined;
  }
}

/** The tokens of the code (no whitespace or comments), each marked when it stands inside a query (`[SELECT …]`). */
export function codeTokens(source: string): CodeToken[] {
  return shared?.source === source ? shared.tokens : lex(source, []);
}

/** Reads the tokens one at a time into `into`'s objects (reused, then new ones), and returns those filled. */
function lex(source: string, into: CodeToken[]): CodeToken[] {
  const text = source.replace(/^\uFEFF/, '');
  const lexer = ApexParserFactory.createLexer(text);
  lexer.removeErrorListeners(); // the syntax check reports what the lexer cannot read
  // The lexer counts in code points: its offsets are the string's only when no character takes two units.
  const sliceable = !/[\uD800-\uDFFF]/.test(text);
  let n = 0;
  let queryDepth = 0;
  let queryOpening = false;
  for (let token = lexer.nextToken(); token.type !== ApexLexer.EOF; token = lexer.nextToken()) {
    if (token.channel !== 0) continue;
    const t: CodeToken = into[n] ?? (into[n] = { type: 0, text: '', line: 0, column: 0, start: 0, inQuery: false });
    t.type = token.type;
    // A slice of the source, not the lexer's text, which it builds a character at a time.
    t.text = sliceable ? text.slice(token.start, token.stop + 1) : token.text;
    t.line = token.line;
    t.column = token.column + 1;
    t.start = token.start;
    // A `[` opens a query when SELECT or FIND follows it (or inside one): settled when the next token is read.
    if (queryOpening) {
      if (QUERY_STARTS.has(t.type)) queryDepth++;
      else into[n - 1]!.inQuery = false;
      queryOpening = false;
    }
    if (t.type === ApexLexer.LBRACK) {
      if (queryDepth) queryDepth++;
      else queryOpening = true;
    }
    t.inQuery = queryDepth > 0 || queryOpening;
    if (t.type === ApexLexer.RBRACK && queryDepth) queryDepth--;
    n++;
  }
  if (queryOpening) into[n - 1]!.inQuery = false;
  return into.slice(0, n);
}
