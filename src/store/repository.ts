import type { DialectSql, SqlDatabase, SqlStatement } from './sqlDatabase';

/**
 * Base of every repository: statements are prepared once per SQL text and reused, since preparing
 * costs more than running a small query and the SOAP endpoint runs several per request.
 */
export abstract class Repository {
  private readonly statements = new Map<string, SqlStatement>();

  constructor(protected readonly db: SqlDatabase) {}

  protected sql(text: DialectSql): SqlStatement {
    const own = typeof text === 'string' ? text : text[this.db.dialect];
    let statement = this.statements.get(own);
    if (!statement) this.statements.set(own, (statement = this.db.prepare(own)));
    return statement;
  }
}
