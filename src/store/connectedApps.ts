import { Repository } from './repository';
import type { SqlDatabase } from './sqlDatabase';
import type { SecretBox } from './secretBox';

/** An OAuth client of an org: a ConnectedApp deployed as metadata, or one made through the admin API. */
export interface StoredConnectedApp {
  consumerKey: string;
  orgId: string;
  /** The ConnectedApp's fullName (metadata), or the name given to the admin API. */
  name: string;
  /** In clear here; the store keeps it sealed under the master key. */
  consumerSecret: string;
  /** The PEM certificate whose key verifies JWT bearer assertions, when the app has one. */
  certificatePem?: string;
  /** OAuth scopes by their metadata names (Api, RefreshToken…). */
  scopes: string[];
  /** oauthConfig.isSecretRequiredForRefreshToken (true unless said otherwise). */
  secretRequiredForRefresh: boolean;
  source: 'metadata' | 'admin';
  createdDate: string;
}

interface Row {
  consumer_key: string; org_id: string; name: string; consumer_secret: string; certificate_pem: string | null; scopes: string;
  secret_required_for_refresh: number; source: string; created_date: string;
}

const context = (consumerKey: string) => `connected_apps:${consumerKey}`;

export class ConnectedAppRepository extends Repository {
  constructor(db: SqlDatabase, private readonly box: SecretBox) {
    super(db);
  }

  private toApp(r: Row): StoredConnectedApp {
    return {
      consumerKey: r.consumer_key, orgId: r.org_id, name: r.name, consumerSecret: this.box.open(r.consumer_secret, context(r.consumer_key)),
      certificatePem: r.certificate_pem ?? undefined, scopes: JSON.parse(r.scopes) as string[], secretRequiredForRefresh: r.secret_required_for_refresh === 1,
      source: r.source as StoredConnectedApp['source'], createdDate: r.created_date,
    };
  }

  /** Inserts the app, or replaces the one of that consumer key. */
  put(app: StoredConnectedApp): void {
    this.sql(
      `INSERT INTO connected_apps (consumer_key, org_id, name, consumer_secret, certificate_pem, scopes, secret_required_for_refresh, source, created_date)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (consumer_key) DO UPDATE SET name = excluded.name, consumer_secret = excluded.consumer_secret,
         certificate_pem = excluded.certificate_pem, scopes = excluded.scopes,
         secret_required_for_refresh = excluded.secret_required_for_refresh, source = excluded.source`,
    ).run(app.consumerKey, app.orgId, app.name, this.box.seal(app.consumerSecret, context(app.consumerKey)), app.certificatePem ?? null,
      JSON.stringify(app.scopes), app.secretRequiredForRefresh ? 1 : 0, app.source, app.createdDate);
  }

  byKey(consumerKey: string): StoredConnectedApp | undefined {
    const row = this.sql('SELECT * FROM connected_apps WHERE consumer_key = ?').get(consumerKey) as Row | undefined;
    return row && this.toApp(row);
  }

  byName(orgId: string, name: string): StoredConnectedApp | undefined {
    const row = this.sql('SELECT * FROM connected_apps WHERE org_id = ? AND name = ?').get(orgId, name) as Row | undefined;
    return row && this.toApp(row);
  }

  list(orgId: string): StoredConnectedApp[] {
    return (this.sql('SELECT * FROM connected_apps WHERE org_id = ? ORDER BY name').all(orgId) as Row[]).map((r) => this.toApp(r));
  }

  rename(orgId: string, oldName: string, newName: string): void {
    this.sql('UPDATE connected_apps SET name = ? WHERE org_id = ? AND name = ?').run(newName, orgId, oldName);
  }

  /**
   * Removes an app; the refresh tokens and sessions it issued end with it, as when an admin deletes a
   * connected app. Returns whether there was one.
   */
  delete(consumerKey: string): boolean {
    this.sql('UPDATE refresh_tokens SET revoked = 1 WHERE consumer_key = ?').run(consumerKey);
    this.sql('UPDATE sessions SET revoked = 1 WHERE consumer_key = ?').run(consumerKey);
    return this.sql('DELETE FROM connected_apps WHERE consumer_key = ?').run(consumerKey).changes > 0;
  }

  /**
   * The org's apps that came with its components (`metadata`, reset of the org), or every app of it
   * (delete of the org).
   */
  deleteOrg(orgId: string, source?: StoredConnectedApp['source']): void {
    this.sql(`DELETE FROM connected_apps WHERE org_id = ?${source ? ' AND source = ?' : ''}`).run(...(source ? [orgId, source] : [orgId]));
  }
}
