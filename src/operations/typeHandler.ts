import { Faults } from '../errors';
import { MetadataRegistry } from '../metadata/registry';
import type { MetadataTypeHandler } from '../metadata/metadataType';

/**
 * The handler of the type a call names (`Certificate`, `tns:Certificate` or
 * `{namespace}Certificate`), if the call's API version knows the type; an INVALID_TYPE fault otherwise.
 */
export function handlerForCall(type: unknown, apiVersion: number): MetadataTypeHandler {
  const name = typeof type === 'string' ? type.trim().replace(/^\{[^}]*\}/, '').split(':').pop()! : '';
  // CRUD calls name a settings type by itself (`IdentityProviderSettings`, fullName `IdentityProvider`); files are Settings.
  const handler = MetadataRegistry.resolve(/^\w+Settings$/.test(name) && !MetadataRegistry.get(name) ? 'Settings' : name, apiVersion);
  if (handler) return handler;
  const known = MetadataRegistry.get(name);
  if (known) {
    throw Faults.invalidType(`The ${name} type is available from API version ${known.definition.minApiVersion.toFixed(1)}; this call uses ${apiVersion.toFixed(1)}. Call a later API version.`);
  }
  throw Faults.invalidType(`Unknown type: ${name}`);
}
