import { classifyContent, formatDn } from '../crypto';
import { Faults } from '../errors';
import { newConsumerKey, newConsumerSecret, newRefreshToken } from '../ids';
import { CONSUMER_KEY, CONSUMER_SECRET, certificateProblem } from '../metadata/connectedApp/oauthConfig';
import type { StoredConnectedApp } from '../store/connectedApps';
import type { Org, User } from '../store/orgs';
import type { Store } from '../store/store';

/** Scopes of apps made through the admin API: the REST and SOAP APIs, and refresh tokens. */
export const ADMIN_APP_SCOPES = ['Api', 'Web', 'RefreshToken'];

/** A connected app as the admin API shows it; the secret only where asked for one app. */
export interface ConnectedAppView {
  name: string;
  consumerKey: string;
  consumerSecret?: string;
  source: 'metadata' | 'admin';
  scopes: string[];
  certificate?: { subject: string; expirationDate: string };
  createdDate: string;
}

// A developer name, as Setup asks of a connected app's API name.
const APP_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

/** Scopes that let an app hold refresh tokens (RefreshToken and OfflineAccess are one scope). */
export const grantsRefreshTokens = (scopes: string[]) => scopes.some((s) => /^(RefreshToken|OfflineAccess)$/i.test(s));

/** An org's connected apps as its admin makes them outside metadata, and the SFDX auth URLs made from them. */
export class ConnectedAppService {
  constructor(private readonly store: Store) {}

  create(org: Org, request: Record<string, unknown>, at: string): ConnectedAppView {
    const unknown = Object.keys(request).find((k) => !['name', 'certificate', 'consumerKey', 'consumerSecret', 'scopes'].includes(k));
    if (unknown) throw Faults.invalidField(`Unknown field ${JSON.stringify(unknown.slice(0, 40))}: a connected app takes name, certificate, consumerKey, consumerSecret and scopes`);
    const { name, certificate, consumerKey, consumerSecret, scopes } = request;
    if (typeof name !== 'string' || !APP_NAME.test(name) || name.length > 80 || name.endsWith('_')) {
      throw Faults.invalidField('name must be an API name: up to 80 letters, digits and single underscores, beginning with a letter and not ending with _');
    }
    if (certificate !== undefined) {
      if (typeof certificate !== 'string') throw Faults.invalidField('certificate must be the PEM text of an X.509 certificate');
      const problem = certificateProblem(certificate);
      if (problem) throw Faults.invalidField(`certificate must be a PEM-encoded X.509 certificate: ${problem}`);
    }
    if (consumerKey !== undefined && (typeof consumerKey !== 'string' || !CONSUMER_KEY.test(consumerKey))) {
      throw Faults.invalidField('consumerKey must be 8 to 256 characters: letters, digits, dots (.) and underscores (_)');
    }
    if (consumerSecret !== undefined && (typeof consumerSecret !== 'string' || !CONSUMER_SECRET.test(consumerSecret))) {
      throw Faults.invalidField('consumerSecret must be 8 to 256 characters: letters, digits, dots (.), underscores (_) and hyphens (-)');
    }
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || !/^[A-Za-z]{2,40}$/.test(s)))) {
      throw Faults.invalidField('scopes must be an array of scope names, such as ["Api", "RefreshToken"]');
    }
    if (this.store.connectedApps.byName(org.id, name)) throw Faults.duplicateValue(`The org already has a connected app named ${name}`);
    const key = (consumerKey as string | undefined) ?? newConsumerKey();
    if (this.store.connectedApps.byKey(key)) throw Faults.duplicateValue(`The consumer key ${key} is already used by a connected app; consumer keys are unique across orgs`);
    const app: StoredConnectedApp = {
      consumerKey: key, orgId: org.id, name, consumerSecret: (consumerSecret as string | undefined) ?? newConsumerSecret(),
      certificatePem: certificate as string | undefined, scopes: (scopes as string[] | undefined) ?? ADMIN_APP_SCOPES,
      secretRequiredForRefresh: true, source: 'admin', createdDate: at,
    };
    this.store.connectedApps.put(app);
    return view(app, true);
  }

  list(org: Org): ConnectedAppView[] {
    return this.store.connectedApps.list(org.id).map((a) => view(a, false));
  }

  /** One app, with its consumer secret (Setup's "Manage Consumer Details"). */
  get(org: Org, name: string): ConnectedAppView | undefined {
    const app = this.store.connectedApps.byName(org.id, name);
    return app && view(app, true);
  }

  /** Deletes an app made through the admin API (a ConnectedApp component goes by a deploy); its tokens end with it. */
  delete(org: Org, name: string): boolean {
    const app = this.store.connectedApps.byName(org.id, name);
    if (!app) return false;
    if (app.source === 'metadata') {
      throw Faults.invalidOperation(`Connected app ${app.name} is ConnectedApp metadata: delete it with a destructive change (or deleteMetadata), not here`);
    }
    return this.store.connectedApps.delete(app.consumerKey);
  }

  /**
   * `force://<consumer key>:<consumer secret>:<refresh token>@<host>` for a user of the org, with a new
   * refresh token issued to the app: what `sf org login sfdx-url` takes.
   */
  sfdxAuthUrl(org: Org, user: User, consumerKey: unknown, host: string, at: string): string {
    if (typeof consumerKey !== 'string' || !consumerKey) throw Faults.invalidField('consumerKey is required: the consumer key of one of the org\'s connected apps');
    const app = this.store.connectedApps.byKey(consumerKey);
    if (!app || app.orgId !== org.id) throw Faults.invalidField(`The org has no connected app with consumer key ${consumerKey}`);
    if (!grantsRefreshTokens(app.scopes)) {
      throw Faults.invalidOperation(`Connected app ${app.name} cannot hold refresh tokens: add the RefreshToken (or OfflineAccess) scope to its oauthConfig`);
    }
    const token = newRefreshToken();
    this.store.refreshTokens.insert({ token, orgId: org.id, userId: user.id, consumerKey: app.consumerKey, scopes: app.scopes, createdDate: at });
    return `force://${app.consumerKey}:${app.consumerSecret}:${token}@${host}`;
  }
}

function view(app: StoredConnectedApp, withSecret: boolean): ConnectedAppView {
  const content = app.certificatePem ? classifyContent(Buffer.from(app.certificatePem)) : undefined;
  const leaf = content?.kind === 'chain' ? content.certificates[0] : undefined;
  return {
    name: app.name, consumerKey: app.consumerKey, ...(withSecret ? { consumerSecret: app.consumerSecret } : {}), source: app.source, scopes: app.scopes,
    ...(leaf ? { certificate: { subject: formatDn(leaf.subject), expirationDate: leaf.notAfter.toISOString() } } : {}), createdDate: app.createdDate,
  };
}
