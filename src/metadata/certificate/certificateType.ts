import {
  buildCsr, buildSelfSignedCertificate, classifyContent, normalizePem, publicKeyOf, wholeSeconds,
} from '../../crypto';
import { parseMetadataXml } from '../../package/metadataXml';
import { writeMetadataXml } from '../../package/metadataXmlWriter';
import { XSI_TYPE } from '../../soap/xmlWriter';
import type { StoredComponent } from '../../store/components';
import type {
  ApplyContext, ComponentInput, ComponentWrite, LocatedComponent, MetadataTypeDefinition, MetadataTypeHandler, PlanContext, PlanResult,
} from '../metadataType';
import { pathOf } from '../layout/componentPaths';
import { missingFile } from '../stored/storedType';
import { decideCertificateContent, type ContentDecision } from './contentRules';
import { DEFAULT_KEY_SIZE, validityYears } from './definition';
import { readCertificateFields, validateCertificateName, type StoredCertificateFields } from './fields';

interface CertificatePlan {
  decision: ContentDecision;
  /** The fields to store, immutable ones resolved against the stored component. */
  fields: Omit<StoredCertificateFields, 'expirationDate' | 'state' | 'csrPem'>;
}

/**
 * When a certificate the org makes expires: on the anniversary of the org clock's date, at 00:00:00 UTC
 * when made in the morning (UTC) and at 12:00:00 UTC when made from noon on, as real orgs set it (every
 * org-made certificate of the corpus, made between 02:27 and 21:17 UTC, follows this); whole seconds, so
 * expirationDate says what the certificate says.
 */
function anniversary(d: Date, years: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() >= 12 ? 12 : 0));
}

const storedFields = (c: StoredComponent) => c.fields as unknown as StoredCertificateFields;

/** Fields a meta file or record must not set: fullName comes from the file name, content from the `.crt`. */
const SKIPPED_META_FIELDS = ['fullName', 'content'];

