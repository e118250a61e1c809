import { findTestClasses, type TestClass } from '../../../src/deploy/apexTests/testClassScanner';
import { outcomeFor, parseTestOutcomePolicy, policyFromJson } from '../../../src/deploy/apexTests/testOutcomePolicy';
import { selectTests, simulateTestRun } from '../../../src/deploy/apexTests/simulatedTestRun';
import { metadataSchema } from '../../../src/soap/wsdlSchema';
import { XmlWriter } from '../../../src/soap/xmlWriter';

const apex = (name: string, body: string) => ({ name, body });

describe('findTestClasses', () => {
  it('finds @isTest classes and their @isTest methods in source order, annotation parameters included', () => {
    const found = findTestClasses([
      apex('AccountTest', `
        @IsTest(SeeAllData=true)
        private class AccountTest {
          @TestSetup static void setup() { insert new Account(Name = 'x'); }
          @isTest static void zeta() { System.assert(true); }
          @IsTest(OnInstall=false) public static void alpha() {}
          static void helper() {}
          @ISTEST
          private static void mid() {}
        }`),
    ]);
    expect(found).toEqual([{ name: 'AccountTest', methods: ['zeta', 'alpha', 'mid'] }]);
  });

  it('counts the legacy testMethod modifier in any modifier order', () => {
    const found = findTestClasses([
      apex('LegacyTest', `@isTest
        public class LegacyTest {
          static testMethod void first() {}
          public testMethod static void second() {}
          testmethod static void third() {}
          static void notATest() {}
        }`),
    ]);
    expect(found).toEqual([{ name: 'LegacyTest', methods: ['first', 'second', 'third'] }]);
  });

  it('ignores @isTest and testMethod inside comments and strings', () => {
    const found = findTestClasses([
      apex('Commented', `// @isTest
        /* @isTest */ public class Commented {
          @isTest static void t() {}
        }`),
      apex('Strings', `@isTest private class Strings {
          static String s = '@isTest static void fake() {}';
          // @isTest static void commentedOut() {}
          /* static testMethod void blockCommented() {} */
          @isTest static void real() { String q = 'it\\'s a { brace'; }
        }`),
    ]);
    expect(found).toEqual([{ name: 'Strings', methods: ['real'] }]);
  });

  it('ignores inner classes and their methods', () => {
    const found = findTestClasses([
      apex('OuterTest', `@isTest private class OuterTest {
          @isTest private class Inner {
            @isTest static void innerTest() {}
          }
          private static Set<String> names = new Set<String>{ 'a', 'b' };
          public Integer count { get; set; }
          @isTest static void outerTest() {}
        }`),
      apex('OnlyInnerTests', `@isTest private class OnlyInnerTests {
          @isTest class Inner { @isTest static void t() {} }
        }`),
    ]);
    expect(found).toEqual([{ name: 'OuterTest', methods: ['outerTest'] }]);
  });

  it('skips constructors but keeps a method that shares the class name case-insensitively', () => {
    const found = findTestClasses([
      apex('CtorTest', `@isTest public class CtorTest {
          @isTest public CtorTest() {}
          public CtorTest(Integer i) {}
          @isTest static void ctorTest() {}
          @isTest static List<Integer> generic() { return null; }
        }`),
    ]);
    expect(found).toEqual([{ name: 'CtorTest', methods: ['ctorTest', 'generic'] }]);
  });

  it('reports nothing for non-test classes, test classes without tests, interfaces or enums', () => {
    const found = findTestClasses([
      apex('Service', 'public class Service { @isTest static void looksLikeATest() {} }'),
      apex('TestFactory', '@isTest public class TestFactory { public static Account make() { return null; } }'),
      apex('Shape', '@isTest public interface Shape { void draw(); }'),
      apex('Colour', 'public enum Colour { RED, GREEN }'),
    ]);
    expect(found).toEqual([]);
  });
});

