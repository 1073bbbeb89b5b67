/**
 * Where a remembered profile is kept in its edge entry: a usual one in the metadata with an empty
 * body (read back without a body stream), a large one in the body; entries written either way, and
 * the body-only entries written before the metadata was used, read back the same.
 */
import { describe, expect, it } from 'vitest';
import { readCachedProfile, rememberProfile } from '../../../src/core/profile/profile-cache.ts';
import { MemoryEdgeCache } from './memory-edge-cache.ts';
import type { Profile } from '../../../src/core/profile/profile.ts';
import { MAX_META_CHARS } from '../../../src/core/edge-cache-document.ts';

const VISITOR = 'u00042';
const KEY = 'profile:v1:pseudo-u00042';
const LIFETIMES = { ttlMs: 10_000, swrMs: 20_000, unknownTtlMs: 5_000 };

function profileWith(categories: number): Profile {
  const recentCategories = Array.from({ length: categories }, (_, i) => `category-${i}-${'x'.repeat(40)}`);
  return { id: VISITOR, tier: 'gold', segments: ['runner'], affinities: { running: 0.82 }, recentCategories, recentItems: [], purchased: [], locale: 'en-GB', updatedAt: null };
}

async function remembered(profile: Profile | null): Promise<MemoryEdgeCache> {
  const cache = new MemoryEdgeCache();
  const found = profile === null ? { outcome: 'unknown' as const, profile: null, reason: null } : { outcome: 'hit' as const, profile, reason: null };
  await rememberProfile(cache, KEY, VISITOR, found, LIFETIMES);
  return cache;
}

describe('the remembered profile entry', () => {
  it('keeps a usual profile in the metadata, with an empty body, and reads it back', async () => {
    const cache = await remembered(profileWith(2));
    const entry = await cache.lookup(KEY);
    expect(entry?.body.byteLength).toBe(0);
    expect(JSON.parse(entry?.meta ?? '')).toMatchObject({ v: 1, id: VISITOR });
    const read = await readCachedProfile(cache, KEY, VISITOR);
    expect(read?.found.outcome).toBe('cached');
    expect(read?.found.profile).toMatchObject({ id: VISITOR, tier: 'gold', recentCategories: profileWith(2).recentCategories });
  });

  it('keeps a profile past the metadata bound in the body, and reads it back', async () => {
    const large = profileWith(100);
    expect(JSON.stringify({ v: 1, id: VISITOR, profile: large }).length).toBeGreaterThan(MAX_META_CHARS);
    const cache = await remembered(large);
    const entry = await cache.lookup(KEY);
    expect(entry?.body.byteLength).toBeGreaterThan(MAX_META_CHARS);
    expect(entry?.meta).toBe('');
    const read = await readCachedProfile(cache, KEY, VISITOR);
    // Read back validated: the category list keeps its first 16.
    expect(read?.found.profile?.recentCategories).toEqual(large.recentCategories.slice(0, 16));
  });

  it('remembers a 404 in the metadata as an unknown visitor', async () => {
    const cache = await remembered(null);
    expect((await cache.lookup(KEY))?.body.byteLength).toBe(0);
    expect((await readCachedProfile(cache, KEY, VISITOR))?.found).toEqual({ outcome: 'cached', profile: null, reason: 'unknown' });
  });

  it('reads an entry written with the profile in the body and no metadata', async () => {
    const cache = new MemoryEdgeCache();
    const body = new TextEncoder().encode(JSON.stringify({ v: 1, id: VISITOR, profile: profileWith(1) }));
    await cache.insert(KEY, body, { ttlMs: 10_000 });
    expect((await readCachedProfile(cache, KEY, VISITOR))?.found.profile?.tier).toBe('gold');
  });

  it('treats an entry with neither a body nor metadata, or another visitor\'s, as a miss', async () => {
    const cache = new MemoryEdgeCache();
    await cache.insert(KEY, new Uint8Array(0), { ttlMs: 10_000 });
    expect(await readCachedProfile(cache, KEY, VISITOR)).toBeNull();
    const other = await remembered(profileWith(1));
    expect(await readCachedProfile(other, KEY, 'u00043')).toBeNull();
  });
});
