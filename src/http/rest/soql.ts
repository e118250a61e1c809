import { nameParts, USER_SETTINGS } from '../../auth/userSettings';
import type { Caller } from '../../store/orgs';

/**
 * The few SOQL queries the sf CLI sends, answered from the org itself: Localforce has no database of
 * records, so it knows Organization (one row) and User (the org's users). Everything else is an
 * unsupported object, which is also how the CLI learns that this org is not a Dev Hub.
 */
export type QueryAnswer =
  | { ok: true; totalSize: number; records: Record<string, unknown>[] }
  | { ok: false; status: number; errorCode: string; message: string };

interface Parsed {
  fields: string[];
  object: string;
  /** What follows the object name: WHERE, ORDER BY, LIMIT… */
  rest: string;
}

const SELECT = /^\s*SELECT\s+([\s\S]+?)\s+FROM\s+([A-Za-z_][A-Za-z0-9_]*)\b([\s\S]*)$/i;

export function parseSoql(q: string): Parsed | undefined {
  const m = SELECT.exec(q);
  if (!m) return undefined;
  const fields = m[1]!.split(',').map((f) => f.trim());
  if (fields.some((f) => !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(f))) return undefined;
  return { fields, object: m[2]!, rest: m[3]!.trim() };
}

/** Objects that only exist in a Dev Hub or a production org with sandboxes. */
const DEV_HUB_OBJECTS = new Set(['scratchorginfo', 'activescratchorg', 'namespaceregistry', 'sandboxinfo', 'sandboxprocess']);

function columns(object: string, row: Record<string, unknown>, fields: string[], url: string): QueryAnswer | Record<string, unknown> {
  const known = new Map(Object.keys(row).map((k) => [k.toLowerCase(), k]));
  const record: Record<string, unknown> = { attributes: { type: object, url } };
  for (const f of fields) {
    const key = known.get(f.toLowerCase());
    if (!key) {
      return {
        ok: false, status: 400, errorCode: 'INVALID_FIELD',
        message: `No such column '${f}' on entity '${object}'. Localforce knows these ${object} fields: ${[...known.values()].join(', ')}.`,
      };
    }
    record[key] = row[key];
  }
  return record;
}

/** Answers one query for the caller's org; `version` is `66.0`. */
export function answerQuery(q: string | undefined, caller: Caller, version: string): QueryAnswer {
  if (!q || !q.trim()) return { ok: false, status: 400, errorCode: 'MALFORMED_QUERY', message: 'A query string (q) is required' };
  const parsed = parseSoql(q);
  if (!parsed) {
    return { ok: false, status: 400, errorCode: 'MALFORMED_QUERY', message: `Localforce understands only SELECT field, ... FROM Object queries, not: ${q.trim()}` };
  }
  const { org, user } = caller;
  const object = parsed.object.toLowerCase();
  const sobjects = `/services/data/v${version}/sobjects`;
  if (object === 'organization') {
    // One org per session: any WHERE or LIMIT still selects it.
    const row = {
      Id: org.id, Name: org.name, InstanceName: 'LOCALFORCE', IsSandbox: false, TrialExpirationDate: null,
      NamespacePrefix: null, OrganizationType: 'Developer Edition', CreatedDate: org.createdDate,
    };
    const record = columns('Organization', row, parsed.fields, `${sobjects}/Organization/${org.id}`);
    return 'ok' in record ? (record as QueryAnswer) : { ok: true, totalSize: 1, records: [record] };
  }
  if (object === 'user') {
    const row = userRow(user);
    if (parsed.rest) {
      return { ok: false, status: 400, errorCode: 'MALFORMED_QUERY', message: 'Localforce answers User queries without WHERE, ORDER BY or LIMIT only' };
    }
    const record = columns('User', row, parsed.fields, `${sobjects}/User/${user.id}`);
    return 'ok' in record ? (record as QueryAnswer) : { ok: true, totalSize: 1, records: [record] };
  }
  const devHub = DEV_HUB_OBJECTS.has(object) ? ` This org is not a Dev Hub and has no sandboxes, so it has no ${parsed.object} records.` : '';
  return {
    ok: false, status: 400, errorCode: 'INVALID_TYPE',
    message: `sObject type '${parsed.object}' is not supported.${devHub} Localforce answers SOQL queries on Organization and User only.`,
  };
}

/** The fields of a User record that Localforce can fill in. */
export function userRow(user: Caller['user']): Record<string, unknown> {
  const { firstName, lastName } = nameParts(user.fullName);
  return {
    Id: user.id, Username: user.username, Name: user.fullName, FirstName: firstName, LastName: lastName, Email: user.email,
    IsActive: true, UserType: 'Standard', ProfileId: USER_SETTINGS.profileId, LanguageLocaleKey: USER_SETTINGS.language,
    LocaleSidKey: USER_SETTINGS.locale, TimeZoneSidKey: USER_SETTINGS.timeZone,
  };
}
