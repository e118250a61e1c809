import { CHECKABLE } from '../../../src/checks/references/customNames';

describe('the names the references check may refuse', () => {
  it('are the org\'s own custom components, not a standard one or a package\'s', () => {
    expect(CHECKABLE.CustomObject!('Thing__c')).toBe(true);
    expect(CHECKABLE.CustomObject!('Account')).toBe(false);
    expect(CHECKABLE.CustomObject!('ns__Thing__c')).toBe(false);
    expect(CHECKABLE.CustomField!('Account.Size__c')).toBe(true);
    expect(CHECKABLE.CustomField!('Account.Name')).toBe(false);
    expect(CHECKABLE.ApexClass!('ThingService')).toBe(true);
    expect(CHECKABLE.ApexClass!('ns.ThingService')).toBe(false);
  });

  it('leave out the classes and pages Sites and Experience Cloud give an org, in any case', () => {
    expect(CHECKABLE.ApexClass!('ChangePasswordController')).toBe(false);
    expect(CHECKABLE.ApexClass!('sitelogincontrollertest')).toBe(false);
    expect(CHECKABLE.ApexPage!('SiteLogin')).toBe(false);
    expect(CHECKABLE.ApexPage!('ThingPage')).toBe(true);
  });

  it('leave out the fields a Developer Edition org is made with', () => {
    expect(CHECKABLE.CustomField!('Account.CustomerPriority__c')).toBe(false);
    expect(CHECKABLE.CustomField!('contact.languages__c')).toBe(false);
    expect(CHECKABLE.CustomField!('Contact.CustomerPriority__c')).toBe(true);
  });
});
