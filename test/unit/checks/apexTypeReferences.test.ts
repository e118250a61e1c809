import { customTypesUsed } from '../../../src/checks/apex/apexTypeReferences';

const names = (source: string) => customTypesUsed(source).map((u) => u.name);

describe('the custom objects Apex uses as types', () => {
  it('finds declarations, constructions, casts and collections, once each, where first used', () => {
    const source = 'public class A {\n  Gadget__c g;\n  List<Widget__mdt> ws = new List<Widget__mdt>();\n  Object o = (Change__e) x;\n  void m() { g = new Gadget__c(); }\n}\n';
    expect(customTypesUsed(source)).toEqual([
      { name: 'Gadget__c', lineNumber: 2, columnNumber: 3 },
      { name: 'Widget__mdt', lineNumber: 3, columnNumber: 8 },
      { name: 'Change__e', lineNumber: 4, columnNumber: 15 },
    ]);
  });

  it('leaves fields, static access, queries, triggers\' objects and other namespaces alone', () => {
    expect(names('public class A { void m(Account a) { a.Rating__c = a?.Tier__c; upsert rows Key__c; } }')).toEqual([]);
    expect(names('public class A { Object o = new Gadget__c(Size__c = 1, Colour__c = \'red\'); }')).toEqual(['Gadget__c']);
    expect(names('public class A { Schema.SObjectType t = Gadget__c.SObjectType; Object f = Schema.Gadget__c.Size__c; }')).toEqual([]);
    expect(names('public class A { List<SObject> q = [SELECT Size__c FROM Gadget__c WHERE Id IN (SELECT Parent__c FROM Child__c)]; }')).toEqual([]);
    expect(names('trigger T on Gadget__c (before insert) { }')).toEqual([]);
    expect(names('public class A { npsp__Thing__c t; }')).toEqual([]);
  });
});
