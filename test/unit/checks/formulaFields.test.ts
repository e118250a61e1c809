import { fieldsOfFormula } from '../../../src/checks/references/formulaFields';

describe('the fields of its own object a formula reads', () => {
  it('reads custom fields, once each as written', () => {
    expect(fieldsOfFormula('Size__c * 2 + size__c + Weight__c')).toEqual(['Size__c', 'size__c', 'Weight__c']);
    expect(fieldsOfFormula('IF(ISPICKVAL(Stage__c, "Won"), Amount__c, 0)')).toEqual(['Stage__c', 'Amount__c']);
  });

  it('leaves out quoted text, comments, functions, globals, relationship paths and standard fields', () => {
    expect(fieldsOfFormula('"Size__c" & \'Weight__c\' /* Colour__c */ & TEXT(Name)')).toEqual([]);
    expect(fieldsOfFormula('$User.Department__c & $Setup.Config__c.Value__c & $Label.Thing__c')).toEqual([]);
    expect(fieldsOfFormula('Account__r.Rating__c & Owner.Region__c & CreatedDate')).toEqual([]);
    expect(fieldsOfFormula('Custom_Function__c(1)')).toEqual([]);
  });

  it('leaves out fields of another namespace, which an installed package brings', () => {
    expect(fieldsOfFormula('npsp__Amount__c + Own_Amount__c')).toEqual(['Own_Amount__c']);
  });

  it('reads past escaped quotes inside quoted text', () => {
    expect(fieldsOfFormula('"say \\"Size__c\\"" & Weight__c')).toEqual(['Weight__c']);
  });
});
