import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { profileFor } from '../../../origin/data/profile-for.ts';
import type { ProfileEvent } from '../../../origin/profiles/event-batch.ts';
import type { ProfileStore } from '../../../origin/profiles/profile-store.ts';
import { REDIS_SERVER, REDIS_SKIP_REASON } from '../../../support/redis-server.ts';
import { diskKit, event, memoryKit, redisKit, type StoreKit } from './store-kit.ts';

const KITS: Array<{ kit: StoreKit; skip: string | null }> = [
  { kit: memoryKit(), skip: null },
  { kit: diskKit(), skip: null },
  { kit: diskKit(3), skip: null },
  { kit: redisKit(), skip: REDIS_SERVER === null ? REDIS_SKIP_REASON : null },
];

async function must<T>(result: Promise<({ ok: true } & T) | { ok: false; detail: string }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`store unavailable: ${settled.detail}`);
  return settled;
}

async function profileOf(store: ProfileStore, id: string) {
  return (await must(store.get(id))).profile;
}

describe.each(KITS)('profile store contract: $kit.name', ({ kit, skip }) => {
  const open: ProfileStore[] = [];
  const fresh = async (): Promise<ProfileStore> => {
    const store = await kit.fresh();
    open.push(store);
    return store;
  };
  const reopen = async (): Promise<ProfileStore> => {
    const store = await kit.reopen();
    open.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  afterAll(() => kit.dispose());
  const test = skip === null ? it : it.skip;
  if (skip !== null) it.skip(skip, () => undefined);

  test('holds the seeded demo dataset on first start', async () => {
    const store = await fresh();
    const seed = profileFor('u00042');
    expect(await profileOf(store, 'u00042')).toEqual({ ...seed, recentItems: [], purchased: [] });
    expect((await profileOf(store, 'demo-runner'))?.affinities.running).toBeGreaterThanOrEqual(0.6);
    expect(await profileOf(store, 'stranger')).toBeNull();
  });

  test('creates a profile from the first events of a new visitor', async () => {
    const store = await fresh();
    const written = await must(store.apply('new-visitor', [event('click', { item: 'sku-1003', category: 'running' }), event('view', { category: 'outdoor' })]));
    expect(written).toMatchObject({ applied: 2, duplicates: 0 });
    const profile = await profileOf(store, 'new-visitor');
    expect(profile).toMatchObject({ id: 'new-visitor', tier: 'none', recentCategories: ['outdoor', 'running'], recentItems: ['sku-1003'], purchased: [], updatedAt: '2026-11-29T12:00:00Z' });
    expect(profile?.affinities.running).toBeCloseTo(0.2 * (1 - 0.05 * 0.25), 4);
    expect(profile?.affinities.outdoor).toBeCloseTo(0.05, 4);
  });

  test('moves affinities towards a clicked category and lets the others fade, all within [0, 1]', async () => {
    const store = await fresh();
    const before = await profileOf(store, 'demo-general');
    await must(store.apply('demo-general', Array.from({ length: 30 }, () => event('purchase', { item: 'sku-1001', category: 'running' }))));
    const after = await profileOf(store, 'demo-general');
    expect(after?.affinities.running).toBeGreaterThan(before?.affinities.running ?? 1);
    expect(after?.affinities.running).toBeLessThanOrEqual(1);
    expect(after?.affinities.jackets).toBeLessThan(before?.affinities.jackets ?? 0);
    for (const value of Object.values(after?.affinities ?? {})) expect(value).toBeGreaterThanOrEqual(0);
    expect(after?.segments).toContain('runner');
    expect(after?.purchased).toEqual(['sku-1001']);
  });

  test('takes the category from the catalog when an event names only an item', async () => {
    const store = await fresh();
    await must(store.apply('item-only', [event('click', { item: 'sku-1026', category: null })]));
    expect(await profileOf(store, 'item-only')).toMatchObject({ recentCategories: ['jackets'], recentItems: ['sku-1026'] });
  });

  test('changes nothing when a batch is replayed', async () => {
    const store = await fresh();
    const batch = [event('click', { item: 'sku-1002' }), event('add_to_cart', { item: 'sku-1002' })];
    await must(store.apply('u00007', batch));
    const once = await profileOf(store, 'u00007');
    expect(await must(store.apply('u00007', batch))).toMatchObject({ applied: 0, duplicates: 2 });
    expect(await must(store.apply('u00007', [batch[1] as ProfileEvent, event('view', { category: 'shoes' })]))).toMatchObject({ applied: 1, duplicates: 1 });
    const replayedThenNew = await profileOf(store, 'u00007');
    expect(replayedThenNew?.recentCategories[0]).toBe('shoes');
    expect(replayedThenNew?.recentItems).toEqual(once?.recentItems);
  });

  test('counts every event of concurrent batches to one profile exactly once', async () => {
    const store = await fresh();
    const batches = Array.from({ length: 12 }, (_, i) => [event('click', { item: `sku-${1001 + i}`, category: 'shoes' })]);
    await Promise.all([...batches, ...batches].map((batch) => must(store.apply('u00100', batch))));
    const profile = await profileOf(store, 'u00100');
    expect(new Set(profile?.recentItems).size).toBe(10);
    const reference = await fresh();
    for (const batch of batches) await must(reference.apply('u00100', batch));
    expect((await profileOf(reference, 'u00100'))?.affinities.shoes).toBe(profile?.affinities.shoes);
  });

  test('erases a profile: afterwards it reads as unknown, and erasing again is harmless', async () => {
    const store = await fresh();
    expect(await must(store.erase('u00042'))).toMatchObject({ existed: true });
    expect(await profileOf(store, 'u00042')).toBeNull();
    expect(await must(store.erase('u00042'))).toMatchObject({ existed: false });
  });

  test('treats ids that look like object keys as plain ids', async () => {
    const store = await fresh();
    await must(store.apply('__proto__', [event('click', { category: 'constructor' })]));
    expect((await profileOf(store, '__proto__'))?.affinities).toEqual({ constructor: 0.2 });
    expect(await profileOf(store, 'constructor')).toBeNull();
  });

  (kit.durable ? test : it.skip)('keeps writes and erasures across a restart, without seeding again', async () => {
    const first = await fresh();
    await must(first.apply('u00003', [event('purchase', { item: 'sku-1010', category: 'outdoor' })]));
    await must(first.erase('u00004'));
    await must(first.apply('u00005', [event('view', { category: 'jackets' })]));
    const written = await profileOf(first, 'u00003');
    await first.close();
    const second = await reopen();
    expect(await profileOf(second, 'u00003')).toEqual(written);
    expect(await profileOf(second, 'u00004')).toBeNull();
    expect((await profileOf(second, 'u00005'))?.recentCategories[0]).toBe('jackets');
  });

  (kit.durable ? test : it.skip)('answers unavailable, not an exception, when its data cannot be reached', async () => {
    const store = await fresh();
    await kit.breakIt();
    const results = [await store.apply('u00001', [event('click', { item: 'sku-1001' })]), await store.erase('u00002')];
    for (const result of results) expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  test('replaying batches at least once loses nothing and counts nothing twice', async () => {
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 3 }, (_, i) => event(i === 0 ? 'add_to_cart' : 'click', { item: `sku-${1001 + b * 3 + i}`, category: null })));
    const store = await fresh();
    for (const batch of batches) await must(store.apply('reference', batch));
    const expected = await profileOf(store, 'reference');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 12 }), async (replays) => {
        const id = `replayed-${run++}`;
        // Every batch is delivered in order at least once; some are delivered again later.
        for (const [index, batch] of batches.entries()) {
          await must(store.apply(id, batch));
          for (const replay of replays.filter((r) => r <= index)) await must(store.apply(id, batches[replay] ?? []));
        }
        expect(await profileOf(store, id)).toEqual({ ...expected, id });
      }),
      { numRuns: 20 },
    );
  });
});
