import type { ComponentInput, MetadataTypeDefinition, MetadataTypeHandler } from '../metadataType';
import { pathOf } from '../layout/componentPaths';
import { storedTypeHandler } from '../stored/storedType';
import { readOAuthConfig, withoutConsumerSecret, type OAuthClientSpec } from './oauthConfig';

/**
 * ConnectedApp: stored faithfully like any type, except that its `oauthConfig` registers an OAuth
 * client of the org when committed (src/jobs/connectedAppRegistration.ts), and its consumer secret
 * is kept sealed apart from the file, as the real service never returns it.
 */
export function connectedAppHandler(definition: MetadataTypeDefinition): MetadataTypeHandler<null> {
  const base = storedTypeHandler(definition);

  /** The input with its OAuth client read (kept in `fields`, which this type never stores) and its secret taken out of the file. */
  const withOAuth = (input: ComponentInput, path: string): ComponentInput | { problem: string } => {
    const bytes = input.files.get(path);
    if (!bytes) return input;
    const xml = bytes.toString('utf8');
    const spec = readOAuthConfig(xml);
    if (spec && 'problem' in spec) return { problem: `ConnectedApp ${input.fullName}: ${spec.problem}` };
    const files = new Map(input.files);
    files.set(path, Buffer.from(withoutConsumerSecret(xml), 'utf8'));
    return { ...input, files, fields: { ...input.fields, oauthClient: spec } };
  };

  return {
    ...base,
    read(c, options) {
      const input = base.read(c, options);
      if ('problem' in input) return input;
      const read = withOAuth(input, c.mainPath);
      return 'problem' in read ? { fileName: c.mainPath, problem: read.problem } : read;
    },
    fromRecord(fullName, record) {
      const input = base.fromRecord(fullName, record);
      if ('problem' in input) return input;
      const read = withOAuth(input, pathOf(definition, fullName));
      return 'problem' in read ? { statusCode: 'FIELD_INTEGRITY_EXCEPTION', problem: read.problem } : read;
    },
    async apply(plan, input, existing, context) {
      const write = await base.apply(plan, input, existing, context);
      return { ...write, oauthClient: (input.fields.oauthClient as OAuthClientSpec | null | undefined) ?? null };
    },
  };
}
