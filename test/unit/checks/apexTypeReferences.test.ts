import { membersReached } from '../../../src/checks/apex/apexMethods';
import { customFieldsRead, customTypesUsed } from '../../../src/checks/apex/apexTypeReferences';

const customFieldsUsed = (source: string) => customFieldsRead(membersReached(source).reads);

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

describe('the custom fields Apex reaches through a variable of a custom object type', () => {
  it('finds them, once each, where first used, for declarations, parameters, loops and properties, with `.` or `?.`', () => {
    const source = 'public class A {\n  void m(Gadget__c g) {\n    g.Size__c = 1;\n    for (Widget__c w : ws) { w.Colour__c = g?.Size__c + current?.Weight__c; }\n  }\n  Thing__c current { get; set; }\n}\n';
    expect(customFieldsUsed(source)).toEqual([
      { object: 'Gadget__c', field: 'Size__c', lineNumber: 3, columnNumber: 7 },
      { object: 'Widget__c', field: 'Colour__c', lineNumber: 4, columnNumber: 32 },
      { object: 'Thing__c', field: 'Weight__c', lineNumber: 4, columnNumber: 66 },
    ]);
  });

  it('leaves alone variables of other types, names declared with two types, calls, paths and queries', () => {
    expect(customFieldsUsed('public class A { Account a; void m() { a.Rating__c = 1; } }')).toEqual([]);
    expect(customFieldsUsed('public class A { void m(Gadget__c x) { x.Size__c = 1; } void n(Widget__c x) { x.Size__c = 2; } }')).toEqual([]);
    expect(customFieldsUsed('public class A { void m(Gadget__c g) { g.Owner__r.Name = null; g.get__c(); this.g.Size__c = 1; } }')).toEqual([]);
    expect(customFieldsUsed('public class A { void m(Gadget__c g) { List<Gadget__c> l = [SELECT g.Size__c FROM Gadget__c g]; } }')).toEqual([]);
    expect(customFieldsUsed('public class A { void m(Gadget__c g) { g.npsp__Amount__c = 1; } }')).toEqual([]);
  });
});
