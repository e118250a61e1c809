/**
 * Which element of which type names a component of another type: the data the references check
 * (referenceCheck.ts) reads. Each row cites the real refusal it reproduces; docs/deploy-checks.md lists
 * them, with what is deliberately left unchecked.
 *
 * - `from`: the referring type (the file's type; for a parent file, paths start at its root).
 * - `path`: element names from the file's root to the element whose text is the name.
 * - `target`: the type that must hold a component of that name in the org after the deploy (or one of
 *   them: a Lightning page's `c:` component is a Lightning web component or an Aura one).
 * - `select`: which names the element gives (by default its text): a page's `c:x` names `x` and
 *   `flexipage:richText` nothing to check; a formula names every field it reads.
 * - `qualify`: how the text becomes the target's fullName: `object` prefixes the referring component's
 *   object (`Account` + `Foo__c` → `Account.Foo__c`: a compact layout's fields, a layout's fields).
 * - `message`: the refusal's wording when it is not the usual `In field: <element> - no <target> named <name> found`.
 * - `cascadeOnly`: refused only when this deploy's own component of that name failed (and the org had none):
 *   the names cannot be told apart from what every org has, or no wording is known for one that never existed.
 * - `positioned`: whether the org's row carries the element's line and column (objects and layouts do;
 *   profiles, permission sets and tabs do not).
 * - `detail`: what else of the element the message says (a flow element's own name).
 * - `onlyIf`: the rule holds only for a file whose root has this child with this text, in any case (a flow's
 *   `status` of `Active`).
 */
import type { XmlElement } from '../../package/metadataXml';
import { layoutObject } from './customNames';
import { fieldsOfFormula } from './formulaFields';

export interface ReferenceRule {
  from: string;
  path: string[];
  target: string | string[];
  select?: (element: XmlElement, fullName: string) => string | string[] | undefined;
  /** The element the message names, when not the last of the path. */
  field?: string;
  qualify?: 'object';
  message?: (name: string, field: string, detail?: string) => string;
  positioned?: boolean;
  detail?: (element: XmlElement) => string | undefined;
  onlyIf?: { element: string; text: string };
  cascadeOnly?: boolean;
  source: string;
}

/** The wording of most rows: the element that names, and what it names. */
export const inField = (target: string, name: string, field: string) => `In field: ${field} - no ${target} named ${name} found`;

const text = (element: XmlElement) => element.text.trim();
const ownComponent = (element: XmlElement) => (text(element).startsWith('c:') ? text(element).slice(2) : undefined);
const childText = (element: XmlElement, name: string) => element.children.find((c) => c.local === name)?.text.trim();
const missingField = (name: string) => `Field ${name.slice(name.indexOf('.') + 1)} does not exist. Check spelling.`;

/** A record type's values of one picklist, named `Object.Picklist.Value` (values are URL-encoded in files, so hold no dot). */
const picklistValues = (element: XmlElement) => {
  const picklist = childText(element, 'picklist');
  return picklist ? element.children.filter((c) => c.local === 'values').map((v) => `${picklist}.${childText(v, 'fullName') ?? ''}`) : undefined;
};
const BUNDLES = ['LightningComponentBundle', 'AuraDefinitionBundle'];

