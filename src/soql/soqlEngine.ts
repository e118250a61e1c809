import type * as SoqlParser from '@jetstreamapp/soql-parser-js';
import type { FieldType, Query } from '@jetstreamapp/soql-parser-js';
import { atFirstUse } from '../atFirstUse';
import type { Caller } from '../store/orgs';

/**
 * One SOQL engine for the data and Tooling query endpoints. Localforce has no database of records: each
 * object it knows is a table (src/soql/sobjectTables.ts) that hands over its rows for the caller's org,
 * and this engine filters, sorts, cuts and projects them. The grammar is @jetstreamapp/soql-parser-js's;
 * what is written here is the evaluation, which no library does for rows held in memory.
 */

/** A record as a table gives it: field values by API name; a relationship is a nested row with its own `attributes`. */
export type Row = Record<string, unknown>;

export interface SObjectTable {
  /** The API name, as answered in `attributes.type`. */
  name: string;
  /** Which query endpoint knows it. */
  api: 'data' | 'tooling' | 'both';
  /** Every field a query may name; relationship paths (`CreatedBy.Username`) follow nested rows. */
  fields: readonly string[];
  /** The caller's rows; `hint` may narrow them cheaply (the engine filters again). */
  rows(caller: Caller, hint: QueryHint): Row[];
  /** Whether the caller's org has this object at all (the Dev Hub objects exist in hubs only); else it is unsupported. */
  availableTo?(caller: Caller): boolean;
}

/** What a table may use to read less: the query's equality filters on plain fields (lower-cased names). */
export interface QueryHint {
  equals: Map<string, string[]>;
}

// The parser's shapes, as this engine reads them (its own types are unions of every SOQL form).
interface Condition { field?: string; operator: string; value?: string | string[]; openParen?: number; closeParen?: number }
interface WhereClause { left: Condition | null; operator?: string; right?: WhereClause }
interface OrderByClause { field?: string; order?: string; nulls?: string }

export type QueryAnswer =
  | { ok: true; totalSize: number; records: Row[] }
  | { ok: false; status: number; errorCode: string; message: string };

const refusal = (errorCode: string, message: string, status = 400): QueryAnswer => ({ ok: false, status, errorCode, message });

/** The real service's words for an unknown object and an unknown column (INVALID_TYPE, INVALID_FIELD). */
export const invalidType = (object: string): QueryAnswer => refusal('INVALID_TYPE',
  `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
const invalidField = (field: string, object: string): QueryAnswer => refusal('INVALID_FIELD',
  `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);

/** The grammar, loaded at the first query: it takes a tenth of a second or more, which a start should not pay. */
const soqlParser = atFirstUse(() => require('@jetstreamapp/soql-parser-js') as typeof SoqlParser);

export function runSoql(q: string | undefined, table: (name: string) => SObjectTable | undefined, caller: Caller, recordUrl: (type: string, id: unknown) => string): QueryAnswer {
  if (!q || !q.trim()) return refusal('MALFORMED_QUERY', 'A query string (q) is required');
  let query: Query;
  try {
    query = soqlParser().parseQuery(q.trim()) as Query;
  } catch (err) {
    return refusal('MALFORMED_QUERY', `unexpected token in: ${q.trim()} (${(err as Error).message.split('\n')[0]})`);
  }
  const object = query.sObject ?? '';
  const found = table(object);
  if (!found) return invalidType(object);
  const known = new Map(found.fields.map((f) => [f.toLowerCase(), f]));
  const canonical = (path: string): string | undefined => known.get(path.toLowerCase());

  const selected: string[] = [];
  let count = false;
  for (const field of query.fields ?? []) {
    const path = fieldPath(field);
    if (path === 'COUNT()') { count = true; continue; }
    if (!path) return refusal('MALFORMED_QUERY', `Localforce answers plain fields, relationship fields and COUNT() only, not ${JSON.stringify(field)}`);
    const name = canonical(path);
    if (!name) return invalidField(path, found.name);
    selected.push(name);
  }
  const conditions: Condition[] = [];
  collectConditions(query.where as WhereClause | undefined, conditions);
  for (const c of conditions) if (!c.field || !canonical(c.field)) return invalidField(c.field ?? '?', found.name);
  for (const o of orderByOf(query)) if (!o.field || !canonical(o.field)) return invalidField(o.field ?? '?', found.name);

  let rows = found.rows(caller, { equals: equalityHint(conditions) });
  const where = query.where as WhereClause | undefined;
  if (where) rows = rows.filter((row) => matches(where, row, canonical));
  const orderBy = orderByOf(query);
  if (orderBy.length) rows = [...rows].sort((a, b) => compareRows(a, b, orderBy, canonical));
  const offset = Number(query.offset ?? 0);
  const limit = query.limit === undefined ? Infinity : Number(query.limit);
  rows = rows.slice(offset, offset + limit);
  if (count) return { ok: true, totalSize: rows.length, records: [] };
  return { ok: true, totalSize: rows.length, records: rows.map((row) => project(found.name, row, selected, recordUrl)) };
}

