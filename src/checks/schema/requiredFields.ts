/**
 * Fields a real org refuses a file without, by type. The WSDL's minOccurs is no guide: public projects
 * that deploy to real orgs leave out fields it marks required (ApexClass status, CustomSite
 * cspUpgradeInsecureRequests, CustomPermission isLicensed). Only refusals seen from real orgs are here.
 */
export const REQUIRED_FIELDS: Record<string, { fields: string[]; source: string }> = {
  ApexPage: { fields: ['label'], source: 'forcedotcom/salesforcedx-vscode#3124' },
  ApexComponent: { fields: ['label'], source: 'the ApexPage capture: the same meta file shape (ours)' },
  EmailTemplate: { fields: ['encodingKey'], source: 'SFDO-Tooling/CumulusCI#540' },
};