/** The grants of profiles and permission sets: the same elements in both. */
const GRANTS: Omit<ReferenceRule, 'from'>[] = [
  { path: ['fieldPermissions', 'field'], target: 'CustomField', source: 'a raw DeployMessage of a profile (In field: field - no CustomField named Account.test__c found)' },
  { path: ['objectPermissions', 'object'], target: 'CustomObject', source: 'a raw DeployMessage of a permission set whose object failed' },
  { path: ['classAccesses', 'apexClass'], target: 'ApexClass', source: 'jongpie/NebulaLogger#122' },
  { path: ['pageAccesses', 'apexPage'], target: 'ApexPage', source: 'profile-cleanup tools matching the org\'s message' },
  { path: ['applicationVisibilities', 'application'], target: 'CustomApplication', source: 'the same grammar as the rows above (ours)' },
  { path: ['recordTypeVisibilities', 'recordType'], target: 'RecordType', source: 'sfdx-hardis deploy tips (In field: recordType - no RecordType named X found)' },
  { path: ['customMetadataTypeAccesses', 'name'], target: 'CustomObject', source: 'profile-cleanup tools (In field: customMetadataType - no CustomObject named X found)' },
  { path: ['customSettingAccesses', 'name'], target: 'CustomObject', source: 'the same grammar as customMetadataTypeAccesses (ours)' },
  { path: ['flowAccesses', 'flow'], target: 'Flow', source: 'profile-cleanup tools (In field: flow - no FlowDefinition named X found)' },
  { path: ['customPermissions', 'name'], target: 'CustomPermission', source: 'profile-cleanup tools (In field: customPermission - no CustomPermission named X found)' },
];

