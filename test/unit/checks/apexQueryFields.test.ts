import { queryFieldsUsed } from '../../../src/checks/apex/apexQueryFields';

describe('the custom fields inline queries name', () => {
  it('finds each query\'s custom fields in the order written, selected, filtered, sorted or in a function, with the query on one line', () => {
    const source = [
      'public class A {',
      '  List<Thing__c> m(Decimal n) {',
      '    return [SELECT Id, Size__c, toLabel(Kind__c)',
      '            FROM Thing__c',
      '            WHERE Colour__c = :n',
      '            ORDER BY Rank__c];',
      '  }',
      '}',
    ].join('\n');
    const query = 'SELECT Id, Size__c, toLabel(Kind__c) FROM Thing__c WHERE Colour__c = :n ORDER BY Rank__c';
    expect(queryFieldsUsed(source)).toEqual([[
      { object: 'Thing__c', field: 'Size__c', lineNumber: 3, columnNumber: 24, query, column: 12 },
      { object: 'Thing__c', field: 'Kind__c', lineNumber: 3, columnNumber: 41, query, column: 29 },
      { object: 'Thing__c', field: 'Colour__c', lineNumber: 5, columnNumber: 19, query, column: 58 },
      { object: 'Thing__c', field: 'Rank__c', lineNumber: 6, columnNumber: 22, query, column: 82 },
    ]]);
  });

  it('leaves alone standard and namespaced fields, relationship paths, subqueries, searches and queries the parser cannot read', () => {
    expect(queryFieldsUsed([
      'public class A {',
      '  void m(Integer n) {',
      '    Object a = [SELECT Id, Name, Owner__r.Name, npsp__Thing__c, (SELECT Size__c FROM Parts__r) FROM Account];',
      '    Object b = [FIND \'x\' IN ALL FIELDS RETURNING Thing__c(Size__c)];',
      '    Object c = [SELECT Size__c FROM Thing__c LIMIT :n];',
      '  }',
      '}',
    ].join('\n'))).toEqual([]);
  });
});
