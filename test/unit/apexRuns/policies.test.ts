import { anonymousApexPolicyFromJson, storedPolicy } from '../../../src/apexRuns/anonymousApexPolicy';
import { coverageFor, policyFromJson } from '../../../src/deploy/apexTests/testOutcomePolicy';

describe('declared coverage in the test outcome policy', () => {
  it('reads a default and per-class percentages, and looks names up without regard to case', () => {
    const policy = policyFromJson({ default: 'pass', coverage: { default: 90, classes: { Invoice: 40, AccountTrigger: 0 } } });
    expect(policy).toEqual({ default: 'pass', classes: {}, coverage: { default: 90, classes: { Invoice: 40, AccountTrigger: 0 } } });
    expect([coverageFor(policy, 'invoice'), coverageFor(policy, 'ACCOUNTTRIGGER'), coverageFor(policy, 'Other')]).toEqual([40, 0, 90]);
  });

  it('covers 75% when nothing is declared, and keeps a policy without coverage as it was', () => {
    const plain = policyFromJson({ default: 'fail', classes: { A: 'pass' } });
    expect(plain).toEqual({ default: 'fail', classes: { A: 'pass' } });
    expect(coverageFor(plain, 'A')).toBe(75);
    expect(policyFromJson({ default: 'pass', coverage: { classes: { A: 10 } } }).coverage).toEqual({ default: 75, classes: { A: 10 } });
  });

  it('refuses percentages out of range or not numbers, unknown keys and names twice', () => {
    for (const coverage of [{ default: -1 }, { default: 100.5 }, { default: '50' }, { default: null }, { classes: { A: NaN } }, { classes: [] },
      { classes: { 'A B': 1 } }, { classes: { A: 1, a: 2 } }, { percent: 5 }, 80]) {
      expect(() => policyFromJson({ default: 'pass', coverage })).toThrow(/Invalid test outcome policy: .*coverage/);
    }
  });
});

describe('the anonymous Apex policy', () => {
  it('reads refuse and succeed only', () => {
    expect(anonymousApexPolicyFromJson({ policy: 'succeed' })).toBe('succeed');
    expect(anonymousApexPolicyFromJson({ policy: 'refuse' })).toBe('refuse');
    for (const body of [{ policy: 'run' }, { policy: 'SUCCEED' }, {}, { policy: 'refuse', also: 1 }, ['refuse'], 'succeed', null]) {
      expect(() => anonymousApexPolicyFromJson(body)).toThrow(/Invalid anonymous Apex policy/);
    }
  });

  it('refuses unless an org has said otherwise', () => {
    expect([storedPolicy(undefined), storedPolicy('succeed'), storedPolicy('garbage')]).toEqual(['refuse', 'succeed', 'refuse']);
  });
});
