import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wilsonInterval } from '../../../collector/aggregates/wilson.ts';

describe('wilsonInterval', () => {
  it.each([
    { k: 0, n: 10, low: 0, high: 0.2775 },
    { k: 5, n: 10, low: 0.2366, high: 0.7634 },
    { k: 10, n: 10, low: 0.7225, high: 1 },
    { k: 81, n: 263, low: 0.2553, high: 0.3662 },
  ])('gives [$low, $high] for $k of $n', ({ k, n, low, high }) => {
    const interval = wilsonInterval(k, n)!;
    expect(interval.low).toBeCloseTo(low, 3);
    expect(interval.high).toBeCloseTo(high, 3);
  });

  it('is null without trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('always contains the observed rate and stays inside [0, 1]', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
      const k = Math.floor(share * n);
      const { low, high } = wilsonInterval(k, n)!;
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(low).toBeLessThanOrEqual(k / n + 1e-12);
      expect(high).toBeGreaterThanOrEqual(k / n - 1e-12);
    }));
  });
});
