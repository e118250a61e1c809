import { currentOrgNow, orgNow } from '../clock';
import { Faults } from '../errors';
import { writeComponent } from '../jobs/componentWriter';
import type { ComponentInput, MetadataTypeHandler } from '../metadata/metadataType';
import { XSI_TYPE } from '../soap/xmlWriter';
import type { Operation, OperationContext } from './operation';
import { handlerForCall } from './typeHandler';
import type { ApiError, SaveResult, UpsertResult } from './resultTypes';

const MAX_RECORDS = 10;
const ROLLED_BACK: ApiError = {
  fields: [], statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
};

const error = (statusCode: string, message: string, fields: string[] = []): ApiError => ({ fields, message, statusCode });
const notFound = (type: string, name: string) => error('INVALID_CROSS_REFERENCE_KEY', `In field: fullName - no ${type} named ${name} found`, ['fullName']);
const duplicate = (type: string, name: string) => error('DUPLICATE_DEVELOPER_NAME', `There is already a ${type} named ${name}`, ['fullName']);

function checkCount(n: number): void {
  if (n > MAX_RECORDS) throw Faults.exceededLimit(`record limit reached. cannot submit more than ${MAX_RECORDS} records in this operation`);
}

/** The records of a create/update/upsert call: one type for all, at most ten. */
function recordsOf(input: Record<string, unknown>, apiVersion: number): { handler: MetadataTypeHandler; records: Record<string, unknown>[] } {
  const records = (input.metadata ?? []) as Record<string, unknown>[];
  checkCount(records.length);
  const types = new Set(records.map((r) => (r as { [XSI_TYPE]?: string })[XSI_TYPE]));
  if (types.size > 1) throw Faults.invalidType('All metadata in one call must be of the same type');
  const [type] = types;
  if (records.length && !type) throw Faults.invalidType('Each metadata record needs an xsi:type, e.g. xsi:type="Certificate"');
  return { handler: handlerForCall(type ?? 'Certificate', apiVersion), records };
}

const trimStrings = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && k !== 'content' ? v.trim() : v]));

type SaveMode = 'create' | 'update' | 'upsert';

/** create, update and upsert share one path: plan every record, then make and commit the good ones. */
async function save(mode: SaveMode, input: Record<string, unknown>, ctx: OperationContext): Promise<UpsertResult[]> {
  const { handler, records } = recordsOf(input, ctx.apiVersion);
  const { org, user } = ctx.caller;
  const { store } = ctx.services;
  const type = handler.definition.xmlName;
  return ctx.services.queue.run(org.id, async () => {
    const now = currentOrgNow(store, org);
    const seen = new Set<string>();
    const planned = records.map((raw) => {
      const record = trimStrings(raw);
      const fullName = typeof record.fullName === 'string' ? record.fullName : '';
      const fail = (e: ApiError) => ({ fullName, error: e } as const);
      if (!fullName) return fail(error('REQUIRED_FIELD_MISSING', 'Required field is missing: fullName', ['fullName']));
      const nameProblem = handler.validateName(fullName);
      if (nameProblem) return fail(error('FIELD_INTEGRITY_EXCEPTION', nameProblem, ['fullName']));
      if (seen.has(fullName.toLowerCase())) return fail(duplicate(type, fullName));
      seen.add(fullName.toLowerCase());
      const existing = store.components.get(org.id, type, fullName);
      if (mode === 'create' && existing) return fail(duplicate(type, fullName));
      if (mode === 'update' && !existing) return fail(notFound(type, fullName));
      const { fullName: _n, content, ...fields } = record;
      const componentInput: ComponentInput = {
        fullName, fields, content: typeof content === 'string' ? Buffer.from(content, 'base64') : null,
      };
      const plan = handler.plan(componentInput, existing, { org, now, privateKeyOf: (c) => store.components.privateKey(c.id) });
      if (!plan.ok) return fail(error(plan.statusCode, plan.problem, plan.field ? [plan.field] : []));
      return { fullName, plan, componentInput, existing, created: !existing };
    });
    const anyFailed = planned.some((p) => 'error' in p);
    if (ctx.allOrNone && anyFailed) {
      return planned.map((p) => ({ created: false, errors: ['error' in p ? p.error : ROLLED_BACK], fullName: p.fullName, success: false }));
    }
    const writes = await Promise.all(planned.map((p) =>
      'error' in p ? undefined : handler.apply(p.plan.plan, p.componentInput, p.existing, { org, user, now, keys: ctx.services.keys })));
    const at = now.toISOString();
    store.transaction(() => planned.forEach((p, i) => {
      if (!('error' in p)) writeComponent(store, org, user, type, p.fullName, writes[i]!, p.plan.changed, at);
    }));
    return planned.map((p) => 'error' in p
      ? { created: false, errors: [p.error], fullName: p.fullName, success: false }
      : { created: p.created, errors: [], fullName: p.fullName, success: true });
  });
}

