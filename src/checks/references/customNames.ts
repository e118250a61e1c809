/**
 * Which names of each type the references check may refuse: only custom components of the org's own
 * namespace. A standard object, field, tab or app exists in every real org, and a name with another
 * namespace (`ns__Field__c`, `ns.Class`) comes from an installed package this org may have: refusing
 * either would be a false refusal, so they are always accepted.
 */
const CUSTOM_OBJECT = /^[A-Za-z][A-Za-z0-9_]*?__(c|mdt|e|b|x)$/;
/** One `__` only: a second one is a namespace prefix (`ns__Thing__c`). */
const ownNamespace = (name: string) => {
  const first = name.indexOf('__');
  return (first < 0 || name.indexOf('__', first + 2) < 0) && !name.includes('.');
};
const customObject = (name: string) => CUSTOM_OBJECT.test(name) && ownNamespace(name);
const customChild = (name: string, child: (part: string) => boolean) => {
  const dot = name.indexOf('.');
  if (dot < 0) return false;
  const [object, part] = [name.slice(0, dot), name.slice(dot + 1)];
  const objectOk = ownNamespace(object) && (customObject(object) || !object.includes('__'));
  return objectOk && object !== 'PersonAccount' && child(part);
};
const plainName = (name: string) => !name.includes('__') && !name.includes('.') && !name.includes(':');

/**
 * The Apex classes and Visualforce pages an org gets when Sites or Experience Cloud is turned on (a Developer
 * Edition org has them from the start): profiles name them without carrying them (trailheadapps/az-insurance's
 * grant ChangePasswordController), and the org may have them without any deploy, so they are never refused.
 * The names are those of the defaults NebulaLogger's Experience Cloud scratch-org config carries.
 */
const SITE_DEFAULT_CLASSES = new Set([
  'ChangePasswordController', 'CommunitiesLandingController', 'CommunitiesLoginController', 'CommunitiesSelfRegConfirmController',
  'CommunitiesSelfRegController', 'ForgotPasswordController', 'LightningForgotPasswordController', 'LightningLoginFormController',
  'LightningSelfRegisterController', 'MicrobatchSelfRegController', 'MyProfilePageController', 'SiteLoginController', 'SiteRegisterController',
].flatMap((name) => [name, `${name}Test`].map((n) => n.toLowerCase())));
const SITE_DEFAULT_PAGES = new Set([
  'AnswersHome', 'BandwidthExceeded', 'ChangePassword', 'CommunitiesLanding', 'CommunitiesLogin', 'CommunitiesSelfReg',
  'CommunitiesSelfRegConfirm', 'CommunitiesTemplate', 'Exception', 'FileNotFound', 'ForgotPassword', 'ForgotPasswordConfirm', 'IdeasHome',
  'InMaintenance', 'MicrobatchSelfReg', 'MyProfilePage', 'SiteLogin', 'SiteRegister', 'SiteRegisterConfirm', 'SiteTemplate',
  'StdExceptionTemplate', 'Unauthorized', 'UnderConstruction',
].map((n) => n.toLowerCase()));

/**
 * The custom fields a Developer Edition org, and a scratch org of that edition, is made with (its sample data's):
 * projects built in one retrieve layouts and permission sets naming them and deploy them back to such orgs
 * (SFDC-Assets/flow-builder's init script, mshanemc's LightningSharing). Never refused: the edition of the org a
 * deploy is meant for is not known here.
 */
const DEVELOPER_EDITION_FIELDS = new Set(Object.entries({
  Account: ['Active__c', 'CustomerPriority__c', 'NumberofLocations__c', 'SLA__c', 'SLAExpirationDate__c', 'SLASerialNumber__c', 'UpsellOpportunity__c'],
  Contact: ['Languages__c', 'Level__c'],
  Lead: ['CurrentGenerators__c', 'NumberofLocations__c', 'Primary__c', 'ProductInterest__c', 'SICCode__c'],
  Opportunity: ['CurrentGenerators__c', 'DeliveryInstallationStatus__c', 'MainCompetitors__c', 'OrderNumber__c', 'TrackingNumber__c'],
  Case: ['EngineeringReqNumber__c', 'PotentialLiability__c', 'Product__c', 'SLAViolation__c'],
}).flatMap(([object, fields]) => fields.map((field) => `${object}.${field}`.toLowerCase())));

export const isDeveloperEditionField = (name: string) => DEVELOPER_EDITION_FIELDS.has(name.toLowerCase());

export const CHECKABLE: Record<string, (name: string) => boolean> = {
  CustomObject: customObject,
  CustomField: (name) => customChild(name, (field) => /__c$/.test(field) && ownNamespace(field)) && !isDeveloperEditionField(name),
  RecordType: (name) => customChild(name, plainName),
  ApexClass: (name) => plainName(name) && !SITE_DEFAULT_CLASSES.has(name.toLowerCase()),
  ApexPage: (name) => plainName(name) && !SITE_DEFAULT_PAGES.has(name.toLowerCase()),
  Flow: plainName,
  CustomPermission: plainName,
  FlexiPage: plainName,
  GlobalValueSet: plainName,
  LightningComponentBundle: plainName,
  AuraDefinitionBundle: plainName,
  CustomApplication: (name) => plainName(name) && !name.startsWith('standard__'),
  CustomTab: (name) => !name.startsWith('standard-') && (plainName(name) || customObject(name)),
  /** `Object.Field.Value`: the values of the org's own custom picklists. */
  PicklistValue: (name) => CHECKABLE.CustomField!(name.split('.').slice(0, 2).join('.')),
};

/**
 * Layouts of pages that are not an object's own, named after a pseudo-object, show the fields of the
 * object they act on (`CaseClose-Close Case Layout` shows Case fields, as ebikes-lwc's does).
 */
const LAYOUT_OBJECTS: Record<string, string> = { CaseClose: 'Case', CaseInteraction: 'Case', UserAlt: 'User' };

/** The object whose fields a layout shows, from the layout's fullName (`Account-Account Layout`). */
export function layoutObject(layoutName: string): string {
  const object = layoutName.slice(0, layoutName.indexOf('-'));
  return LAYOUT_OBJECTS[object] ?? object;
}

/**
 * Where a field is kept when its object is not its own: Task and Event fields are Activity's, as
 * custom activity fields are made on Activity and granted as Task.X__c and Event.X__c.
 */
export function storedFieldName(name: string): string {
  const first = name.charCodeAt(0) | 0x20; // lower case: only names starting with t or e can be Task or Event fields
  return first === 0x74 || first === 0x65 ? name.replace(/^(Task|Event)\./i, 'Activity.') : name;
}
