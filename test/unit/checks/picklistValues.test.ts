import { existingPicklistValues } from '../../../src/checks/references/picklistValues';

const GVS = '<?xml version="1.0" encoding="UTF-8"?>\n<GlobalValueSet xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
  '    <customValue>\n        <fullName>Côte D&apos;Ivoire (CI)</fullName>\n        <default>false</default>\n    </customValue>\n' +
  '    <customValue>\n        <fullName>Afghanistan (AF)</fullName>\n    </customValue>\n    <masterLabel>Country</masterLabel>\n</GlobalValueSet>\n';
const FIELD = '<fields><fullName>Jurisdiction__c</fullName><valueSet><valueSetName>IP_Country</valueSetName></valueSet><type>Picklist</type></fields>';
const OWN = '<fields><fullName>Stage__c</fullName><valueSet><valueSetDefinition><value><fullName>Won &amp; Closed</fullName></value></valueSetDefinition></valueSet></fields>';

describe("a record type's picklist values, against the field's values after the deploy", () => {
  const sources = {
    field: (name: string) => ({ 'Thing__c.Jurisdiction__c': FIELD, 'Thing__c.Stage__c': OWN } as Record<string, string>)[name],
    globalValueSet: (name: string) => (name === 'IP_Country' ? GVS : undefined),
  };

  it('compares them decoded: the record type\'s URL encoding, the value set\'s XML entities, in any case', () => {
    const names = ['Thing__c.Jurisdiction__c.Côte D%27Ivoire %28CI%29', 'Thing__c.Jurisdiction__c.afghanistan %28AF%29',
      'Thing__c.Stage__c.Won %26 Closed', 'Thing__c.Jurisdiction__c.Atlantis', 'Thing__c.Stage__c.Lost'];
    expect([...existingPicklistValues(names, sources)]).toEqual(names.slice(0, 3).map((n) => n.toLowerCase()));
  });

  it('takes every value as there when the field\'s values cannot be known', () => {
    expect([...existingPicklistValues(['Thing__c.Unknown__c.X'], sources)]).toEqual(['thing__c.unknown__c.x']);
  });
});
