/**
 * The shared circuit breaker over an in-memory edge cache on a manual clock: counting, opening,
 * cool-down, the half-open probe and its lease, and failing open when the cache misbehaves.
 */
import { describe, expect, it } from 'vitest';
import { admit as admitAt, admitTo, breakerKey, peekBreaker as peekAt, record as recordAt } from '../../../src/core/backend/circuit-breaker.ts';
import type { Admission, BreakerOptions, BreakerVerdict } from '../../../src/core/backend/circuit-breaker.ts';
import type { EdgeCache } from '../../../src/core/ports.ts';
import { MemoryEdgeCache } from '../profile/memory-edge-cache.ts';

const BREAKER_KEY = breakerKey('profiles');
const admit = (cache: EdgeCache, o: BreakerOptions) => admitAt(cache, BREAKER_KEY, o);
const record = (cache: EdgeCache, o: BreakerOptions, a: Admission, v: BreakerVerdict) => recordAt(cache, BREAKER_KEY, o, a, v);
const peekBreaker = (cache: EdgeCache) => peekAt(cache, BREAKER_KEY);

const options: BreakerOptions = { failureThreshold: 3, failureWindowMs: 5_000, cooldownMs: 10_000, probeLeaseMs: 1_000 };

async function run(cache: EdgeCache, verdict: BreakerVerdict) {
  const admission = await admit(cache, options);
  await record(cache, options, admission, verdict);
  return admission;
}

async function failTimes(cache: EdgeCache, n: number) {
  for (let i = 0; i < n; i++) await run(cache, 'failure');
}

describe('circuit breaker', () => {
  it('admits everything when no state is stored', async () => {
    expect(await admit(new MemoryEdgeCache(), options)).toEqual({ allowed: true, probe: false, failures: 0 });
  });

  it('opens after the threshold of consecutive failures', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 2);
    expect(await admit(cache, options)).toMatchObject({ allowed: true, failures: 2 });
    await failTimes(cache, 1);
    expect(await admit(cache, options)).toEqual({ allowed: false, reason: 'breaker-open' });
  });

  it('resets the count on a success', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 2);
    await run(cache, 'success');
    await failTimes(cache, 2);
    expect(await admit(cache, options)).toMatchObject({ allowed: true, failures: 2 });
  });

  it('forgets failures after a window without failure', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 2);
    cache.clock.advance(5_000);
    await failTimes(cache, 2);
    expect(await admit(cache, options)).toMatchObject({ allowed: true, failures: 2 });
  });

  it('keeps skipping through the cool-down and lets exactly one probe through after it', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 3);
    cache.clock.advance(9_999);
    expect(await admit(cache, options)).toMatchObject({ allowed: false });
    cache.clock.advance(1);
    expect(await admit(cache, options)).toEqual({ allowed: true, probe: true, failures: 0 });
    expect(await admit(cache, options)).toEqual({ allowed: false, reason: 'breaker-open' });
  });

  it('hands admitTo the admission admit answers, closed, counting, open and half-open', async () => {
    const admitted = (cache: EdgeCache) => new Promise<Admission>((resolve) => void admitTo(cache, BREAKER_KEY, options, { admitted: resolve }));
    const cache = new MemoryEdgeCache();
    expect(await admitted(cache)).toEqual({ allowed: true, probe: false, failures: 0 });
    await failTimes(cache, 2);
    expect(await admitted(cache)).toEqual({ allowed: true, probe: false, failures: 2 });
    await failTimes(cache, 1);
    expect(await admitted(cache)).toEqual({ allowed: false, reason: 'breaker-open' });
    cache.clock.advance(10_000);
    expect(await admitted(cache)).toEqual({ allowed: true, probe: true, failures: 0 });
    // The probe's claim is written before the admission is handed over.
    expect(await admit(cache, options)).toEqual({ allowed: false, reason: 'breaker-open' });
  });

  it('closes when the probe gets an answer', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 3);
    cache.clock.advance(10_000);
    await run(cache, 'success');
    expect(await admit(cache, options)).toEqual({ allowed: true, probe: false, failures: 0 });
  });

  it('re-opens for a whole cool-down when the probe fails', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 3);
    cache.clock.advance(10_000);
    expect(await run(cache, 'failure')).toMatchObject({ probe: true });
    cache.clock.advance(9_999);
    expect(await admit(cache, options)).toMatchObject({ allowed: false });
    cache.clock.advance(1);
    expect(await admit(cache, options)).toMatchObject({ allowed: true, probe: true });
  });

  it('lets another probe through when the first never reports within its lease', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 3);
    cache.clock.advance(10_000);
    expect(await admit(cache, options)).toMatchObject({ probe: true });
    cache.clock.advance(999);
    expect(await admit(cache, options)).toMatchObject({ allowed: false });
    cache.clock.advance(1);
    expect(await admit(cache, options)).toMatchObject({ allowed: true, probe: true });
  });

  it('does not let a late success from before the opening close the breaker', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 2);
    const early = await admit(cache, options);
    await failTimes(cache, 1);
    await record(cache, options, early, 'success');
    expect(await admit(cache, options)).toMatchObject({ allowed: false });
  });

  it('keeps the stored state tiny: the state, the failure count and the time of the latest failure', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 2);
    expect(cache.text(BREAKER_KEY)).toMatch(/^\{"s":"closed","f":2,"e":\d{13}\}$/);
    await failTimes(cache, 1);
    expect(cache.text(BREAKER_KEY)).toMatch(/^\{"s":"open","e":\d{13}\}$/);
  });

  it('shows the breaker to /__health without claiming the probe', async () => {
    const cache = new MemoryEdgeCache();
    expect(await peekBreaker(cache)).toEqual({ state: 'closed', failures: 0, lastErrorAtMs: null });
    const before = Date.now();
    await failTimes(cache, 3);
    const view = await peekBreaker(cache);
    expect(view.state).toBe('open');
    expect(view.lastErrorAtMs).toBeGreaterThanOrEqual(before);
    expect(cache.text(BREAKER_KEY)).toMatch(/"s":"open"/);
  });

  it('keeps each backend in its own state', async () => {
    const cache = new MemoryEdgeCache();
    await failTimes(cache, 3);
    expect(await admit(cache, options)).toEqual({ allowed: false, reason: 'breaker-open' });
    expect(await admitAt(cache, breakerKey('templates'), options)).toEqual({ allowed: true, probe: false, failures: 0 });
  });

  it('treats a corrupt entry as closed', async () => {
    const cache = new MemoryEdgeCache();
    await cache.insert(BREAKER_KEY, new TextEncoder().encode('{"s":"open"'), { ttlMs: 60_000 });
    expect(await admit(cache, options)).toEqual({ allowed: true, probe: false, failures: 0 });
  });

  it.each([
    { how: 'rejects', fail: (): Promise<never> => Promise.reject(new Error('cache down')) },
    { how: 'throws before answering', fail: (): Promise<never> => { throw new Error('cache down'); } },
  ])('fails open when the cache $how', async ({ fail }) => {
    const broken: EdgeCache = { lookup: fail, lookupOrFill: fail, insert: fail, purgeSurrogateKey: () => Promise.resolve() };
    const admission = await admit(broken, options);
    expect(admission).toEqual({ allowed: true, probe: false, failures: 0 });
    await expect(record(broken, options, admission, 'failure')).resolves.toBeUndefined();
    await expect(peekBreaker(broken)).resolves.toEqual({ state: 'closed', failures: 0, lastErrorAtMs: null });
  });
});
