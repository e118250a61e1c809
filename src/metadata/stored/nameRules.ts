import type { MetadataTypeDefinition } from '../metadataType';

/** Types whose names are developer names: a letter, then letters, digits and single underscores. */
const DEVELOPER_NAMED = new Set([
  'ApexClass', 'ApexTrigger', 'ApexPage', 'ApexComponent', 'StaticResource', 'AuraDefinitionBundle', 'LightningComponentBundle',
  'CustomPermission', 'RemoteSiteSetting', 'FlexiPage', 'PermissionSet', 'LightningMessageChannel',
]);

const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
// Characters no component name may hold: control characters, and those a file name cannot carry.
const FORBIDDEN = /[\u0000-\u001f\u007f\\:*?"<>|]/;
const MAX_NAME = 255;

/**
 * Checks a component's fullName as the platform would for its type, as far as names alone tell:
 * the generic rules for every type, developer-name rules where the type uses them.
 */
export function validateComponentName(type: MetadataTypeDefinition, fullName: string): string | undefined {
  const bad = (why: string) => `The ${type.xmlName} name '${fullName}' is not valid: ${why}. Rename the file (or fullName).`;
  if (!fullName.trim()) return bad('it is empty');
  if (fullName !== fullName.trim()) return bad('it begins or ends with a space');
  if (FORBIDDEN.test(fullName)) return bad('it holds a control character or one of \\ : * ? " < > |');
  if (fullName.length > MAX_NAME) return bad(`it is longer than ${MAX_NAME} characters`);
  const parts = fullName.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return bad('each part between slashes must be a name, not empty, . or ..');
  // Folders nest up to four deep; what they hold sits one level below, and is always in a folder.
  const [minSlashes, maxSlashes] = type.inFolder ? [1, 4] : type.folderContentType ? [0, 3] : type.layout === 'digitalExperience' ? [1, 1] : [0, 0];
  if (parts.length - 1 < minSlashes || parts.length - 1 > maxSlashes) {
    return bad(type.inFolder ? 'it must be Folder/Name (folders nest at most four deep)'
      : type.folderContentType ? 'folders nest at most four deep' : type.layout === 'digitalExperience' ? 'it must be kind/Name' : 'it cannot hold a /');
  }
  const own = type.inFolder ? fullName.slice(fullName.lastIndexOf('/') + 1) : fullName;
  const developerNamed = DEVELOPER_NAMED.has(type.xmlName) || type.folderContentType !== undefined;
  const named = type.folderContentType ? parts : [own];
  // `ns__Name` is a component of the package with namespace `ns`; an org makes only its own (it has none).
  const namespace = developerNamed ? /^([A-Za-z][A-Za-z0-9]*)__[A-Za-z]/.exec(own)?.[1] : undefined;
  if (namespace) {
    return `Cannot create a new component with the namespace: ${namespace}. Only components in the same namespace as the organization can be created through the API`;
  }
  if (developerNamed && named.some((p) => !DEVELOPER_NAME.test(p) || p.endsWith('_'))) {
    return bad('it can only contain underscores and alphanumeric characters, must begin with a letter, not end with an underscore, and not contain two consecutive underscores');
  }
  if (type.xmlName === 'LightningComponentBundle' && !/^[a-z]/.test(own)) return bad('a Lightning web component name must begin with a lowercase letter');
  return undefined;
}
