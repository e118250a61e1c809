/**
 * Key prefixes of the ids of well-known metadata components, as real orgs give them, so that ids in
 * FileProperties and deploy messages look like an org's. Other types share one prefix of our own.
 */
export const ID_PREFIX: Readonly<Record<string, string>> = {
  ApexClass: '01p', ApexComponent: '099', ApexPage: '066', ApexTrigger: '01q', AuraDefinitionBundle: '0Ab',
  Certificate: '0P1', CustomApplication: '02u', CustomField: '00N', CustomLabel: '101', CustomObject: '01I',
  CustomPermission: '0CP', CustomTab: '01r', Dashboard: '01Z', Document: '015', EmailTemplate: '00X', FlexiPage: '0M0',
  Flow: '301', Group: '00G', Layout: '00h', LightningComponentBundle: '0Rb', ListView: '00B', PermissionSet: '0PS',
  Profile: '00e', RecordType: '012', RemoteSiteSetting: '0rp', Report: '00O', StaticResource: '081',
  ValidationRule: '03d', WebLink: '00b', WorkflowRule: '01Q',
};

/** The prefix of a type's component ids. */
export const idPrefixOf = (type: string): string => ID_PREFIX[type] ?? '0Lf';