export const REFERENCE_RULES: ReferenceRule[] = [
  ...GRANTS.map((rule) => ({ ...rule, from: 'Profile' })),
  ...GRANTS.map((rule) => ({ ...rule, from: 'PermissionSet' })),
  { from: 'Profile', path: ['tabVisibilities', 'tab'], target: 'CustomTab', source: 'forcedotcom/cli#263',
    message: (name) => `You can't edit tab settings for ${name}, as it's not a valid tab.` },
  { from: 'PermissionSet', path: ['tabSettings', 'tab'], target: 'CustomTab', source: 'forcedotcom/cli#263 (the profile\'s wording)',
    message: (name) => `You can't edit tab settings for ${name}, as it's not a valid tab.` },
  { from: 'CustomApplication', path: ['tabs'], target: 'CustomTab', source: 'trailheadapps/lwc-recipes#586 (In field: tab - no CustomTab named Hello found)',
    message: (name) => `In field: tab - no CustomTab named ${name} found` },
  { from: 'CustomApplication', path: ['utilityBar'], target: 'FlexiPage', source: 'the same grammar (ours)' },
  { from: 'CustomTab', path: ['customObject'], target: 'CustomObject', field: 'fullName', select: (element, tab) => (text(element) === 'true' ? tab : undefined),
    source: 'a raw DeployMessage of a tab for an object that failed (In field: fullName - no CustomObject named X found)' },
  { from: 'CustomTab', path: ['flexiPage'], target: 'FlexiPage', source: 'trailheadapps/lwc-recipes#586, ebikes-lwc#33' },
  { from: 'CustomTab', path: ['page'], target: 'ApexPage', source: 'the same grammar (ours)' },
  { from: 'CustomTab', path: ['lwcComponent'], target: 'LightningComponentBundle', source: 'a public note (no LightningComponentBundle named X found)' },
  { from: 'CustomObject', path: ['fields', 'referenceTo'], target: 'CustomObject', positioned: true,
    source: 'the CRUD API\'s FIELD_INTEGRITY_EXCEPTION for a lookup to a missing object',
    message: (name) => `referenceTo value of '${name}' does not resolve to a valid sObject type` },
  { from: 'CustomObject', path: ['fields', 'valueSet', 'valueSetName'], target: 'GlobalValueSet', positioned: true, source: 'the usual grammar (ours)' },
  { from: 'CustomObject', path: ['compactLayouts', 'fields'], target: 'CustomField', qualify: 'object', positioned: true,
    source: 'a public note (no CompactLayout field found); wording of the usual grammar' },
  { from: 'CustomObject', path: ['fieldSets', 'displayedFields', 'field'], target: 'CustomField', qualify: 'object', positioned: true,
    source: 'tiaanswart/lightning-fieldset#1 (In field: X - no CustomField named Account.X found)',
    message: (name) => `In field: ${name.slice(name.indexOf('.') + 1)} - no CustomField named ${name} found` },
  { from: 'Layout', path: ['layoutSections', 'layoutColumns', 'layoutItems', 'field'], target: 'CustomField', qualify: 'object', positioned: true,
    source: 'Kathy-Lueckeman/EASY-Open-Source-Solution#10 (a layout naming a missing field, with line and column)' },
  { from: 'Layout', path: [], target: 'CustomObject', select: (_, layout) => layoutObject(layout), cascadeOnly: true,
    message: () => 'Parent entity failed to deploy', source: 'a raw DeployMessage of a layout whose object failed to parse' },
  { from: 'PermissionSetGroup', path: ['permissionSets'], target: 'PermissionSet', cascadeOnly: true,
    message: (name) => `Cannot create permission set group components since the following permission set names are invalid: ${name}`,
    source: 'a raw DeployMessage of a group whose permission set failed (standard permission sets look like custom ones)' },
  { from: 'CustomObject', path: ['fields', 'formula'], target: 'CustomField', qualify: 'object', positioned: true,
    select: (element) => fieldsOfFormula(text(element)), message: missingField,
    source: 'the formula engine\'s wording (Field X does not exist. Check spelling.), public formula tests and Flow captures' },
  { from: 'CustomObject', path: ['validationRules', 'errorConditionFormula'], target: 'CustomField', qualify: 'object', positioned: true,
    select: (element) => fieldsOfFormula(text(element)), message: missingField,
    source: 'as formula fields (the validation rule\'s row is UNCONFIRMED; the same sentence is expected)' },
  { from: 'CustomObject', path: ['recordTypes', 'picklistValues'], target: 'PicklistValue', qualify: 'object', positioned: true, select: picklistValues,
    message: (name) => {
      const [, picklist, value] = name.split('.');
      return `Picklist value: ${value} in picklist: ${picklist} not found`;
    },
    source: 'tiaanswart/lightning-fieldset#17; forcedotcom/cli#155 (the value as the file writes it, URL-encoded)' },
  { from: 'QuickAction', path: ['lightningWebComponent'], target: 'LightningComponentBundle',
    message: (name) => `Unable to retrieve lightning web component by namespace/developer name : ${name}`,
    source: 'an org-verified capture of a quick action naming a missing component' },
  { from: 'QuickAction', path: ['flowDefinition'], target: 'Flow', source: 'the usual grammar (ours)' },
  // Only an active flow: whether an org refuses a draft for it is not known, and a draft is saved with errors in Flow Builder.
  { from: 'Flow', path: ['actionCalls'], target: 'ApexClass', onlyIf: { element: 'status', text: 'Active' },
    // The action is the class (`Class`, or `Class.method` as some flows write it): its invocable method is the class's one.
    select: (element) => (childText(element, 'actionType')?.toLowerCase() === 'apex' ? childText(element, 'actionName')?.split('.')[0] : undefined),
    detail: (element) => childText(element, 'name'),
    message: (name, _, element) => `${element ?? ''} (Action) - We can't find the ${name} action. Verify that it's available and that you have ` +
      'the permissions and licenses required to use it.',
    source: 'an org-verified capture of a flow calling a missing Apex action (Get_Rows (Action) - We can\'t find the MyHelper action. …)' },
  { from: 'QuickAction', path: ['page'], target: 'ApexPage', source: 'the usual grammar (ours)' },
  { from: 'QuickAction', path: ['flexiPage'], target: 'FlexiPage', source: 'the usual grammar (ours)' },
  { from: 'QuickAction', path: ['targetObject'], target: 'CustomObject', source: 'the usual grammar (ours)' },
  { from: 'FlexiPage', path: ['flexiPageRegions', 'itemInstances', 'componentInstance', 'componentName'], target: BUNDLES, select: ownComponent,
    source: 'trailheadapps/lwc-recipes#5, #7; forcedotcom/cli#2893',
    message: (name) => `We couldn't retrieve the design time component information for component c:${name}.` },
  { from: 'FlexiPage', path: ['flexiPageRegions', 'componentInstances', 'componentName'], target: BUNDLES, select: ownComponent,
    source: 'as above, for pages written before API 49',
    message: (name) => `We couldn't retrieve the design time component information for component c:${name}.` },
];
