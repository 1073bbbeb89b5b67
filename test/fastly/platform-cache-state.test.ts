/**
 * The backend adapter's reading of a fetched response (src/fastly/platform-cache-state.ts): with the
 * HTTP cache API the platform says hit or miss; without it an `Age` above zero is taken for a hit,
 * which an origin's own `Age` also makes, so such a hit is marked inferred and the core streams it.
 */
import { describe, expect, it } from 'vitest';
import { answered } from '../../src/fastly/platform-cache-state.ts';
import type { BackendSettle, CacheState } from '../../src/core/ports.ts';

const told: BackendSettle<[CacheState, boolean | undefined]> = {
  answered: (_response, cache, inferred) => [cache, inferred],
  failed: (error) => {
    throw error;
  },
};

const response = (headers: Record<string, string>, platform?: { cached: boolean; stale: boolean }) => Object.assign(new Response('x', { headers }), platform ?? {});

describe('answered: the cache state and whether a hit is only inferred', () => {
  it.each<{ name: string; headers: Record<string, string>; platform?: { cached: boolean; stale: boolean }; said: [CacheState, boolean] }>([
    { name: 'no HTTP cache API, an Age above zero: a hit, inferred', headers: { age: '5' }, said: ['HIT', true] },
    { name: 'no HTTP cache API, no Age: a miss', headers: {}, said: ['MISS', true] },
    { name: "the platform's hit", headers: { age: '5' }, platform: { cached: true, stale: false }, said: ['HIT', false] },
    { name: "the platform's stale copy", headers: {}, platform: { cached: true, stale: true }, said: ['STALE', false] },
    { name: "the platform's miss, whatever the origin's Age says", headers: { age: '5' }, platform: { cached: false, stale: false }, said: ['MISS', false] },
  ])('$name', ({ headers, platform, said }) => {
    expect(answered(told, response(headers, platform))).toEqual(said);
  });
});

describe("answered: a stale-if-error copy tells a listening gate of the origin's failure", () => {
  const listening = () => {
    const heard: unknown[] = [];
    return { heard, gate: { beforeOrigin: () => Promise.resolve(), originFailed: (error: unknown) => void heard.push(error) } };
  };
  const masked = (maskedError: unknown, stale = true) => Object.assign(response({}, { cached: true, stale }), { maskedError });

  it('tells the masked error of a stale copy at once, so the gate need not wait for its deadline', () => {
    const { heard, gate } = listening();
    const refused = new TypeError('NetworkError when attempting to fetch resource.');
    expect(answered(told, masked(refused), gate)).toEqual(['STALE', false]);
    expect(heard).toEqual([refused]);
  });

  it('tells nothing of a stale copy with no masked error (a revalidation still out), nor of a hit', () => {
    const { heard, gate } = listening();
    answered(told, masked(undefined), gate);
    answered(told, masked(null), gate);
    answered(told, masked(new Error('read only for a stale copy'), false), gate);
    answered(told, response({}, { cached: true, stale: true }), gate);
    expect(heard).toEqual([]);
  });
});
