/**
 * The repositories' SQL names its parameters as SQLite does: `?` in order, or `@name` with one object.
 * PostgreSQL numbers them ($1, $2…). Quoted text is left alone. Returns the names in the order of
 * their numbers when the statement uses `@name`.
 */
export function toPostgresPlaceholders(text: string): { sql: string; names?: string[] } {
  let sql = '';
  let count = 0;
  const names: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      sql += text.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      sql += `$${++count}`;
    } else if (ch === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      sql += `$${index + 1}`;
      i += name.length;
    } else {
      sql += ch;
    }
  }
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
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '$' && /\d/.test(sql[i + 1] ?? '')) {
      const digits = /^\d+/.exec(sql.slice(i + 1))![0];
      out += literal(values[Number(digits) - 1]);
      i += digits.length;
    } else {
      out += ch;
    }
  }
  return out;
}