/** The Certificate type: its meta file read against the WSDL, its content decided by the content rules. */
export const certificateHandler = (definition: MetadataTypeDefinition): MetadataTypeHandler<CertificatePlan> => ({
  definition,

  validateName: validateCertificateName,

  read(c: LocatedComponent) {
    const contentPath = pathOf(definition, c.fullName);
    const metaPath = pathOf(definition, c.fullName, true);
    const content = c.files.get(contentPath);
    const meta = c.files.get(metaPath);
    if (!meta) return { fileName: contentPath, problem: missingFile(definition, c.fullName, 'meta', metaPath) };
    if (!content) {
      return { fileName: metaPath, problem: `${missingFile(definition, c.fullName, 'content', contentPath)} (deploy an empty file to have the org make its content)` };
    }
    const parsed = parseMetadataXml(meta.toString('utf8'), definition.xmlName, SKIPPED_META_FIELDS);
    if (!parsed.ok) return { fileName: metaPath, ...parsed.error };
    return { fullName: c.fullName, fields: parsed.value, content, files: c.files, fieldsAt: parsed.fieldsAt, rootAt: parsed.rootAt, metaPath };
  },

  fromRecord(fullName: string, record: Record<string, unknown>): ComponentInput {
    // String values are trimmed on save, as the real service does.
    const trimmed = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' && k !== 'content' ? v.trim() : v]));
    const { fullName: _n, content, ...fields } = trimmed;
    return { fullName, fields, content: typeof content === 'string' ? Buffer.from(content, 'base64') : null, files: new Map() };
  },

  plan(input: ComponentInput, existing: StoredComponent | undefined, ctx: PlanContext): PlanResult<CertificatePlan> {
    const stored = existing && storedFields(existing);
    const read = readCertificateFields(input.fullName, input.fields, stored?.keySize);
    if (!read.ok) return read;
    const privateKey = existing && ctx.privateKeyOf(existing);
    const outcome = decideCertificateContent(
      { fullName: input.fullName, orgId: ctx.org.id, fields: read.fields, rawContent: input.content, content: classifyContent(input.content ?? Buffer.alloc(0)), now: ctx.now },
      stored && privateKey ? { fields: stored, contentPem: existing.content?.toString('utf8') ?? '', publicKeyPem: publicKeyOf(privateKey) } : undefined,
    );
    if (!outcome.ok) return outcome;
    const fields = {
      caSigned: read.fields.caSigned,
      encryptedWithPlatformEncryption: read.fields.encryptedWithPlatformEncryption,
      keySize: read.fields.keySize ?? stored?.keySize ?? DEFAULT_KEY_SIZE,
      masterLabel: read.fields.masterLabel,
      privateKeyExportable: read.fields.privateKeyExportable ?? stored?.privateKeyExportable ?? true,
    };
    const keepsContent = outcome.decision.kind === 'keepContent';
    const fieldsChanged = !stored || stored.masterLabel !== fields.masterLabel
      || stored.encryptedWithPlatformEncryption !== fields.encryptedWithPlatformEncryption;
    return { ok: true, plan: { decision: outcome.decision, fields }, created: !existing, changed: !keepsContent || fieldsChanged, warning: outcome.warning };
  },

  async apply(plan: CertificatePlan, _input: ComponentInput, existing: StoredComponent | undefined, ctx: ApplyContext): Promise<ComponentWrite> {
    const { decision, fields } = plan;
    const stored = existing && storedFields(existing);
    switch (decision.kind) {
      case 'newSelfSigned': {
        const keyPair = await ctx.keys.take(fields.keySize);
        const notBefore = wholeSeconds(ctx.now);
        const notAfter = anniversary(ctx.now, validityYears(fields.keySize));
        const pem = await buildSelfSignedCertificate({ keyPair, subject: decision.subject, subjectAltNames: decision.subjectAltNames, notBefore, notAfter });
        const out: StoredCertificateFields = { ...fields, expirationDate: notAfter.toISOString(), state: 'selfSigned' };
        return { fields: { ...out }, content: Buffer.from(pem), files: new Map(), privateKeyPem: keyPair.privateKeyPem };
      }
      case 'newCsr': {
        const keyPair = await ctx.keys.take(fields.keySize);
        const pem = await buildCsr({ keyPair, subject: decision.subject, subjectAltNames: decision.subjectAltNames });
        const expirationDate = anniversary(ctx.now, validityYears(fields.keySize)).toISOString();
        const out: StoredCertificateFields = { ...fields, expirationDate, state: 'awaitingChain', csrPem: pem };
        return { fields: { ...out }, content: Buffer.from(pem), files: new Map(), privateKeyPem: keyPair.privateKeyPem };
      }
      case 'uploadChain': {
        const chainPem = normalizePem(decision.chain.map((c) => c.pem).join(''));
        const out: StoredCertificateFields = {
          ...fields, expirationDate: decision.chain[0]!.notAfter.toISOString(), state: 'active', csrPem: stored?.csrPem,
        };
        return { fields: { ...out }, content: Buffer.from(chainPem), files: new Map() };
      }
      case 'keepContent': {
        const out: StoredCertificateFields = { ...stored!, ...fields };
        return { fields: { ...out }, content: existing!.content, files: new Map() };
      }
    }
  },

  files(component: StoredComponent) {
    const content = retrievedContent(component);
    return new Map([
      [pathOf(definition, component.fullName), content],
      [pathOf(definition, component.fullName, true), Buffer.from(writeMetadataXml('Certificate', recordOf(component, content)))],
    ]);
  },

  record(component: StoredComponent): Record<string, unknown> {
    return recordOf(component, retrievedContent(component));
  },
});

/** What a retrieve returns as the `.crt`: the stored certificate, CSR or chain as canonical PEM. */
function retrievedContent(component: StoredComponent): Buffer {
  return Buffer.from(normalizePem(component.content?.toString('utf8') ?? ''));
}

/** The Certificate record of readMetadata, and the fields of the retrieved meta file. */
function recordOf(component: StoredComponent, content: Buffer): Record<string, unknown> {
  const f = storedFields(component);
  const record: Record<string, unknown> = {
    fullName: component.fullName,
    content: content.toString('base64'),
    caSigned: f.caSigned,
    // Real retrieves always write it, false included.
    encryptedWithPlatformEncryption: !!f.encryptedWithPlatformEncryption,
    expirationDate: f.expirationDate,
    keySize: f.keySize,
    masterLabel: f.masterLabel,
    privateKeyExportable: f.privateKeyExportable,
  };
  Object.defineProperty(record, XSI_TYPE, { value: 'Certificate', enumerable: false });
  return record;
}
