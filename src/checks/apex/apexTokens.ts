import { ApexLexer, ApexParserFactory } from '@apexdevtools/apex-parser';

/** A token of the code: its type and text, where it starts (1-based line and column; offset in the source), and whether it stands inside a query. */
export interface CodeToken { type: number; text: string; line: number; column: number; start: number; inQuery: boolean }

/** Tokens that open a query inside `[...]`, whose names are fields and objects of SOQL or SOSL, not Apex types. */
const QUERY_STARTS = new Set([ApexLexer.SELECT, ApexLexer.FIND]);

/** Whether a token is a word: an identifier, or one of the many keywords Apex lets a name be (`user`, `limit`). */
export const isWord = (t: CodeToken | undefined): boolean => !!t && /^[A-Za-z]\w*$/.test(t.text);

/** The last source lexed and its tokens: each check of one class reads the same tokens. */
let last: { source: string; tokens: CodeToken[] } | undefined;

/** The tokens of the code (no whitespace or comments), each marked when it stands inside a query (`[SELECT …]`). */
export function codeTokens(source: string): CodeToken[] {
  if (last?.source === source) return last.tokens;
  const lexer = ApexParserFactory.createLexer(source.replace(/^\uFEFF/, ''));
  lexer.removeErrorListeners(); // the syntax check reports what the lexer cannot read
  const tokens = lexer.getAllTokens().filter((t) => t.channel === 0);
  let queryDepth = 0;
  const code = tokens.map((token, i) => {
    if (token.type === ApexLexer.LBRACK && (queryDepth || QUERY_STARTS.has(tokens[i + 1]?.type ?? -1))) queryDepth++;
    const inQuery = queryDepth > 0;
    if (token.type === ApexLexer.RBRACK && queryDepth) queryDepth--;
    return { type: token.type, text: token.text, line: token.line, column: token.column + 1, start: token.start, inQuery };
  });
  last = { source, tokens: code };
  return code;
}

