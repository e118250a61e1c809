/**
 * What the repositories need of a database, the same on SQLite (embedded) and PostgreSQL (shared):
 * statements prepared once and run synchronously, and all-or-nothing groups of writes. Statements
 * take `?` (or `@name` with one object) placeholders, as SQLite does; PostgreSQL's are made from them.
 */
export interface SqlStatement {
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** The rows as arrays of their values, in the order the columns are selected: no object per row, for reads of thousands. */
  rows(...params: unknown[]): unknown[][];
  run(...params: unknown[]): { changes: number };
}

export type Dialect = 'sqlite' | 'postgres';

/** SQL written once, or once for each engine where they differ (JSON functions, locking). */
export type DialectSql = string | Record<Dialect, string>;

export interface SqlDatabase {
  readonly dialect: Dialect;
  /**
   * Whether other servers write the same store while this one runs (PostgreSQL): nothing read may then
   * be kept in memory as current, and jobs are guarded by leases and per-org locks.
   */
  readonly shared: boolean;
  prepare(text: string): SqlStatement;
  /** Runs `work` in a transaction (a savepoint when nested); a throw rolls it back and is rethrown. */
  transaction<T>(work: () => T): T;
  close(): void;
}
