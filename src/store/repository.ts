import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/**
 * Base of every repository: statements are prepared once per SQL text and reused, since preparing
 * costs more than running a small query and the SOAP endpoint runs several per request.
 */
export abstract class Repository {
  private readonly statements = new Map<string, Statement>();

  constructor(protected readonly db: Db) {}

  protected sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }
}
