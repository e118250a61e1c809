import { apexSyntaxProblems, warmApexParser, type ApexSyntaxProblem } from '../../../src/checks/apex/apexSyntax';

/** Lines joined with '\n', so that expected line numbers can be read off the array index (+1). */
const lines = (...text: string[]) => text.join('\n');
const refused = (problem: string, lineNumber: number, columnNumber: number): ApexSyntaxProblem[] => [{ problem, lineNumber, columnNumber }];

describe('apexSyntaxProblems accepts valid Apex', () => {
  const validClasses: [string, string][] = [
    ['a class with null coalescing and safe navigation', lines(
      'public class Navigation {',
      '  public static String cityOf(Account acct, String fallback) {',
      '    String city = acct?.BillingCity ?? fallback;',
      '    Integer size = acct?.Contacts?.size() ?? 0;',
      "    return acct?.Parent?.Name?.toUpperCase() ?? (city != null ? city : 'none');",
      '  }',
      '}')],
    ['switch on values, enums and SObject types', lines(
      'public class Switches {',
      '  public enum Season { WINTER, SPRING, SUMMER, FALL }',
      '  public static String describe(Object value, Season s, SObject record) {',
      '    switch on s {',
      '      when WINTER, FALL { return \'cold\'; }',
      '      when else { return \'warm\'; }',
      '    }',
      '  }',
      '  public static Integer score(String code, SObject record) {',
      "    switch on code { when 'a', 'b' { return 1; } when null { return 0; } when else { return -1; } }",
      '    switch on record {',
      '      when Account acct { return 2; }',
      '      when Contact person { return 3; }',
      '      when null { return 0; }',
      '      when else { return -1; }',
      '    }',
      '  }',
      '}')],
    ['SOQL and SOSL with binds', lines(
      'public with sharing class Queries {',
      '  public static List<Account> recent(Set<Id> ids, String name, Integer max) {',
      '    List<Account> found = [',
      '      SELECT Id, Name, Owner.Name, (SELECT Id, LastName FROM Contacts ORDER BY LastName)',
      '      FROM Account',
      '      WHERE Id IN :ids AND Name LIKE :(\'%\' + name + \'%\') AND CreatedDate = LAST_N_DAYS:30',
      '      WITH USER_MODE',
      '      ORDER BY Name DESC NULLS LAST',
      '      LIMIT :max OFFSET 5',
      '    ];',
      '    Integer total = [SELECT COUNT() FROM Account WHERE Name = :name];',
      '    AggregateResult[] groups = [SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry HAVING COUNT(Id) > 1];',
      '    List<List<SObject>> hits = [FIND :name IN ALL FIELDS RETURNING Account(Id, Name), Contact];',
      '    for (List<Account> batch : [SELECT Id FROM Account WHERE Name = :name]) { found.addAll(batch); }',
      "    return Database.query('SELECT Id FROM Account LIMIT 1');",
      '  }',
      '}')],
    ['less common SOQL clauses and expression forms', lines(
      'public class Odds {',
      '  public static void run(Object o, Account acct, Map<Id, Account> byId) {',
      '    List<Event> events = [SELECT TYPEOF What WHEN Account THEN Phone ELSE Name END FROM Event WITH SYSTEM_MODE];',
      '    List<Account> mine = [SELECT Id FROM Account USING SCOPE mine WHERE CreatedDate = NEXT_N_DAYS:7',
      '      AND LastModifiedDate > 2020-01-01T00:00:00Z AND Type NOT IN (\'a\', \'b\') AND Id IN :byId.keySet() ALL ROWS];',
      '    List<Opportunity> opps = [SELECT toLabel(StageName), convertCurrency(Amount) FROM Opportunity FOR UPDATE];',
      '    Integer bits = (1 << 2) | (8 >> 1) & (16 >>> 2) ^ 3; bits = ~bits; bits <<= 1; bits++; --bits;',
      '    Map<String, Object> parsed = (Map<String, Object>) JSON.deserializeUntyped(\'{}\');',
      '    String name = ((Account) o).Name + new Account(Name = \'x\').Name + [SELECT Id FROM Account].size();',
      '    Boolean listed = o instanceof List<String>;',
      '    String text = \'/* not a comment */\' + \'\\\\\' + \'\\\'\';',
      '    Object[] slots = new Object[5]; slots[0] = Account.Fields.Name;',
      '    System.runAs(new User(Id = UserInfo.getUserId())) { if (listed) System.debug(text); else System.debug(name); }',
      '  }',
      '}')],
    ['every DML form', lines(
      'public class Writes {',
      '  public static void save(List<Account> accounts, Account master, Account duplicate) {',
      '    insert accounts;',
      '    update accounts;',
      '    upsert accounts Account.Fields.Id;',
      '    delete accounts;',
      '    undelete accounts;',
      '    merge master duplicate;',
      '    insert as user accounts;',
      '    update as system accounts;',
      '    insert new Account(Name = \'x\', Phone = \'1\');',
      '    Database.SaveResult[] results = Database.insert(accounts, false, AccessLevel.USER_MODE);',
      '  }',
      '}')],
    ['inner classes, enums, interfaces, inheritance, properties and initialisers', lines(
      'global abstract class Shapes implements Comparable, Iterable<String> {',
      '  public interface Area { Decimal area(); }',
      '  public enum Kind { SQUARE, CIRCLE }',
      '  public class ShapeException extends Exception {}',
      '  private static final Map<String, Integer> SIDES = new Map<String, Integer>{ \'square\' => 4 };',
      '  static { SIDES.put(\'triangle\', 3); }',
      '  { this.label = \'shape\'; }',
      '  public String label { get; private set; }',
      '  public Integer sides { get { return sides == null ? 0 : sides; } set { sides = value; } }',
      '  transient Blob cache;',
      '  protected Shapes() { this(\'shape\'); }',
      '  protected Shapes(String label) { super(); this.label = label; }',
      '  public abstract Decimal area();',
      '  public virtual override String toString() { return label; }',
      '  global Integer compareTo(Object other) { return other instanceof Shapes ? 0 : -1; }',
      '  global Iterator<String> iterator() { return new List<String>{ label }.iterator(); }',
      '  public class Square extends Shapes implements Area {',
      '    Decimal side = 1.5;',
      '    public override Decimal area() { return side * side; }',
      '  }',
      '}')],
    ['annotations on classes, methods and fields', lines(
      '@RestResource(urlMapping=\'/shapes/*\')',
      'global inherited sharing class Annotated {',
      '  @AuraEnabled(cacheable=true scope=\'global\')',
      '  public static List<Account> cached() { return new List<Account>(); }',
      '  @InvocableMethod(label=\'Do it\' description=\'Does it\')',
      '  public static List<String> invoke(List<String> input) { return input; }',
      '  @HttpGet global static String get() { return RestContext.request.requestURI; }',
      '  @TestVisible @SuppressWarnings(\'PMD.AvoidGlobalModifier\') private Integer hidden;',
      '  @Future(callout=true) public static void later() {}',
      '  @ReadOnly @RemoteAction global static Integer count() { return 0; }',
      '  webservice static String legacy() { return null; }',
      '}')],
    ['a test class with loops, exceptions and casts', lines(
      '@IsTest(SeeAllData=false)',
      'private class LoopsTest {',
      '  @TestSetup static void setup() { insert new Account(Name = \'a\'); }',
      '  @IsTest static void loops() {',
      '    Integer i = 0;',
      '    do { i++; } while (i < 3);',
      '    while (i > 0) { i -= 1; }',
      '    for (Integer j = 0, k = 10; j < k; j++, k--) { if (j == 2) { continue; } else if (j > 4) { break; } }',
      '    for (;;) { break; }',
      '    Account[] accounts = new Account[]{};',
      '    Object o = (Object) accounts;',
      '    Long big = 10L; Double ratio = 1.5; Boolean flag = !false && (i >= 0 || i != -1);',
      "    String multi = '''",
      '      {"json": true}',
      "      ''';",
      '    try {',
      '      Test.startTest();',
      "      throw new DmlException('no');",
      '    } catch (DmlException e) {',
      '      Assert.areEqual(\'no\', e.getMessage(), \'the message\');',
      '    } catch (Exception e) {',
      '      System.assert(false);',
      '    } finally {',
      '      Test.stopTest();',
      '    }',
      '  }',
      '  static testMethod void legacy() {}',
      '}')],
    ['a batch class using SOQL words as names', lines(
      'public class Batch implements Database.Batchable<SObject>, Database.Stateful {',
      '  String name; Integer count; Object data; Date last; String category;',
      '  public Database.QueryLocator start(Database.BatchableContext bc) {',
      '    return Database.getQueryLocator([SELECT Id FROM Account]);',
      '  }',
      '  public void execute(Database.BatchableContext bc, List<SObject> scope) { count += scope.size(); }',
      '  public void finish(Database.BatchableContext bc) {}',
      '}')],
    ['a class with keywords in any case', lines(
      'PUBLIC Class Shouting EXTENDS Base IMPLEMENTS Runnable {',
      '  PRIVATE STATIC FINAL integer LIMIT_SIZE = 5;',
      '  Public Override VOID run() {',
      '    LIST<account> rows = [select ID from ACCOUNT where NAME = :label WITH security_enforced];',
      '    IF (rows.isEmpty()) { RETURN; } ELSE { UPDATE rows; }',
      '    FOR (Account a : rows) { SWITCH ON a.Name { WHEN \'x\' { INSERT a; } WHEN ELSE {} } }',
      '  }',
      '}')],
    ['comments, tabs, Windows line ends, a byte order mark and non-ASCII text',
      '\uFEFF/** Doc comment with ünïcödé. */\r\npublic class Commented {\r\n\t// a line comment\r\n\tString s = \'héllo 😀 \\\' \\n \\u00e9\';\r\n}\r\n'],
  ];

  it.each(validClasses)('%s', (_, source) => {
    expect(apexSyntaxProblems(source, 'class')).toEqual([]);
  });

  it('a trigger on every event', () => {
    const trigger = lines(
      'trigger AccountTrigger on Account (before insert, before update, before delete, after insert, after update, after delete, after undelete) {',
      '  if (Trigger.isBefore && Trigger.isInsert) {',
      '    for (Account a : Trigger.new) { a.Name = a.Name?.trim(); }',
      '  }',
      '  switch on Trigger.operationType {',
      '    when AFTER_UPDATE { AccountHandler.afterUpdate(Trigger.newMap, Trigger.oldMap); }',
      '    when else {}',
      '  }',
      '}');
    expect(apexSyntaxProblems(trigger, 'trigger')).toEqual([]);
  });

  it('a trigger with keywords in any case', () => {
    expect(apexSyntaxProblems('TRIGGER Loud ON Contact (AFTER Insert) {\n  System.debug(Trigger.NEW);\n}\n', 'trigger')).toEqual([]);
  });
});

