import { describe, expect, it } from 'vitest';
import { liftAgainstControl, rateOf } from '../../../collector/experiments/proportion-stats.ts';
import { srmCheck } from '../../../collector/experiments/srm-check.ts';

describe('proportion statistics', () => {
  // Reference values worked by hand with Python's math.erfc: pooled p = 0.115, z = 2.10274,
  // p = erfc(z / √2) = 0.0354885; Katz interval exp(ln 1.3 ± 1.96·√(0.87/130 + 0.9/100)) - 1.
  it('matches the hand-worked pooled z-test and Katz interval', () => {
    const lift = liftAgainstControl(130, 1000, 100, 1000);
    expect(lift.relative).toBeCloseTo(0.3, 12);
    expect(lift.pValue).toBeCloseTo(0.0354884505, 9);
    expect(lift.low).toBeCloseTo(0.0169842710, 9);
    expect(lift.high).toBeCloseTo(0.6617759470, 9);
  });

  it.each([
    { name: 'no exposed visitors in an arm', args: [0, 0, 5, 100] as const, lift: { relative: null, low: null, high: null, pValue: null } },
    { name: 'both arms at zero', args: [0, 100, 0, 100] as const, lift: { relative: null, low: null, high: null, pValue: 1 } },
  ])('gives nulls, not NaN, for $name', ({ args, lift }) => {
    expect(liftAgainstControl(args[0], args[1], args[2], args[3])).toEqual(lift);
  });

  it('gives a rate its Wilson interval, and null with no trials', () => {
    expect(rateOf(0, 0)).toEqual({ visitors: 0, rate: null, low: null, high: null });
    const r = rateOf(20, 100);
    expect([r.rate, r.low! < 0.2, r.high! > 0.2]).toEqual([0.2, true, true]);
  });
});

describe('sample-ratio mismatch check', () => {
  // By hand: X² = 2·169²/5000 = 11.4244, and with one degree of freedom p = erfc(√(X²/2)).
  it('matches the hand-worked chi-square and flags p < 0.001', () => {
    const srm = srmCheck([{ observed: 5169, weight: 50 }, { observed: 4831, weight: 50 }]);
    expect(srm.chiSquare).toBeCloseTo(11.4244, 4);
    expect(srm.pValue).toBeCloseTo(0.000724858298, 11);
    expect(srm.mismatch).toBe(true);
  });

  it('tests unequal weights against their own split', () => {
    expect(srmCheck([{ observed: 900, weight: 90 }, { observed: 100, weight: 10 }]).pValue).toBeCloseTo(1, 12);
  });

  it('flags any visitor in a variant weighted 0', () => {
    expect(srmCheck([{ observed: 50, weight: 1 }, { observed: 50, weight: 1 }, { observed: 1, weight: 0 }]).mismatch).toBe(true);
  });

  it('has nothing to say with no visitors', () => {
    expect(srmCheck([{ observed: 0, weight: 1 }, { observed: 0, weight: 1 }])).toEqual({ chiSquare: null, degreesOfFreedom: 1, pValue: null, mismatch: false });
  });
});