describe('parseTestOutcomePolicy', () => {
  it.each([
    ['pass', { default: 'pass', classes: {} }],
    ['fail', { default: 'fail', classes: {} }],
    [' FAIL ', { default: 'fail', classes: {} }],
    ['fail:MyTest,OtherTest', { default: 'pass', classes: { MyTest: 'fail', OtherTest: 'fail' } }],
    ['pass,fail:BrokerTest', { default: 'pass', classes: { BrokerTest: 'fail' } }],
    ['fail,pass:A,B,fail:C', { default: 'fail', classes: { A: 'pass', B: 'pass', C: 'fail' } }],
  ])('parses %p', (text, expected) => {
    expect(parseTestOutcomePolicy(text)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['maybe', /"maybe" is neither an outcome/],
    ['pass,fail', /default outcome twice/],
    ['pass,,fail:X', /empty entry/],
    ['fail:', /names no class/],
    ['skip:X', /"skip" is not an outcome/],
    ['fail:1Bad', /not an Apex class name/],
    ['fail:A,pass:a', /both outcomes/],
    ['fail:A,pass,B', /"B" is neither an outcome nor preceded/],
  ])('rejects %p', (text, message) => {
    expect(() => parseTestOutcomePolicy(text)).toThrow(message);
  });

  it('matches class names case-insensitively', () => {
    const policy = parseTestOutcomePolicy('pass,fail:BrokerTest');
    expect(outcomeFor(policy, 'brokertest')).toBe('fail');
    expect(outcomeFor(policy, 'OtherTest')).toBe('pass');
  });
});

describe('policyFromJson', () => {
  it('accepts a valid policy, classes optional', () => {
    expect(policyFromJson({ default: 'fail', classes: { A: 'pass' } })).toEqual({ default: 'fail', classes: { A: 'pass' } });
    expect(policyFromJson({ default: 'pass' })).toEqual({ default: 'pass', classes: {} });
  });

  it.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    [{}, /"default" must be "pass" or "fail", not missing/],
    [{ default: 'skip' }, /"default" must be/],
    [{ default: 'pass', classes: [] }, /"classes" must be an object/],
    [{ default: 'pass', classes: { A: true } }, /outcome of class A/],
    [{ default: 'pass', classes: { 'no spaces': 'fail' } }, /not an Apex class name/],
    [{ default: 'pass', defaults: 'fail' }, /unknown field "defaults"/],
  ])('rejects %p', (value, message) => {
    expect(() => policyFromJson(value)).toThrow(message);
  });
});

describe('selectTests', () => {
  const classes: TestClass[] = [
    { name: 'ZedTest', methods: ['b', 'a'] },
    { name: 'AlphaTest', methods: ['one', 'two', 'three'] },
  ];

  it('runs nothing for NoTestRun or no level', () => {
    expect(selectTests(undefined, [], classes)).toEqual({ ok: true, run: [] });
    expect(selectTests('NoTestRun', ['AlphaTest'], classes)).toEqual({ ok: true, run: [] });
  });

  it.each(['RunLocalTests', 'RunAllTestsInOrg', 'RunRelevantTests'])('runs every test class, sorted, for %s', (level) => {
    expect(selectTests(level, [], classes)).toEqual({
      ok: true,
      run: [{ className: 'AlphaTest', methods: ['one', 'two', 'three'] }, { className: 'ZedTest', methods: ['b', 'a'] }],
    });
  });

  it('runs the named classes and methods, case-insensitively, merging entries for one class', () => {
    expect(selectTests('RunSpecifiedTests', [' zedtest ', 'AlphaTest.THREE', 'alphatest.one'], classes)).toEqual({
      ok: true,
      run: [{ className: 'AlphaTest', methods: ['one', 'three'] }, { className: 'ZedTest', methods: ['b', 'a'] }],
    });
    expect(selectTests('RunSpecifiedTests', ['AlphaTest.two', 'AlphaTest'], classes)).toEqual({
      ok: true,
      run: [{ className: 'AlphaTest', methods: ['one', 'two', 'three'] }],
    });
  });

  it('rejects an empty runTests list', () => {
    const expected = { ok: false, problem: 'INVALID_OPERATION: runTests must not be empty when a testLevel of RunSpecifiedTests is used' };
    expect(selectTests('RunSpecifiedTests', [], classes)).toEqual(expected);
    expect(selectTests('RunSpecifiedTests', ['  '], classes)).toEqual(expected);
  });

  it('rejects a class that is not a test class', () => {
    expect(selectTests('RunSpecifiedTests', ['AlphaTest', 'MissingTest.foo'], classes)).toEqual({
      ok: false,
      problem: "This class name's value is invalid: MissingTest. Provide the name of an Apex class that has test methods.",
    });
  });

  it('rejects a method that does not exist', () => {
    const selection = selectTests('RunSpecifiedTests', ['alphatest.four'], classes);
    expect(selection.ok).toBe(false);
    expect(!selection.ok && selection.problem).toMatch(/^Method does not exist: AlphaTest\.four\b/);
  });

  it('rejects an unknown level', () => {
    expect(selectTests('RunSomeTests', [], classes)).toMatchObject({ ok: false, problem: expect.stringMatching(/Unknown testLevel: RunSomeTests/) });
  });
});