describe('apexSyntaxProblems refuses what the org refuses, in its words', () => {
  it('a forgotten semicolon: expecting it at the next statement', () => {
    const source = lines(
      'public class A {',
      '  void m() {',
      '    Integer x = 1',
      '    Integer y = 2;',
      '  }',
      '}');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Expecting ';' but was: 'Integer'", 4, 5));
  });

  it('a class left open: expecting the brace at the end of the file, shown as an empty token', () => {
    const source = lines(
      'public class A {',
      '  void m() {',
      '  }',
      '');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Expecting '}' but was: ''", 4, 1));
  });

  it("a Java-style for loop: expecting ';' at 'in'", () => {
    const source = lines(
      'public class A {',
      '  void m(List<Account> accounts) {',
      '    for (Account a in accounts) {}',
      '  }',
      '}');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Expecting ';' but was: 'in'", 3, 20));
  });

  it('a statement in a class body: an unexpected token', () => {
    const source = lines(
      'public class A {',
      '  Account a = new Account();',
      '  insert a;',
      '}');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Unexpected token 'insert'.", 3, 3));
  });

  it('a stray word in an expression: an unexpected token', () => {
    const source = lines(
      'public class A {',
      '  void m() {',
      '    x = y JournalLines;',
      '  }',
      '}');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Unexpected token 'JournalLines'.", 3, 11));
  });

  it('a missing parenthesis', () => {
    expect(apexSyntaxProblems('public class A {\n  void m() {\n    if (x { }\n  }\n}\n', 'class'))
      .toEqual(refused("Expecting ')' but was: '{'", 3, 11));
  });

  it('an extra closing brace, and a second top-level class', () => {
    expect(apexSyntaxProblems('public class A {\n}\n}\n', 'class')).toEqual(refused("Unexpected token '}'.", 3, 1));
    expect(apexSyntaxProblems('public class A {\n}\npublic class B {}\n', 'class')).toEqual(refused("Unexpected token 'public'.", 3, 1));
  });

  it('an expression cut off by the end of the file', () => {
    expect(apexSyntaxProblems('public class A {\n  Integer x = ', 'class')).toEqual(refused("Unexpected token ''.", 2, 15));
  });

  it('an empty file', () => {
    expect(apexSyntaxProblems('', 'class')).toEqual(refused("Unexpected token ''.", 1, 1));
  });

  it('gives only the first of several errors', () => {
    const source = lines(
      'public class A {',
      '  void m() {',
      '    Integer x = 1',
      '    Integer y = 2',
      '    if (x { }',
      '  }',
      '');
    expect(apexSyntaxProblems(source, 'class')).toEqual(refused("Expecting ';' but was: 'Integer'", 4, 5));
  });

  it('counts columns in UTF-16 code units, as the org does', () => {
    expect(apexSyntaxProblems("public class A {\n  String s = '😀'; Integer x = 1 }\n", 'class'))
      .toEqual(refused("Expecting ';' but was: '}'", 2, 34));
  });

  it('a trigger on an event that does not exist', () => {
    expect(apexSyntaxProblems('trigger T on Account (before insert, after explode) {\n}\n', 'trigger'))
      .toEqual(refused("Unexpected token 'explode'.", 1, 44));
  });

  it("a trigger without 'on'", () => {
    expect(apexSyntaxProblems('trigger T Account (before insert) {\n}\n', 'trigger')).toEqual(refused("Expecting 'on' but was: 'Account'", 1, 11));
  });

  it('a class where a trigger is expected, and a trigger where a class is', () => {
    expect(apexSyntaxProblems('public class A {}', 'trigger')).toEqual(refused("Expecting 'trigger' but was: 'public'", 1, 1));
    expect(apexSyntaxProblems('trigger T on Account (before insert) {}', 'class')).toEqual(refused("Unexpected token 'trigger'.", 1, 1));
  });

  describe('characters and strings the lexer cannot read', () => {
    it('an operator Apex does not have', () => {
      expect(apexSyntaxProblems('public class A {\n  Integer x = 5 % 2;\n}\n', 'class'))
        .toEqual(refused("Found punctuation symbol or operator '%' that isn't valid in Apex.", 2, 17));
    });

    it('a letter outside ASCII in a name', () => {
      expect(apexSyntaxProblems('public class A {\n  Integer é = 1;\n}\n', 'class'))
        .toEqual(refused("Unrecognized symbol 'é', which is not a valid Apex identifier.", 2, 11));
    });

    it('a control character', () => {
      expect(apexSyntaxProblems('public class A {\n  Integer x = 1;\u0001\n}\n', 'class'))
        .toEqual(refused("Found control character hex 0x01 (decimal 1) that isn't valid in Apex.", 2, 17));
    });

    it('a string broken by a line end', () => {
      expect(apexSyntaxProblems("public class A {\n  String s = 'abc\n  ;\n}\n", 'class'))
        .toEqual(refused('Line breaks are not allowed in string literals', 2, 14));
    });

    it('a string cut off by the end of the file', () => {
      expect(apexSyntaxProblems("public class A {\n  String s = 'abc", 'class'))
        .toEqual(refused("Missing closing quote character ' on string.", 2, 14));
    });

    it('comes before the parse error it causes higher up in the file', () => {
      const source = lines(
        'public class A {',
        '  void m() {',
        '    foo.bar(',
        '      new %%%NS%%%Thing__c()',
        '    );',
        '  }',
        '}');
      expect(apexSyntaxProblems(source, 'class'))
        .toEqual(refused("Found punctuation symbol or operator '%' that isn't valid in Apex.", 4, 11));
    });

    it('an escape sequence Apex does not have', () => {
      expect(apexSyntaxProblems("public class A {\n  String s = 'a\\qb';\n}\n", 'class'))
        .toEqual(refused("Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.", 2, 14));
    });
  });
});

describe('warmApexParser', () => {
  it('finds no problem in its own code, and leaves the parser working', () => {
    expect(() => warmApexParser()).not.toThrow();
    expect(apexSyntaxProblems('public class AfterWarmUp {}', 'class')).toEqual([]);
  });
});
