import { judgeFeature } from './scratchOrgFeatures';

/**
 * The body of a ScratchOrgInfo insert (`POST …/sobjects/ScratchOrgInfo`), as the sf CLI builds it from
 * a definition file and its flags, read and checked as the hub checks it. Field names match without
 * regard to case, as the REST API's do; a refusal carries the REST error the real hub answers.
 */
export interface ScratchOrgRequest {
  edition: string;
  orgName: string;
  username?: string;
  durationDays: number;
  features: string[];
  consumerKey?: string;
  callbackUrl?: string;
  /** Features the CLI's lists lack, accepted (src/devhub/scratchOrgFeatures.ts): the server log names them. */
  unlistedFeatures: string[];
  /** Every field as sent, under its canonical name: answered back on reads of the record. */
  fields: Record<string, unknown>;
}

export interface RequestRefusal { errorCode: string; message: string; fields: string[] }

/** The fields of ScratchOrgInfo an insert may set (its createable fields). */
const CREATEABLE = [
  'Edition', 'OrgName', 'Username', 'AdminEmail', 'Description', 'Country', 'Language', 'Features', 'Release', 'DurationDays',
  'HasSampleData', 'ConnectedAppConsumerKey', 'ConnectedAppCallbackUrl', 'Namespace', 'SourceOrg', 'Snapshot', 'Template',
  'Package2AncestorIds', 'SignupEmail', 'Instance', 'AuthCode', 'IsSignupEmailSuppressed',
] as const;
const BY_LOWER = new Map(CREATEABLE.map((f) => [f.toLowerCase(), f]));

/** The editions a hub makes, as the picklist holds them; the CLI sends `partner-x` as `partner x`, in any case. */
const EDITIONS = ['Developer', 'Enterprise', 'Group', 'Professional', 'Partner Developer', 'Partner Enterprise', 'Partner Group', 'Partner Professional'];

const refuse = (errorCode: string, message: string, fields: string[] = []): RequestRefusal => ({ errorCode, message, fields });

export function readScratchOrgRequest(body: unknown): ScratchOrgRequest | RequestRefusal {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse('JSON_PARSER_ERROR', 'The request body must be a JSON object of ScratchOrgInfo fields');
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const name = BY_LOWER.get(key.toLowerCase());
    if (!name) return refuse('INVALID_FIELD', `No such column '${key}' on sobject of type ScratchOrgInfo`);
    fields[name] = value;
  }
  const text = (name: string): string | undefined => {
    const value = fields[name];
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  if (fields.Snapshot || fields.SourceOrg || fields.Template) {
    const which = fields.Snapshot ? 'Snapshot' : fields.SourceOrg ? 'SourceOrg' : 'Template';
    // Ours: a hub here makes orgs from an edition only; the words say so rather than pretend.
    return refuse('INVALID_INPUT', `Localforce makes scratch orgs from an edition only: ${which} is not supported here; give Edition instead`, [which]);
  }
  const editionText = text('Edition');
  if (!editionText) return refuse('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Edition]', ['Edition']);
  const edition = EDITIONS.find((e) => e.toLowerCase() === editionText.toLowerCase().replace(/-/g, ' '));
  if (!edition) return refuse('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Edition: bad value for restricted picklist field: ${editionText}`, ['Edition']);

  const days = fields.DurationDays === undefined || fields.DurationDays === null ? 7 : Number(fields.DurationDays);
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    return refuse('NUMBER_OUTSIDE_VALID_RANGE', `Duration (Days): value outside of valid range on numeric field: ${String(fields.DurationDays)}`, ['DurationDays']);
  }
  const features = (text('Features') ?? '').split(/[;,]/).map((f) => f.trim()).filter(Boolean);
  const verdicts = features.map((f) => ({ f, verdict: judgeFeature(f) }));
  const refused = verdicts.find((v) => v.verdict === 'malformed' || v.verdict === 'misspelled')?.f;
  if (refused) return refuse('INVALID_INPUT', `${refused} is not a valid Features value.`, ['Features']);

  const username = text('Username')?.trim().toLowerCase();
  if (username !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(username)) {
    return refuse('INVALID_EMAIL_ADDRESS', `Username: invalid email address: ${username}`, ['Username']);
  }
  return {
    edition, orgName: text('OrgName') ?? 'Company', ...(username ? { username } : {}), durationDays: days, features,
    unlistedFeatures: verdicts.filter((v) => v.verdict === 'unlisted').map((v) => v.f),
    consumerKey: text('ConnectedAppConsumerKey'), callbackUrl: text('ConnectedAppCallbackUrl'), fields: { ...fields, Edition: edition, DurationDays: days },
  };
}

export const isRefusal = (r: ScratchOrgRequest | RequestRefusal): r is RequestRefusal => 'errorCode' in r;