function fieldPath(field: FieldType): string | undefined {
  if (field.type === 'Field') return field.field;
  if (field.type === 'FieldRelationship') return [...field.relationships, field.field].join('.');
  if (field.type === 'FieldFunctionExpression' && field.functionName.toUpperCase() === 'COUNT' && !field.parameters?.length) return 'COUNT()';
  return undefined;
}

const orderByOf = (query: Query): OrderByClause[] => (query.orderBy === undefined ? [] : (Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy]) as OrderByClause[]);

function valueAt(row: Row | undefined, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return null;
    value = (value as Row)[part];
  }
  return value ?? null;
}

/** The record as answered: attributes first, then the selected fields in the query's order, relationships nested. */
function project(type: string, row: Row, selected: string[], recordUrl: (type: string, id: unknown) => string): Row {
  const record: Row = { attributes: { type, url: recordUrl(type, row.Id) } };
  for (const path of selected) {
    const parts = path.split('.');
    let target = record;
    let source: Row | undefined = row;
    for (const part of parts.slice(0, -1)) {
      const nested = source?.[part] as Row | null | undefined;
      if (!nested) { target[part] = null; target = undefined as unknown as Row; break; }
      const nestedType = (nested.attributes as { type?: string } | undefined)?.type ?? part;
      target[part] ??= { attributes: { type: nestedType, url: recordUrl(nestedType, nested.Id) } };
      target = target[part] as Row;
      source = nested;
    }
    if (target) target[parts.at(-1)!] = valueAt(row, path);
  }
  return record;
}

function collectConditions(where: WhereClause | undefined, out: Condition[]): void {
  if (!where) return;
  if (where.left && 'field' in where.left) out.push(where.left as Condition);
  collectConditions(where.right, out);
}

function equalityHint(conditions: Condition[]): Map<string, string[]> {
  const hint = new Map<string, string[]>();
  for (const c of conditions) {
    if ((c.operator === '=' || c.operator === 'IN') && c.field && !c.field.includes('.')) {
      hint.set(c.field.toLowerCase(), (Array.isArray(c.value) ? c.value : [c.value ?? '']).map(literal).map(String));
    }
  }
  return hint;
}

// WHERE as the parser gives it is a chain of conditions and operators with parenthesis counts on the
// conditions; it is read back into tokens and evaluated with SOQL's precedence (NOT, then AND, then OR).
type Token = Condition | 'AND' | 'OR' | 'NOT' | '(' | ')';

function tokens(where: WhereClause | undefined, out: Token[] = []): Token[] {
  if (!where) return out;
  const left = where.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (where.operator === 'NOT' && (!left || !('field' in left))) {
    for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
    out.push('NOT');
    return tokens(where.right, out);
  }
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    out.push(left);
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  }
  if (where.operator === 'AND' || where.operator === 'OR') out.push(where.operator);
  return tokens(where.right, out);
}

