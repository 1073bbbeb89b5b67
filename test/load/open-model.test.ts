/**
 * The open-model generator: requests are scheduled by the clock, not by responses, so a slow
 * server produces queueing latency, late and dropped requests instead of a lower request rate.
 */
import { describe, expect, it } from 'vitest';
import { quantile, runOpenModel } from '../../load/open-model.ts';

describe('open-model generator', () => {
  it('sends every scheduled request even when responses are slower than the interval', async () => {
    const result = await runOpenModel({ rate: 100, durationMs: 300, maxInFlight: 1_000, send: () => new Promise((resolve) => setTimeout(() => resolve(true), 100)) });
    expect(result.scheduled).toBe(30);
    expect(result.completed).toBe(30);
    expect(result.dropped).toBe(0);
  });

  it('drops requests that find maxInFlight outstanding instead of queueing them', async () => {
    const result = await runOpenModel({ rate: 100, durationMs: 300, maxInFlight: 2, send: () => new Promise((resolve) => setTimeout(() => resolve(true), 200)) });
    expect(result.dropped).toBeGreaterThan(0);
    expect(result.completed + result.dropped).toBe(result.scheduled);
  });

  it('counts failed sends as errors', async () => {
    const result = await runOpenModel({ rate: 200, durationMs: 50, maxInFlight: 10, send: (i) => Promise.resolve(i % 2 === 0) });
    expect(result.errors).toBe(Math.floor(result.scheduled / 2));
  });

  it.each([
    { q: 0.5, expected: 50 },
    { q: 0.99, expected: 99 },
    { q: 0.999, expected: 100 },
    { q: 0, expected: 1 },
  ])('takes the nearest-rank quantile $q of 1..100 as $expected', ({ q, expected }) => {
    expect(quantile(Array.from({ length: 100 }, (_, i) => 100 - i), q)).toBe(expected);
  });
});
