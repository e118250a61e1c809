/**
 * Metadata API types a manifest may name that Localforce does not emulate yet: they fail per
 * component with a clear message instead of "Unknown type name". Kept to the common ones.
 */
export const KNOWN_TYPES_NOT_EMULATED = [
  'ApexClass', 'ApexComponent', 'ApexPage', 'ApexTrigger', 'AuraDefinitionBundle', 'ConnectedApp', 'CustomApplication',
  'CustomField', 'CustomLabels', 'CustomMetadata', 'CustomObject', 'CustomPermission', 'CustomSite', 'CustomTab',
  'Dashboard', 'Document', 'EmailTemplate', 'ExternalCredential', 'FlexiPage', 'Flow', 'Group', 'Layout',
  'LightningComponentBundle', 'NamedCredential', 'PermissionSet', 'PermissionSetGroup', 'Profile', 'Queue',
  'RemoteSiteSetting', 'Report', 'Role', 'SamlSsoConfig', 'Settings', 'StaticResource', 'ValidationRule', 'Workflow',
];