describe('simulateTestRun', () => {
  const ids = (name: string) => `01p${name}`;
  const run = [{ className: 'ZedTest', methods: ['b', 'a'] }, { className: 'AlphaTest', methods: ['two', 'one'] }];

  it('passes every method by default, sorted, with the simulation warning', () => {
    const result = simulateTestRun(run, parseTestOutcomePolicy('pass'), ids);
    expect(result.numberTestsTotal).toBe(4);
    expect(result.numberTestErrors).toBe(0);
    expect(result.runTestResult.numTestsRun).toBe(4);
    expect(result.runTestResult.numFailures).toBe(0);
    expect(result.runTestResult.failures).toEqual([]);
    expect(result.runTestResult.successes.map((s) => `${s.name}.${s.methodName}`)).toEqual(['AlphaTest.one', 'AlphaTest.two', 'ZedTest.a', 'ZedTest.b']);
    expect(result.runTestResult.successes[0]).toEqual({ id: '01pAlphaTest', methodName: 'one', name: 'AlphaTest', namespace: null, seeAllData: false, time: 0 });
    expect(result.runTestResult.codeCoverageWarnings).toEqual([{
      id: '',
      message: 'Localforce runs no Apex: these test outcomes are simulated by its test outcome policy, and no code coverage is measured.',
      name: null,
      namespace: null,
    }]);
    expect(result.runTestResult.codeCoverage).toEqual([]);
    expect(result.runTestResult.totalTime).toBe(0);
  });

  it('fails the methods of a class named by fail:X', () => {
    const result = simulateTestRun(run, parseTestOutcomePolicy('fail:zedtest'), ids);
    expect(result.numberTestsTotal).toBe(4);
    expect(result.numberTestErrors).toBe(2);
    expect(result.runTestResult.numFailures).toBe(2);
    expect(result.runTestResult.successes.map((s) => s.name)).toEqual(['AlphaTest', 'AlphaTest']);
    expect(result.runTestResult.failures).toEqual([
      {
        id: '01pZedTest',
        message: "System.AssertException: Assertion Failed: the outcome of ZedTest.a is set to fail by Localforce's test outcome policy",
        methodName: 'a', name: 'ZedTest', namespace: null, packageName: 'ZedTest', seeAllData: false,
        stackTrace: 'Class.ZedTest.a: line 1, column 1', time: 0, type: 'Class',
      },
      expect.objectContaining({ methodName: 'b', name: 'ZedTest' }),
    ]);
  });

  it('fails everything under fail', () => {
    const result = simulateTestRun(run, parseTestOutcomePolicy('fail'), ids);
    expect(result.numberTestErrors).toBe(4);
    expect(result.runTestResult.successes).toEqual([]);
  });

  it('reports no warning when nothing ran', () => {
    const result = simulateTestRun([], parseTestOutcomePolicy('pass'), ids);
    expect(result.numberTestsTotal).toBe(0);
    expect(result.runTestResult.codeCoverageWarnings).toEqual([]);
  });
});

describe('the WSDL test result types', () => {
  const schema = metadataSchema();

  it('declare the real Metadata API field order', () => {
    expect(schema.fieldsOf('RunTestFailure').map((f) => f.name)).toEqual([
      'id', 'message', 'methodName', 'name', 'namespace', 'packageName', 'seeAllData', 'stackTrace', 'time', 'type',
    ]);
    expect(schema.fieldsOf('RunTestSuccess').map((f) => f.name)).toEqual(['id', 'methodName', 'name', 'namespace', 'seeAllData', 'time']);
  });

  it('write a simulated run with nil namespaces', () => {
    const { runTestResult } = simulateTestRun([{ className: 'T', methods: ['m'] }], parseTestOutcomePolicy('fail'), () => '01p000000000001AAA');
    const xml = new XmlWriter(schema).response('checkDeployStatus', { id: '0Af000000000001AAA', details: { runTestResult } });
    expect(xml).toContain('<failures><id>01p000000000001AAA</id><message>System.AssertException: Assertion Failed: the outcome of T.m is set to fail by '
      + 'Localforce\'s test outcome policy</message><methodName>m</methodName><name>T</name><namespace xsi:nil="true"/>'
      + '<packageName>T</packageName><seeAllData>false</seeAllData><stackTrace>Class.T.m: line 1, column 1</stackTrace>'
      + '<time>0.0</time><type>Class</type></failures>');
  });
});
