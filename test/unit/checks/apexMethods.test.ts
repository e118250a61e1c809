import { methodsDeclared, staticCallsMade } from '../../../src/checks/apex/apexMethods';

describe('the static calls Apex makes on classes by their bare names', () => {
  it('finds each call once, at the method\'s name, with its arguments\' types when they are certain', () => {
    const source = [
      'public class A {',
      '  void m(Integer n, Thing__c t) {',
      '    Util.run();',
      '    Util.add(\'x\', 1, 2L, 1.5, true, n, t);',
      '    Util.run();',
      '  }',
      '}',
    ].join('\n');
    expect(staticCallsMade(source)).toEqual([
      { type: 'Util', method: 'run', argumentTypes: [], lineNumber: 3, columnNumber: 10 },
      { type: 'Util', method: 'add', argumentTypes: ['String', 'Integer', 'Long', 'Decimal', 'Boolean', 'Integer', 'Thing__c'], lineNumber: 4, columnNumber: 10 },
    ]);
  });

  it('leaves alone calls whose arguments\' types are not certain, variables\' methods, chains and queries', () => {
    expect(staticCallsMade([
      'public class A {',
      '  Helper helper { get; set; }',
      '  void m(List<String> names, Object o) {',
      '    Util.a(names); Util.b(o.toString()); Util.c(null); Util.d(1 + 2);',
      '    helper.run(); this.x.run(); ns.Util.run(); new Util().run();',
      '    List<Account> l = [SELECT Id FROM Account WHERE Name = :Util.name()];',
      '  }',
      '}',
    ].join('\n')).map((c) => `${c.type}.${c.method}`)).toEqual([]);
  });

  it('lists the methods a source may declare, with the enums\' own', () => {
    expect(methodsDeclared('public class A { public static User owner() { return helper(); } void run(Integer n) { new B().go(); x.y(); } }').sort())
      .toEqual(['helper', 'owner', 'run', 'valueof', 'values']);
  });
});
