import { describe, expect, it } from 'vitest';
import { nearestRank, SampleWindow } from '../../../collector/aggregates/percentiles.ts';

describe('nearest-rank percentiles', () => {
  it.each([
    { values: [1, 2, 3, 4], p: 50, expected: 2 },
    { values: [1, 2, 3, 4], p: 95, expected: 4 },
    { values: [10], p: 99, expected: 10 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, expected: 95 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 99, expected: 99 },
  ])('p$p of $values.length values is $expected', ({ values, p, expected }) => {
    expect(nearestRank(values, p)).toBe(expected);
  });

  it('is null without samples', () => {
    expect(new SampleWindow().percentiles([50])).toEqual({ p50: null });
  });

  it('sorts unsorted samples before ranking', () => {
    const window = new SampleWindow();
    for (const v of [9, 1, 5, 3, 7]) window.add(v);
    expect(window.percentiles([50, 99])).toEqual({ p50: 5, p99: 9 });
  });

  it('keeps only the most recent samples past its capacity but counts all', () => {
    const window = new SampleWindow(3);
    for (const v of [100, 100, 100, 1, 2, 3]) window.add(v);
    expect(window.count).toBe(6);
    expect(window.percentiles([99])).toEqual({ p99: 3 });
  });
});
