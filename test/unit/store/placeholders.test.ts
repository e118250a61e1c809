import { toPostgresPlaceholders } from '../../../src/store/postgres/placeholders';

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
