import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/node-host/rate-limiter.ts';

describe('RateLimiter', () => {
  it('allows up to the average rate over the window, then limits the entry for a minute', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const verdicts = Array.from({ length: 11 }, () => limiter.overRateLimit('a', 1, 10));
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill(false));
    expect(verdicts[10]).toBe(true);
    now += 59_000;
    expect(limiter.overRateLimit('a', 1, 10)).toBe(true);
    now += 2_000;
    expect(limiter.overRateLimit('a', 1, 10)).toBe(false);
  });

  it('forgets counts older than the window', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let i = 0; i < 10; i++) expect(limiter.overRateLimit('a', 1, 10)).toBe(false);
    now += 10_000;
    for (let i = 0; i < 10; i++) expect(limiter.overRateLimit('a', 1, 10)).toBe(false);
  });

  it('counts entries separately', () => {
    const limiter = new RateLimiter(() => 0);
    for (let i = 0; i < 10; i++) limiter.overRateLimit('a', 1, 10);
    expect(limiter.overRateLimit('a', 1, 10)).toBe(true);
    expect(limiter.overRateLimit('b', 1, 10)).toBe(false);
  });
});
