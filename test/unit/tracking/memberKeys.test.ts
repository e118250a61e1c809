import { fileKeys, memberKeys, ownKey } from '../../../src/tracking/memberKeys';

const key = (memberType: string, memberName: string) => ({ memberType, memberName });

describe('SourceMember keys as the sf CLI derives them from files', () => {
  it('names most components by their type and fullName', () => {
    expect(memberKeys('ApexClass', 'Foo')).toEqual([key('ApexClass', 'Foo')]);
    expect(memberKeys('Settings', 'Security')).toEqual([key('Settings', 'Security')]);
    expect(memberKeys('Layout', 'Account-Account Layout')).toEqual([key('Layout', 'Account-Account Layout')]);
  });

  it('names children of an object file Object.Child, each under its own type', () => {
    expect(memberKeys('CustomField', 'Broker__c.Email__c')).toEqual([key('CustomField', 'Broker__c.Email__c')]);
    expect(memberKeys('ListView', 'Broker__c.All')).toEqual([key('ListView', 'Broker__c.All')]);
    expect(memberKeys('RecordType', 'Account.Partner')).toEqual([key('RecordType', 'Account.Partner')]);
    expect(memberKeys('ValidationRule', 'Broker__c.Needs_Email')).toEqual([key('ValidationRule', 'Broker__c.Needs_Email')]);
    expect(memberKeys('CompactLayout', 'Broker__c.Compact')).toEqual([key('CompactLayout', 'Broker__c.Compact')]);
    expect(memberKeys('WebLink', 'Broker__c.Map')).toEqual([key('WebLink', 'Broker__c.Map')]);
    expect(memberKeys('FieldSet', 'Broker__c.Summary')).toEqual([key('FieldSet', 'Broker__c.Summary')]);
    expect(memberKeys('CustomObject', 'Broker__c')).toEqual([key('CustomObject', 'Broker__c')]);
  });

  it('tracks a labels file by its labels only', () => {
    expect(memberKeys('CustomLabels', 'CustomLabels', ['labels/CustomLabels.labels'])).toEqual([]);
    expect(ownKey('CustomLabels', 'CustomLabels')).toBeUndefined();
    expect(memberKeys('CustomLabel', 'Greeting')).toEqual([key('CustomLabel', 'Greeting')]);
  });

  it('gives every file of a web component a LightningComponentResource row beside the bundle row', () => {
    const files = ['lwc/card/card.js', 'lwc/card/card.html', 'lwc/card/card.js-meta.xml', 'lwc/card/utils/format.js'];
    expect(memberKeys('LightningComponentBundle', 'card', files)).toEqual([
      key('LightningComponentResource', 'card/card.html'),
      key('LightningComponentResource', 'card/card.js'),
      key('LightningComponentResource', 'card/card.js-meta.xml'),
      key('LightningComponentResource', 'card/utils/format.js'),
      key('LightningComponentBundle', 'card'),
    ]);
  });

  it('gives every Aura file an AuraDefinition row, except the bundle meta file', () => {
    const files = ['aura/panel/panel.cmp', 'aura/panel/panel.cmp-meta.xml', 'aura/panel/panelController.js', 'aura/panel/panel.css'];
    expect(memberKeys('AuraDefinitionBundle', 'panel', files)).toEqual([
      key('AuraDefinition', 'panel/panel.cmp'),
      key('AuraDefinition', 'panel/panel.css'),
      key('AuraDefinition', 'panel/panelController.js'),
      key('AuraDefinitionBundle', 'panel'),
    ]);
  });

  it('keeps the path a file key came from, and makes none for other types', () => {
    expect(fileKeys('LightningComponentBundle', ['lwc/card/card.js'])).toEqual([{ ...key('LightningComponentResource', 'card/card.js'), path: 'lwc/card/card.js' }]);
    expect(fileKeys('StaticResource', ['staticresources/x.resource'])).toEqual([]);
  });
});
