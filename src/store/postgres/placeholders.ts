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