const withoutCreated = (results: UpsertResult[]): SaveResult[] => results.map(({ created: _c, ...r }) => r);

export const createMetadata: Operation = { handle: async (input, ctx) => withoutCreated(await save('create', input, ctx)) };
export const updateMetadata: Operation = { handle: async (input, ctx) => withoutCreated(await save('update', input, ctx)) };
export const upsertMetadata: Operation = { handle: (input, ctx) => save('upsert', input, ctx) };

const namesOf = (input: Record<string, unknown>): string[] => {
  const names = ((input.fullNames ?? []) as string[]).map((n) => n.trim());
  checkCount(names.length);
  return names;
};

export const readMetadata: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const { store } = ctx.services;
    const records = namesOf(input)
      .map((name) => store.components.get(ctx.caller.org.id, handler.definition.xmlName, name))
      .filter((c) => c !== undefined)
      .map((c) => handler.record(c));
    return { records };
  },
};

export const deleteMetadata: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const type = handler.definition.xmlName;
    const { org } = ctx.caller;
    const { store } = ctx.services;
    return ctx.services.queue.run(org.id, async () => {
      const results = namesOf(input).map((fullName) => ({
        fullName, exists: !!store.components.get(org.id, type, fullName),
      }));
      const anyMissing = results.some((r) => !r.exists);
      if (ctx.allOrNone && anyMissing) {
        return results.map((r) => ({ errors: [r.exists ? ROLLED_BACK : notFound(type, r.fullName)], fullName: r.fullName, success: false }));
      }
      store.transaction(() => results.forEach((r) => r.exists && store.components.delete(org.id, type, r.fullName)));
      return results.map((r) => ({ errors: r.exists ? [] : [notFound(type, r.fullName)], fullName: r.fullName, success: r.exists }));
    });
  },
};

export const renameMetadata: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const type = handler.definition.xmlName;
    const { org, user } = ctx.caller;
    const { store } = ctx.services;
    const oldName = String(input.oldFullName ?? '').trim();
    const newName = String(input.newFullName ?? '').trim();
    return ctx.services.queue.run(org.id, async (): Promise<SaveResult> => {
      const fail = (e: ApiError) => ({ errors: [e], fullName: newName || oldName, success: false });
      if (!oldName) return fail(error('REQUIRED_FIELD_MISSING', 'Required field is missing: oldFullName', ['oldFullName']));
      if (!newName) return fail(error('REQUIRED_FIELD_MISSING', 'Required field is missing: newFullName', ['newFullName']));
      const nameProblem = handler.validateName(newName);
      if (nameProblem) return fail(error('FIELD_INTEGRITY_EXCEPTION', nameProblem, ['newFullName']));
      if (!store.components.get(org.id, type, oldName)) return fail(notFound(type, oldName));
      const clash = store.components.get(org.id, type, newName);
      if (clash && clash.fullName.toLowerCase() !== oldName.toLowerCase()) return fail(duplicate(type, newName));
      store.components.rename(org.id, type, oldName, newName, user.id, orgNow(org).toISOString());
      return { errors: [], fullName: newName, success: true };
    });
  },
};
