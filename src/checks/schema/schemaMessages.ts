/**
 * What a real org's metadata parser says of a file that breaks the schema, word for word. Sources,
 * as docs/deploy-checks.md lists them: deploy results and CLI output quoted in public issue threads
 * (the enum row is a raw DeployMessage). Wording marked "ours" had no capture and follows its siblings.
 */
export const SchemaMessages = {
  /** forcedotcom/cli#1112, #3320; salesforcedx-vscode#741. An empty namespace prints as `{}`. */
  invalidElement: (ns: string, name: string, type: string) =>
    `Error parsing file: Element {${ns}}${name} invalid at this location in type ${type}`,
  /** Flow, PermissionSet and CustomApplication captures: no namespace braces here. */
  duplicated: (name: string, type: string) => `Error parsing file: Element ${name} is duplicated at this location in type ${type}`,
  /** A raw DeployMessage of a CustomObject with a bad field type. */
  badEnum: (value: string, enumName: string) => `Error parsing file: '${value}' is not a valid value for the enum '${enumName}'`,
  /** Seen for xsd:double; the other simple types (boolean, int, date) follow it (ours). */
  badSimpleValue: (value: string, xsdType: string) => `Error parsing file: '${value}' is not valid for the type ${xsdType}`,
  /** source-deploy-retrieve PR #607: markup inside a string field. */
  elementInSimpleType: (ns: string, name: string) => `Error parsing file: Unexpected element {${ns}}${name} during simple type deserialization`,
  /** fflib-apex-common-samplecode#16: a CustomApplication property newer than the file's version. */
  notInVersion: (name: string, version: string) => `Property '${name}' not valid in version ${version}`,
  /** salesforcedx-vscode#3124: an ApexPage meta file without its label. */
  requiredMissing: (name: string) => `Required field is missing: ${name}`,
};
