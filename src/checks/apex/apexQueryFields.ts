import { ApexLexer } from '@apexdevtools/apex-parser';
import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { codeTokens, type CodeToken } from './apexTokens';

/*
 * The org's own custom fields an inline SOQL query of a class or trigger names on the object it queries
 * (`[SELECT Id, Size__c FROM Thing__c WHERE Colour__c = :c]`): the deploy check refuses one the object will not
 * have, with the query engine's multi-line words, where the query is parsed by the SOQL parser the data API
 * already uses. Relationship paths, subqueries, namespaced fields and standard fields are left alone, as are
 * queries the parser cannot read (a bound LIMIT, say).
 */

/**
 * A custom field a query names, where it is in the file, and in the query as the engine shows it: on one line,
 * each run of whitespace one space (the one capture of these words has a query on Row 1).
 */
export interface ApexQueryField {
  object: string;
  field: string;
  lineNumber: number;
  columnNumber: number;
  query: string;
  column: number;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** The org's own custom field names (one `__`: not a managed package's). */
const OWN_CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/;

/** Every field name a condition tree compares. */
function whereFields(where: WhereClause | undefined): string[] {
  if (!where) return [];
  const left = where.left as { field?: string } | undefined;
  return [...(left?.field ? [left.field] : []), ...whereFields('right' in where ? where.right : undefined)];
}

/** The plain field names a query reads, filters and sorts on, in the order they are written. */
function namedFields(query: Query): string[] {
  const selected = query.fields?.flatMap((f) => {
    if (f.type === 'Field') return [f.field];
    if (f.type === 'FieldFunctionExpression') return f.parameters.filter((p): p is string => typeof p === 'string');
    return [];
  }) ?? [];
  const sorted = (Array.isArray(query.orderBy) ? query.orderBy : query.orderBy ? [query.orderBy] : [])
    .flatMap((o) => ('field' in o && o.field ? [o.field] : []));
  return [...selected, ...whereFields(query.where), ...sorted];
}

/** The custom fields of each query, in the order written: the check refuses the first missing one, as the engine stops there. */
export function queryFieldsUsed(source: string): ApexQueryField[][] {
  const text = source.replace(/^\uFEFF/, '');
  const tokens = codeTokens(source);
  const found: ApexQueryField[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== ApexLexer.LBRACK || tokens[i + 1]?.type !== ApexLexer.SELECT || tokens[i - 1]?.inQuery) continue;
    const close = closingBracket(tokens, i);
    if (close < 0) continue;
    const fields = queryFields(text, tokens, i, close);
    if (fields.length) found.push(fields);
    i = close;
  }
  return found;
}

function closingBracket(tokens: CodeToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.type === ApexLexer.LBRACK) depth++;
    else if (tokens[j]!.type === ApexLexer.RBRACK && --depth === 0) return j;
  }
  return -1;
}

/** The custom fields of the query between tokens `open` and `close`, each at its first place in the query. */
function queryFields(text: string, tokens: CodeToken[], open: number, close: number): ApexQueryField[] {
  const [from, to] = [tokens[open]!.start + 1, tokens[close]!.start];
  if (text[from - 1] !== '[' || text[to] !== ']') return []; // offsets the lexer counted otherwise (astral characters)
  const queryText = text.slice(from, to);
  let query: Query;
  try {
    query = parseQuery(queryText, { allowApexBindVariables: true });
  } catch {
    return [];
  }
  const object = query.sObject;
  if (!object) return [];
  const leading = queryText.length - queryText.trimStart().length;
  const shown = oneLine(queryText.trim());
  const seen = new Set<string>();
  const out: ApexQueryField[] = [];
  for (const field of namedFields(query)) {
    if (!OWN_CUSTOM_FIELD.test(field) || seen.has(field.toLowerCase())) continue;
    seen.add(field.toLowerCase());
    const at = tokens.slice(open + 1, close).find((t, k, inside) => t.text.toLowerCase() === field.toLowerCase()
      && inside[k - 1]?.type !== ApexLexer.DOT && inside[k + 1]?.type !== ApexLexer.DOT);
    if (!at) continue;
    const column = oneLine(text.slice(from + leading, at.start)).length + 1;
    out.push({ object, field, lineNumber: at.line, columnNumber: at.column, query: shown, column });
  }
  return out;
}
