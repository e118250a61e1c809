import type Library from './apexLibrary.json';

/*
 * The platform's Apex types and standard sObjects, derived from apex-dev-tools' stub libraries by
 * scripts/derive-apex-library.js (its header says how). A bare name is taken as the platform's when any namespace
 * has a type of that name, or it is a namespace, or an sObject: Apex resolves bare names in System and Schema
 * only, but a check that is wider than the compiler refuses less, never more.
 */

/** Names Apex knows that the stubs model by other means: `Object`, the root of every type. */
const BUILT_IN = ['Object'];

let library: typeof Library | undefined;
let names: Set<string> | undefined;
let sobjects: Set<string> | undefined;

/** The table is read at the first Apex check, not when the server starts. */
const table = (): typeof Library => (library ??= require('./apexLibrary.json') as typeof Library);

function libraryNames(): Set<string> {
  if (names) return names;
  sobjects = new Set(table().sobjects.map((n) => n.toLowerCase()));
  names = new Set([...BUILT_IN.map((n) => n.toLowerCase()), ...sobjects]);
  for (const [namespace, types] of Object.entries(table().namespaces)) {
    names.add(namespace.toLowerCase());
    for (const type of types) names.add(type.toLowerCase());
  }
  return names;
}

/**
 * The platform has exception types the stubs miss (System.DataWeaveScriptException, thrown by DataWeave in Apex,
 * is one): a bare name ending in Exception is taken as one of them. An org's own exceptions are classes, which the
 * org check finds.
 */
const EXCEPTION = /Exception$/i;

/** Whether a bare name is one of the platform's types, namespaces or standard sObjects (any case). */
export const isPlatformType = (name: string): boolean => EXCEPTION.test(name) || libraryNames().has(name.toLowerCase());

/** The methods every enum has (its type's and its values'), and those every Apex object has (lower case). */
export const ENUM_METHODS = ['values', 'valueof', 'name', 'ordinal'];
export const OBJECT_METHODS = ['equals', 'hashcode', 'tostring', 'clone'];

type Member = { kind: string; extends?: string; methods: string[] };
let byName: Map<string, [namespace: string, member: Member][]> | undefined;
/** Each name's answer, made once: most classes call the same few platform types. */
const answers = new Map<string, Set<string> | undefined>();

/** A type's methods with its superclasses' (looked for in its namespace, then System), or null when a class up the chain is not in the table. */
function methodsWithInherited(namespace: string, member: Member, depth = 0): string[] | null {
  if (!member.extends) return member.methods;
  const base = member.extends.split('.').pop()!;
  const members = table().members as Record<string, Member>;
  const parent = members[`${namespace}.${base}`] ?? members[`System.${base}`];
  const inherited = parent && depth < 10 ? methodsWithInherited(namespace, parent, depth + 1) : null;
  return inherited && [...member.methods, ...inherited];
}

/**
 * The methods (lower case, static and instance alike) of the platform's types of a bare name, in every namespace
 * that has one, with their superclasses' and those every object has; undefined when the stubs cannot say: no
 * type of that name is a file's top-level type, the name is also an sObject's, or a class of that name declares
 * no method at all (an empty stub: ChatterAnswers' controllers are), or extends a class the table does not hold.
 */
export function platformMethods(name: string): Set<string> | undefined {
  const k = name.toLowerCase();
  if (!answers.has(k)) answers.set(k, methodsOfName(k));
  return answers.get(k);
}

function methodsOfName(k: string): Set<string> | undefined {
  libraryNames();
  if (sobjects!.has(k)) return undefined;
  if (!byName) {
    byName = new Map();
    for (const [qualified, member] of Object.entries(table().members as Record<string, Member>)) {
      const [namespace, type] = qualified.split('.') as [string, string];
      const list = byName.get(type.toLowerCase()) ?? [];
      list.push([namespace, member]);
      byName.set(type.toLowerCase(), list);
    }
  }
  const types = byName.get(k);
  if (!types) return undefined;
  const methods = new Set(OBJECT_METHODS);
  for (const [namespace, member] of types) {
    if (member.kind === 'enum') { ENUM_METHODS.forEach((m) => methods.add(m)); continue; }
    const all = member.methods.length ? methodsWithInherited(namespace, member) : null;
    if (!all) return undefined;
    all.forEach((m) => methods.add(m));
  }
  return methods;
}
