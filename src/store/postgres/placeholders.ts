/** `sql` with each `token` outside quoted text ('…' or "…") replaced; what a replacement writes is not scanned again. */
function replaceOutsideQuotes(sql: string, token: RegExp, replace: (match: string) => string): string {
  return sql.replace(new RegExp(`'[^']*'|"[^"]*"|${token.source}`, 'g'), (m) => (m[0] === "'" || m[0] === '"' ? m : replace(m)));
}

/**
 * The repositories' SQL names its parameters as SQLite does: `?` in order, or `@name` with one object.
 * PostgreSQL numbers them ($1, $2…). Returns the names in the order of their numbers when the statement
 * uses `@name`.
 */
export function toPostgresPlaceholders(text: string): { sql: string; names?: string[] } {
  let count = 0;
  const names: string[] = [];
  const sql = replaceOutsideQuotes(text, /\?|@[A-Za-z_]\w*/, (m) => {
    if (m === '?') return `$${++count}`;
    const at = names.indexOf(m.slice(1));
    return `$${at < 0 ? names.push(m.slice(1)) : at + 1}`;
  });
  if (names.length && count) throw new Error(`A statement takes ? or @name parameters, not both: ${text}`);
  return names.length ? { sql, names } : { sql };
}

/**
 * A statement with its $n parameters written in as quoted literals (`escape` quotes text as PostgreSQL
 * reads it; pg's escapeLiteral). Quoted, a literal's type comes from where it stands, as an unnamed
 * parameter's does: '42' fills an INTEGER column and a TEXT one alike, '\x…' a BYTEA one. Lets several
 * statements travel in one message (src/store/postgres/postgresDatabase.ts batches a transaction's writes).
 */
export function inlineParameters(sql: string, values: unknown[], escape: (text: string) => string): string {
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Buffer.isBuffer(v)) return `'\\x${v.toString('hex')}'`;
    if (typeof v === 'string') return escape(v);
    if (typeof v === 'number' && Number.isFinite(v)) return `'${v}'`;
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    throw new Error(`A ${typeof v} cannot be a parameter of a statement`);
  };
  return replaceOutsideQuotes(sql, /\$\d+/, (m) => literal(values[Number(m.slice(1)) - 1]));
}
