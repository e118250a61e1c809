import { inlineParameters, toPostgresPlaceholders } from '../../../src/store/postgres/placeholders';

describe('SQLite placeholders made PostgreSQL ones', () => {
  it('numbers ? in order, leaving quoted text alone', () => {
    expect(toPostgresPlaceholders("SELECT * FROM t WHERE a = ? AND b LIKE 'x?%' AND \"c?\" = ? LIMIT ?")).toEqual({
      sql: "SELECT * FROM t WHERE a = $1 AND b LIKE 'x?%' AND \"c?\" = $2 LIMIT $3",
    });
  });

  it('numbers @names once each, in the order they first appear, and says which is which', () => {
    expect(toPostgresPlaceholders('INSERT INTO t (a, b, c) VALUES (@a, @b, @a) ON CONFLICT DO UPDATE SET c = @c')).toEqual({
      sql: 'INSERT INTO t (a, b, c) VALUES ($1, $2, $1) ON CONFLICT DO UPDATE SET c = $3', names: ['a', 'b', 'c'],
    });
  });

  it('keeps casts, and refuses a statement that mixes both kinds', () => {
    expect(toPostgresPlaceholders('SELECT jsonb_array_elements_text(?::jsonb)').sql).toBe('SELECT jsonb_array_elements_text($1::jsonb)');
    expect(() => toPostgresPlaceholders('SELECT ? , @a')).toThrow(/not both/);
  });
});

describe('parameters written in as literals', () => {
  const escape = (text: string) => `'${text.replace(/'/g, "''")}'`;

  it('quotes every value, so the column gives it its type, and leaves quoted text alone', () => {
    expect(inlineParameters("INSERT INTO t VALUES ($1, $2, $3, $4, '$1') -- $2", ["it's", 42, null, Buffer.from([1, 255])], escape))
      .toBe("INSERT INTO t VALUES ('it''s', '42', NULL, '\\x01ff', '$1') -- '42'");
  });

  it('refuses what has no literal', () => {
    expect(() => inlineParameters('SELECT $1', [{}], escape)).toThrow(/object cannot be a parameter/);
    expect(() => inlineParameters('SELECT $1', [Number.NaN], escape)).toThrow(/number cannot be a parameter/);
  });
});
