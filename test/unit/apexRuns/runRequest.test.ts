import { NOTHING_TO_RUN, parseRunRequest } from '../../../src/apexRuns/runRequest';

describe('parseRunRequest', () => {
  it('reads the bodies the sf CLI sends', () => {
    expect(parseRunRequest({ testLevel: 'RunLocalTests', category: ['Apex'], skipCodeCoverage: true })).toEqual({
      ok: true, request: { testLevel: 'RunLocalTests', classes: [], suites: [], skipCodeCoverage: true },
    });
    expect(parseRunRequest({ tests: [{ className: 'FooTest' }], testLevel: 'RunSpecifiedTests', skipCodeCoverage: false })).toEqual({
      ok: true, request: { testLevel: 'RunSpecifiedTests', classes: [{ className: 'FooTest' }], suites: [], skipCodeCoverage: false },
    });
    expect(parseRunRequest({ tests: [{ className: 'Cls', testMethods: ['m1', 'm2'] }, { classId: '01p000000000001' }] })).toMatchObject({
      ok: true, request: { testLevel: 'RunSpecifiedTests', classes: [{ className: 'Cls', methods: ['m1', 'm2'] }, { classId: '01p000000000001' }] },
    });
    expect(parseRunRequest({ suiteNames: 'S1, S2', testLevel: 'RunSpecifiedTests' })).toMatchObject({
      ok: true, request: { suites: [{ name: 'S1' }, { name: 'S2' }], skipCodeCoverage: false },
    });
  });

  it('reads the older comma-separated lists', () => {
    expect(parseRunRequest({ classNames: 'A,B', classids: '01p000000000001', suiteids: '05F000000000001' })).toMatchObject({
      ok: true, request: { classes: [{ className: 'A' }, { className: 'B' }, { classId: '01p000000000001' }], suites: [{ id: '05F000000000001' }] },
    });
  });

  it('says "Always provide…" when nothing says what to run', () => {
    for (const body of [{}, { testLevel: 'RunSpecifiedTests' }, { skipCodeCoverage: true }, { tests: [] }, { classNames: ' , ' }]) {
      expect(parseRunRequest(body)).toEqual({ ok: false, errorCode: 'INVALID_INPUT', message: NOTHING_TO_RUN });
    }
  });

  it('refuses what it cannot read, naming the field', () => {
    const refusal = (body: unknown) => { const r = parseRunRequest(body); return r.ok ? undefined : r; };
    expect(refusal('RunLocalTests')).toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    expect(refusal({ testlevel: 'RunLocalTests' })).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining('"testlevel"') });
    expect(refusal({ tests: 'Foo' })).toMatchObject({ message: expect.stringContaining('"tests"') });
    expect(refusal({ tests: [{ name: 'Foo' }] })).toMatchObject({ message: expect.stringContaining('"name"') });
    expect(refusal({ tests: [{ testMethods: ['m'] }] })).toMatchObject({ message: expect.stringContaining('className or a classId') });
    expect(refusal({ tests: [{ className: 'A', testMethods: [] }] })).toMatchObject({ message: expect.stringContaining('testMethods') });
    expect(refusal({ testLevel: 'NoTestRun' })).toMatchObject({ errorCode: 'INVALID_INPUT', message: expect.stringContaining('Invalid testLevel') });
    expect(refusal({ testLevel: 'RunAllTestsInOrg', classNames: 'A' })).toMatchObject({ message: expect.stringContaining('RunAllTestsInOrg') });
    expect(refusal({ testLevel: 'RunLocalTests', skipCodeCoverage: 'yes' })).toMatchObject({ message: expect.stringContaining('skipCodeCoverage') });
    expect(refusal({ testLevel: 'RunLocalTests', category: ['Flow'] })).toMatchObject({ message: 'No tests found for category: Flow' });
  });
});
