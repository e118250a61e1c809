import type Library from './apexLibrary.json';

/*
 * The platform's Apex types and standard sObjects, derived from apex-dev-tools' stub libraries by
 * scripts/derive-apex-library.js (its header says how). A bare name is taken as the platform's when any namespace
 * has a type of that name, or it is a namespace, or an sObject: Apex resolves bare names in System and Schema
 * only, but a check that is wider than the compiler refuses less, never more.
 */

/** Names Apex knows that the stubs model by other means: `Object`, the root of every type. */
const BUILT_IN = ['Object'];

let names: Set<string> | undefined;

/** The table is read at the first Apex check, not when the server starts. */
function libraryNames(): Set<string> {
  if (names) return names;
  const library = require('./apexLibrary.json') as typeof Library;
  names = new Set([...BUILT_IN, ...library.sobjects].map((n) => n.toLowerCase()));
  for (const [namespace, types] of Object.entries(library.namespaces)) {
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
