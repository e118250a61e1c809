import { currentOrgNow } from '../clock';
import { readKeystore, writeKeystore, KeystoreError, type KeystoreFormat } from '../crypto/keystore';
import type { StoredCertificateFields } from '../metadata/certificate/fields';
import { planExport, planImport } from '../metadata/certificate/keystoreRules';
import { KeystoreMessages as M } from '../metadata/certificate/messages';
import type { Caller } from '../store/orgs';
import type { Store } from '../store/store';
import { writeComponent } from './componentWriter';
import type { OrgQueue } from './orgQueue';

const CERTIFICATE = 'Certificate';
const MIN_PASSWORD = 6;

export interface KeystoreExport {
  bytes: Buffer;
  exported: string[];
  leftOut: { fullName: string; reason: string }[];
}

export interface ImportedSummary {
  fullName: string;
  id: string;
  caSigned: boolean;
  keySize: number;
  expirationDate: string;
}

/** An export or import refused as a whole; `problems` name the aliases at fault where there are some. */
export class KeystoreRefused extends Error {
  constructor(readonly code: string, readonly problems: { alias?: string; message: string }[]) {
    super(problems.map((p) => p.message).join(' '));
    this.name = 'KeystoreRefused';
  }
}

/**
 * The help's "Export to Keystore" and "Import from Keystore" for an org: queued with its deploys,
 * so an import sees and changes the org as a deploy would, and commits in one transaction.
 */
export class KeystoreTransfer {
  constructor(private readonly store: Store, private readonly queue: OrgQueue) {}

  export(caller: Caller, format: KeystoreFormat, password: string): Promise<KeystoreExport> {
    if (password.length < MIN_PASSWORD) return Promise.reject(new KeystoreRefused('INVALID_PASSWORD', [{ message: M.passwordTooShort }]));
    return this.queue.run(caller.org.id, async () => {
      const components = this.store.components.list(caller.org.id, CERTIFICATE);
      const plan = planExport(components.map((c) => ({
        fullName: c.fullName, fields: c.fields as unknown as StoredCertificateFields, contentPem: c.content?.toString('utf8') ?? '',
      })));
      const byName = new Map(components.map((c) => [c.fullName, c]));
      const entries = plan.included.flatMap(({ fullName, chain }) => {
        const component = byName.get(fullName)!;
        const privateKeyPem = this.store.components.privateKey(component.id);
        // JKS aliases are lower case: Java's JKS provider lowercases every alias it looks up, so keytool
        // could not find a mixed-case one. PKCS#12 keeps the name as it is (Java matches it in any case).
        return privateKeyPem ? [{ fullName, alias: format === 'jks' ? fullName.toLowerCase() : fullName, privateKeyPem, chain, created: new Date(component.createdDate) }] : [];
      });
      const leftOut = plan.leftOut.map((l) => ({ fullName: l.fullName, reason: l.reason }));
      if (entries.length === 0) {
        throw new KeystoreRefused('NOTHING_TO_EXPORT', [{ message: M.nothingToExport(leftOut.map((l) => `${l.fullName} (${l.reason})`)) }]);
      }
      return { bytes: writeKeystore(format, entries, password), exported: entries.map((e) => e.fullName), leftOut };
    });
  }

  import(caller: Caller, format: KeystoreFormat, bytes: Buffer, password: string): Promise<ImportedSummary[]> {
    const { org, user } = caller;
    return this.queue.run(org.id, async () => {
      let entries;
      try {
        entries = readKeystore(format, bytes, password);
      } catch (err) {
        if (err instanceof KeystoreError) throw new KeystoreRefused('INVALID_KEYSTORE', [{ alias: err.alias, message: err.message }]);
        throw err;
      }
      const plan = planImport(entries, (name) => this.store.components.get(org.id, CERTIFICATE, name)?.fullName);
      if (!plan.ok) {
        const problems = plan.problems.length > 1 || plan.problems[0]?.alias
          ? [...plan.problems, { message: M.nothingImported(plan.problems.length) }] : plan.problems;
        throw new KeystoreRefused('INVALID_KEYSTORE_ENTRY', problems);
      }
      const at = currentOrgNow(this.store, org).toISOString();
      return this.store.transaction(() => plan.certificates.map((c) => {
        const id = writeComponent(this.store, org, user, CERTIFICATE, c.fullName, {
          fields: { ...c.fields }, content: Buffer.from(c.contentPem), files: new Map(), privateKeyPem: c.privateKeyPem,
        }, true, at);
        return { fullName: c.fullName, id, caSigned: c.fields.caSigned, keySize: c.fields.keySize, expirationDate: c.fields.expirationDate };
      }));
    });
  }
}
