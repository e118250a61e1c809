import { currentOrgNow, orgNow } from '../clock';
import { Faults } from '../errors';
import { deleteComponent, ensureParent, renameComponent, writeComponent } from '../jobs/componentWriter';
import { retrievedFiles } from '../jobs/retrievedFiles';
import { certificateInUseMessage, REFERRING_TYPES, usesOf } from '../metadata/certificate/certificateReferences';
import { MetadataRegistry } from '../metadata/registry';
import type { ComponentInput, MetadataTypeHandler } from '../metadata/metadataType';
import { nameKey, type StoredComponent } from '../store/components';
import { XSI_TYPE } from '../soap/xmlWriter';
import type { Operation, OperationContext } from './operation';
import { handlerForCall } from './typeHandler';
import type { ApiError, SaveResult, UpsertResult } from '../model/resultTypes';

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

type SaveMode = 'create' | 'update' | 'upsert';

interface PlannedSave {
  handler: MetadataTypeHandler;
  fullName: string;
  input: ComponentInput;
  existing?: StoredComponent;
  plan: unknown;
  changed: boolean;
}

/** create, update and upsert share one path: plan every record (and the children a parent record holds), then make and commit the good ones. */
async function save(mode: SaveMode, input: Record<string, unknown>, ctx: OperationContext): Promise<UpsertResult[]> {
  const { handler, records } = recordsOf(input, ctx.apiVersion);
  const { org, user } = ctx.caller;
  const { store } = ctx.services;
  const type = handler.definition.storedAs;
  return ctx.services.queue.run(org.id, async () => {
    const now = currentOrgNow(store, org);
    const planCtx = { org, now, privateKeyOf: (c: StoredComponent) => store.components.privateKey(c.id) };
    const seen = new Set<string>();
    const planOne = (h: MetadataTypeHandler, componentInput: ComponentInput): PlannedSave | ApiError => {
      const existing = store.components.get(org.id, h.definition.storedAs, componentInput.fullName);
      const plan = h.plan(componentInput, existing, planCtx);
      if (!plan.ok) return error(plan.statusCode, plan.problem, plan.field ? [plan.field] : []);
      return { handler: h, fullName: componentInput.fullName, input: componentInput, existing, plan: plan.plan, changed: plan.changed };
    };
    const planned = records.map((record) => {
      const fullName = typeof record.fullName === 'string' ? record.fullName.trim() : '';
      const fail = (e: ApiError) => ({ fullName, error: e } as const);
      if (!fullName) return fail(error('REQUIRED_FIELD_MISSING', 'Required field is missing: fullName', ['fullName']));
      const nameProblem = handler.validateName(fullName);
      if (nameProblem) return fail(error('FIELD_INTEGRITY_EXCEPTION', nameProblem, ['fullName']));
      if (seen.has(fullName.toLowerCase())) return fail(duplicate(type, fullName));
      seen.add(fullName.toLowerCase());
      const existing = store.components.get(org.id, type, fullName);
      if (mode === 'create' && existing) return fail(duplicate(type, fullName));
      if (mode === 'update' && !existing) return fail(notFound(type, fullName));
      const componentInput = handler.fromRecord(fullName, record);
      if ('statusCode' in componentInput) return fail(error(componentInput.statusCode, componentInput.problem, componentInput.field ? [componentInput.field] : []));
      const saves: PlannedSave[] = [];
      for (const [h, i] of [[handler, componentInput] as const, ...childInputs(componentInput)]) {
        const one = planOne(h, i);
        if ('statusCode' in one) return fail(one);
        saves.push(one);
      }
      return { fullName, saves, created: !existing };
    });
    const anyFailed = planned.some((p) => 'error' in p);
    if (ctx.allOrNone && anyFailed) {
      return planned.map((p) => ({ created: false, errors: ['error' in p ? p.error : ROLLED_BACK], fullName: p.fullName, success: false }));
    }
    const applyCtx = { org, user, now, keys: ctx.services.keys };
    const writes = await Promise.all(planned.map((p) => ('error' in p ? undefined
      : Promise.all(p.saves.map((one) => one.handler.apply(one.plan, one.input, one.existing, applyCtx))))));
    const at = now.toISOString();
    store.transaction(() => planned.forEach((p, i) => {
      if ('error' in p) return;
      p.saves.forEach((one, j) => {
        ensureParent(store, org, user, one.handler.definition, one.fullName, at);
        writeComponent(store, org, user, one.handler.definition.storedAs, one.fullName, writes[i]![j]!, one.changed, at);
      });
    }));
    return planned.map((p) => 'error' in p
      ? { created: false, errors: [p.error], fullName: p.fullName, success: false }
      : { created: p.created, errors: [], fullName: p.fullName, success: true });
  });
}

/** The child components a parent record holds (a CustomObject's fields), as inputs of their own types. */
function childInputs(input: ComponentInput): [MetadataTypeHandler, ComponentInput][] {
  return (input.children ?? []).map((child) => [
    MetadataRegistry.get(child.type.xmlName)!,
    { fullName: child.fullName, fields: {}, content: Buffer.from(child.xml), files: new Map() },
  ]);
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
    const orgId = ctx.caller.org.id;
    const names = namesOf(input);
    // Read in two queries whatever the number of names, then answered in the order asked (repeats included).
    const found = new Map(store.components.getMany(orgId, handler.definition.storedAs, names).map((c) => [nameKey(c.fullName), c]));
    const records = names
      .map((name) => found.get(nameKey(name)))
      .filter((c) => c !== undefined)
      // A parent is read with its children, as its retrieved file holds them.
      .map((c) => handler.record(handler.definition.children.length ? { ...c, files: retrievedFiles(store, orgId, [c]) } : c));
    return { records };
  },
};

export const deleteMetadata: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const type = handler.definition.storedAs;
    const { org } = ctx.caller;
    const { store } = ctx.services;
    return ctx.services.queue.run(org.id, async () => {
      // A certificate another component uses stays (the help's "manage expired certificates").
      const users = type === 'Certificate' ? REFERRING_TYPES.flatMap((t) => store.components.list(org.id, t)) : [];
      const results = namesOf(input).map((fullName) => {
        const existing = store.components.get(org.id, type, fullName);
        const uses = existing && users.length ? usesOf(existing, users) : [];
        const problem = !existing ? notFound(type, fullName)
          : uses.length ? error('DEPENDENCY_EXISTS', certificateInUseMessage(existing.fullName, uses)) : undefined;
        return { fullName, problem };
      });
      const anyFailed = results.some((r) => r.problem);
      if (ctx.allOrNone && anyFailed) {
        return results.map((r) => ({ errors: [r.problem ?? ROLLED_BACK], fullName: r.fullName, success: false }));
      }
      const at = orgNow(org).toISOString();
      store.transaction(() => results.forEach((r) => !r.problem && deleteComponent(store, org, ctx.caller.user, type, r.fullName, at)));
      return results.map((r) => ({ errors: r.problem ? [r.problem] : [], fullName: r.fullName, success: !r.problem }));
    });
  },
};

export const renameMetadata: Operation = {
  handle(input, ctx) {
    const handler = handlerForCall(input.type, ctx.apiVersion);
    const type = handler.definition.storedAs;
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
      const at = orgNow(org).toISOString();
      store.transaction(() => renameComponent(store, org, user, handler.definition, oldName, newName, at));
      // The real service answers a rename with the name the component had.
      return { errors: [], fullName: oldName, success: true };
    });
  },
};
