import { apexVariables } from '../../../src/checks/apex/apexVariables';

const undeclared = (source: string) => apexVariables(source).undeclared.map((u) => u.name);

describe('the names Apex uses as values and declares nowhere', () => {
  it('finds them once each, where first used', () => {
    const source = 'public class A {\n  Integer total() {\n    Integer sum = 0;\n    return summ + summ;\n  }\n  void m() { add(itme); x = cont; }\n}\n';
    expect(apexVariables(source).undeclared).toEqual([
      { name: 'summ', lineNumber: 4, columnNumber: 12 },
      { name: 'itme', lineNumber: 6, columnNumber: 18 },
      { name: 'x', lineNumber: 6, columnNumber: 25 },
      { name: 'cont', lineNumber: 6, columnNumber: 29 },
    ]);
  });

  it('counts as declared the fields, locals, parameters, loop and catch variables, properties, enum values and types of the file, in any scope', () => {
    expect(undeclared([
      'public class A {',
      '  static final Integer LIMIT_SIZE = 10;',
      '  String key, whereClause = \'\', rest;',
      '  Map<String, List<Integer>> byName;',
      '  Integer[] sizes;',
      '  User owner { get; set { owner = value; } }',
      '  enum Colour { RED, GREEN }',
      '  class Inner { Integer n() { return LIMIT_SIZE + later; } }',
      '  void m(Integer p, Account acc) {',
      '    for (Integer i = 0; i < p; i++) { Integer later = i; }',
      '    for (Account each : accs) {}',
      '    try { } catch (DmlException e) { System.debug(e); }',
      '    Object o = key + whereClause + rest + byName + sizes + owner + RED + acc + Colour.GREEN + Inner.class;',
      '  }',
      '}',
    ].join('\n'))).toEqual(['accs']);
  });

  it('leaves alone calls, members, possible namespaces, queries, annotations, when values and fields set by name', () => {
    expect(undeclared([
      '@IsTest(SeeAllData=false)',
      'public class A {',
      '  void m(Colour c) {',
      '    helper(); npsp.Util.run(); a.b.c = 1;',
      '    List<Account> l = [SELECT Id FROM Account WHERE Name = :nameBind];',
      '    Account acc = new Account(Name = \'x\', Industry = \'y\');',
      '    switch on c { when RED, GREEN { } when else { } }',
      '  }',
      '}',
    ].join('\n'))).toEqual([]);
  });

  it('takes as declared a variable whose type the lexer reads as a keyword the grammar allows as a name', () => {
    // GEOLOCATION and NETWORK are SOQL keywords; AnimalShelterStarter declares `GeoLocation geoInfo`.
    expect(undeclared('public class A {\n  void m() { GeoLocation geoInfo = new GeoLocation(); geoInfo.x = 1; Network n; n = null; }\n}\n')).toEqual([]);
  });

  it('leaves alone the first name of a qualified type: in a declaration, a catch clause, a type argument', () => {
    expect(undeclared('public class A {\n  void m() { try { } catch (Fluent.AssertException e) { } ns.Thing t; List<ns.Thing> l; Map<Id, ns.Thing> m; }\n}\n')).toEqual([]);
    expect(undeclared('public class A {\n  Boolean m() { return totl.size > 2; }\n}\n')).toEqual(['totl']);
  });

  it('leaves alone the first name of a qualified return type and of a cast, as CPQB2BConnector\'s managed-package types', () => {
    expect(undeclared('global class A {\n  global static ccrz.Result submit(ccrz.Context ctx) { Object o = (ccrz.Result) ctx; return (ccrz.Result) (o); }\n}\n')).toEqual([]);
    // A parenthesized value stays a value.
    expect(undeclared('public class A {\n  Integer m() { if (totl.size > 0) { return (rec.n); } return 0; }\n}\n')).toEqual(['totl', 'rec']);
  });

  it('takes a name reached with one dot or ?. as a variable or a type, not a namespace', () => {
    expect(undeclared('public class A { void m() { acct.Name = \'x\'; rec?.get(\'y\'); Util.run(); } }')).toEqual(['acct', 'rec', 'Util']);
  });

  it('says what the classes extend, and what they declare for a subclass', () => {
    const found = apexVariables('public class A extends Base { protected Integer size; class B extends ns.Other {} }');
    expect(found.extended).toEqual(['Base', 'ns.Other']);
    expect(found.declared).toEqual(expect.arrayContaining(['size', 'a', 'b', 'value']));
  });
});
