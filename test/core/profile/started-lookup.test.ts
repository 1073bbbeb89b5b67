/**
 * What a started profile lookup tells the page step (started-lookup.ts): `calling` only when the
 * decision waits on a store call, and on Compute's cache adapter a profile in the edge cache is
 * answered before `startLookup` returns, so the page step registers nothing and fetches no template
 * beside it (the hot path gains no callback, promise job or hostcall).
 */
import { describe, expect, it } from 'vitest';
import { startLookup, type ProfileLookupInput } from '../../../src/core/profile/profile-client.ts';
import { profileCacheKey, rememberProfile } from '../../../src/core/profile/profile-cache.ts';
import { DEFAULT_PROFILE_CLIENT_OPTIONS } from '../../../src/core/profile/profile-lookup.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';
import { edgeCacheOn } from '../../../src/fastly/edge-cache-on.ts';
import { warmUpCoreCache } from '../../../src/fastly/warm-up-core-cache.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';
import type { EdgeCache } from '../../../src/core/ports.ts';
import { ManualClock, MemoryEdgeCache } from './memory-edge-cache.ts';
import { returning, storeProfile } from './profile-harness.ts';

/** A lookup input whose store answers `answer`, logging the order of what happened into `log`. */
function inputOf(cache: EdgeCache, log: string[], answer: () => Response = () => Response.json(storeProfile())): ProfileLookupInput {
  const fetchBackend = backendPort(async () => {
    log.push('store called');
    await Promise.resolve();
    return { response: answer(), cache: 'PASS' };
  });
  return { cacheId: 'pseudo-u00042', settings: DEFAULT_SETTINGS, deps: { fetchBackend, cache, now: () => 0 }, waitUntil: () => undefined };
}

const remember = (cache: EdgeCache) => rememberProfile(cache, profileCacheKey('pseudo-u00042')!, 'u00042', { outcome: 'hit', profile: storeProfile() as never, reason: null }, DEFAULT_PROFILE_CLIENT_OPTIONS);

describe('a started profile lookup, as the page step reads it', () => {
  it('is answered before startLookup returns for a profile in the edge cache on the Compute adapter', async () => {
    const cache = edgeCacheOn(warmUpCoreCache(), () => undefined);
    await remember(cache);
    const log: string[] = [];
    const started = startLookup(returning('u00042'), inputOf(cache, log));
    expect(started.state).toBe('answered');
    started.whenCalling(() => log.push('then'));
    expect((await started.profile).outcome).toBe('cached');
    expect(log).toEqual([]);
  });

  it('runs the page step\'s callback once, just before the store is called, when the edge cache has no entry', async () => {
    const log: string[] = [];
    const started = startLookup(returning('u00042'), inputOf(new MemoryEdgeCache(new ManualClock()), log));
    expect(started.state).toBe('reading');
    started.whenCalling(() => log.push('then'));
    const found = await started.profile;
    expect([found.outcome, started.state]).toEqual(['hit', 'answered']);
    expect(log).toEqual(['then', 'store called']);
  });

  it('runs a callback given once the store is being called at once', async () => {
    const log: string[] = [];
    const started = startLookup(returning('u00042'), inputOf(new MemoryEdgeCache(new ManualClock()), log, () => new Response('down', { status: 503 })));
    for (let turns = 0; turns < 100 && started.state === 'reading'; turns++) await Promise.resolve();
    expect(started.state).toBe('calling');
    started.whenCalling(() => log.push('then'));
    expect(log).toEqual(['store called', 'then']);
    expect((await started.profile).outcome).toBe('error');
  });

  it('never calls back for a stale entry, whose refresh runs behind its answer', async () => {
    const clock = new ManualClock();
    const cache = new MemoryEdgeCache(clock);
    await remember(cache);
    clock.advance(DEFAULT_PROFILE_CLIENT_OPTIONS.ttlMs + 1);
    const log: string[] = [];
    const started = startLookup(returning('u00042'), inputOf(cache, log));
    started.whenCalling(() => log.push('then'));
    expect((await started.profile).outcome).toBe('cached');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['store called']);
  });

  it('is answered at once, asking no one, for a visitor without consent', () => {
    const started = startLookup({ consent: 'denied', analytics: false, id: null, minted: false, session: { categories: [], changed: false } } as never, inputOf(new MemoryEdgeCache(new ManualClock()), []));
    expect([started.asks, started.state]).toEqual([false, 'answered']);
  });

  it('survives a callback that throws: the lookup still answers from the store', async () => {
    const started = startLookup(returning('u00042'), inputOf(new MemoryEdgeCache(new ManualClock()), []));
    started.whenCalling(() => {
      throw new Error('page step broke');
    });
    expect((await started.profile).outcome).toBe('hit');
  });
});