const PRECEDENCE = { NOT: 3, AND: 2, OR: 1 } as const;

function matches(where: WhereClause, row: Row, canonical: (path: string) => string | undefined): boolean {
  const values: boolean[] = [];
  const ops: ('AND' | 'OR' | 'NOT' | '(')[] = [];
  const apply = (op: 'AND' | 'OR' | 'NOT') => {
    if (op === 'NOT') values.push(!values.pop());
    else {
      const b = values.pop()!;
      const a = values.pop()!;
      values.push(op === 'AND' ? a && b : a || b);
    }
  };
  for (const token of tokens(where)) {
    if (token === '(') ops.push('(');
    else if (token === ')') {
      while (ops.length && ops.at(-1) !== '(') apply(ops.pop() as 'AND' | 'OR' | 'NOT');
      ops.pop();
    } else if (token === 'AND' || token === 'OR' || token === 'NOT') {
      while (token !== 'NOT' && ops.length && ops.at(-1) !== '(' && PRECEDENCE[ops.at(-1) as 'AND'] >= PRECEDENCE[token]) apply(ops.pop() as 'AND');
      ops.push(token);
    } else values.push(test(token, row, canonical));
  }
  while (ops.length) {
    const op = ops.pop()!;
    if (op !== '(') apply(op);
  }
  return values.pop() ?? true;
}

/** A literal as written in SOQL: quoted strings unquoted, numbers and booleans as such, NULL as null. */
function literal(text: string): unknown {
  if (/^null$/i.test(text)) return null;
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** SOQL compares text without regard to case, ids in either length, dates as instants. */
function compare(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
  let x = String(a);
  let y = String(b);
  if (ID.test(x) && ID.test(y) && x.length !== y.length) return x.slice(0, 15) === y.slice(0, 15) ? 0 : x < y ? -1 : 1;
  if (/^\d{4}-\d{2}-\d{2}/.test(x) && /^\d{4}-\d{2}-\d{2}/.test(y)) return Date.parse(x) - Date.parse(y);
  x = x.toLowerCase();
  y = y.toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}

function test(condition: Condition, row: Row, canonical: (path: string) => string | undefined): boolean {
  const actual = valueAt(row, canonical(condition.field!)!);
  const given = Array.isArray(condition.value) ? condition.value.map(literal) : literal(condition.value ?? 'null');
  const list = Array.isArray(given) ? given : [given];
  switch (condition.operator.toUpperCase()) {
    case '=': return compare(actual, given) === 0 && (actual === null) === (given === null);
    case '!=': case '<>': return compare(actual, given) !== 0 || (actual === null) !== (given === null);
    case '<': return actual !== null && compare(actual, given) < 0;
    case '<=': return actual !== null && compare(actual, given) <= 0;
    case '>': return actual !== null && compare(actual, given) > 0;
    case '>=': return actual !== null && compare(actual, given) >= 0;
    case 'IN': return list.some((v) => compare(actual, v) === 0 && actual !== null);
    case 'NOT IN': return !list.some((v) => compare(actual, v) === 0);
    case 'LIKE': {
      const pattern = new RegExp(`^${String(given).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
      return actual !== null && pattern.test(String(actual));
    }
    default: return false;
  }
}

function compareRows(a: Row, b: Row, orderBy: OrderByClause[], canonical: (path: string) => string | undefined): number {
  for (const o of orderBy) {
    const path = canonical(o.field!)!;
    const x = valueAt(a, path);
    const y = valueAt(b, path);
    const desc = o.order === 'DESC';
    // Nulls come first ascending and last descending, unless NULLS FIRST|LAST says otherwise.
    const nullsFirst = o.nulls ? o.nulls === 'FIRST' : !desc;
    if ((x === null) !== (y === null)) return (x === null) === nullsFirst ? -1 : 1;
    const c = compare(x, y);
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
}
