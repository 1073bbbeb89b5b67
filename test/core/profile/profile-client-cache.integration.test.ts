/**
 * The per-visitor edge profile cache as lookupProfile uses it with an msw store: fresh entries
 * spare the store, stale ones are served and refreshed in the background, visitors never share.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../setup/msw-server.ts';
import { createProfileHarness, PROFILE_ROUTE, returning, storeProfile } from './profile-harness.ts';
import { DEFAULT_PROFILE_CLIENT_OPTIONS } from '../../../src/core/profile/profile-client.ts';

/** A store whose answers the test can change; it counts requests per id. */
function store(tierFor: (id: string) => string | null = () => 'gold') {
  const asked: string[] = [];
  server.use(
    http.get(PROFILE_ROUTE, ({ params }) => {
      const id = String(params.id);
      asked.push(id);
      const tier = tierFor(id);
      return tier === null ? new HttpResponse(null, { status: 404 }) : HttpResponse.json(storeProfile(id, { tier }));
    }),
  );
  return asked;
}

describe('lookupProfile with the edge profile cache', () => {
  it('serves the second lookup of a visitor from the cache without asking the store', async () => {
    const asked = store();
    const harness = createProfileHarness();
    expect((await harness.lookup()).outcome).toBe('hit');
    await harness.settle();
    const second = await harness.lookup();
    expect(second).toMatchObject({ outcome: 'cached', reason: null, profile: { id: 'u00042', tier: 'gold' } });
    expect(asked).toEqual(['u00042']);
    expect(harness.cache.inserted).toContain('profile:v1:pseudo-u00042');
  });

  it('serves a stale entry at once and refreshes it through waitUntil', async () => {
    let tier = 'gold';
    const asked = store(() => tier);
    const harness = createProfileHarness();
    await harness.lookup();
    await harness.settle();
    tier = 'platinum';
    harness.clock.advance(DEFAULT_PROFILE_CLIENT_OPTIONS.ttlMs);
    const stale = await harness.lookup();
    expect(stale).toMatchObject({ outcome: 'cached', profile: { tier: 'gold' } });
    await harness.settle();
    expect(asked).toHaveLength(2);
    const refreshed = await harness.lookup();
    expect(refreshed).toMatchObject({ outcome: 'cached', profile: { tier: 'platinum' } });
    expect(asked).toHaveLength(2);
  });

  it('asks the store again once the stale window is over', async () => {
    const asked = store();
    const harness = createProfileHarness();
    await harness.lookup();
    await harness.settle();
    harness.clock.advance(DEFAULT_PROFILE_CLIENT_OPTIONS.ttlMs + DEFAULT_PROFILE_CLIENT_OPTIONS.swrMs);
    expect((await harness.lookup()).outcome).toBe('hit');
    expect(asked).toHaveLength(2);
  });

  it('keeps serving the stale entry when the background refresh fails', async () => {
    const harness = createProfileHarness();
    store();
    await harness.lookup();
    await harness.settle();
    server.use(http.get(PROFILE_ROUTE, () => new HttpResponse(null, { status: 500 })));
    harness.clock.advance(DEFAULT_PROFILE_CLIENT_OPTIONS.ttlMs);
    await harness.lookup();
    await harness.settle();
    expect(await harness.lookup()).toMatchObject({ outcome: 'cached', profile: { tier: 'gold' } });
  });

  it('never serves one visitor the entry of another', async () => {
    const asked = store((id) => (id === 'alice' ? 'gold' : 'bronze'));
    const harness = createProfileHarness();
    await harness.lookup({ identity: returning('alice'), cacheId: 'pseudo-alice' });
    await harness.settle();
    const bob = await harness.lookup({ identity: returning('bob'), cacheId: 'pseudo-bob' });
    expect(bob).toMatchObject({ outcome: 'hit', profile: { id: 'bob', tier: 'bronze' } });
    expect(asked).toEqual(['alice', 'bob']);
  });

  it("ignores an entry stored under the visitor's key for another id", async () => {
    store();
    const harness = createProfileHarness();
    await harness.lookup({ identity: returning('alice'), cacheId: 'shared' });
    await harness.settle();
    const bob = await harness.lookup({ identity: returning('bob'), cacheId: 'shared' });
    expect(bob).toMatchObject({ outcome: 'hit', profile: { id: 'bob' } });
  });

  it('remembers a 404 briefly as a cached unknown, then asks again', async () => {
    const asked = store(() => null);
    const harness = createProfileHarness();
    expect((await harness.lookup()).outcome).toBe('unknown');
    await harness.settle();
    expect(await harness.lookup()).toMatchObject({ outcome: 'cached', profile: null, reason: 'unknown' });
    harness.clock.advance(5_000);
    expect((await harness.lookup()).outcome).toBe('unknown');
    expect(asked).toHaveLength(2);
  });

  it('does not remember a 404 when unknownTtlMs is 0', async () => {
    const asked = store(() => null);
    const harness = createProfileHarness({ options: { unknownTtlMs: 0 } });
    await harness.lookup();
    await harness.settle();
    expect((await harness.lookup()).outcome).toBe('unknown');
    expect(asked).toHaveLength(2);
  });

  it.each([
    { name: 'a 500', respond: () => new HttpResponse(null, { status: 500 }) },
    { name: 'garbage', respond: () => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }) },
  ])('caches nothing after $name', async ({ respond }) => {
    server.use(http.get(PROFILE_ROUTE, respond));
    const harness = createProfileHarness();
    await harness.lookup();
    await harness.settle();
    expect(harness.cache.inserted.filter((key) => key.startsWith('profile:'))).toEqual([]);
  });

  it.each([
    { name: 'no pseudonym', cacheId: null },
    { name: 'a pseudonym that is not a plain token', cacheId: 'a:b' },
  ])('neither reads nor writes the cache with $name', async ({ cacheId }) => {
    const asked = store();
    const harness = createProfileHarness();
    await harness.lookup({ cacheId });
    await harness.settle();
    await harness.lookup({ cacheId });
    expect(asked).toHaveLength(2);
    expect(harness.cache.inserted.filter((key) => key.startsWith('profile:'))).toEqual([]);
  });

  it('honours custom ttl and stale windows', async () => {
    const asked = store();
    const harness = createProfileHarness({ options: { ttlMs: 1_000, swrMs: 0 } });
    await harness.lookup();
    await harness.settle();
    harness.clock.advance(1_000);
    expect((await harness.lookup()).outcome).toBe('hit');
    expect(asked).toHaveLength(2);
  });
});
