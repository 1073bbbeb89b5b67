/**
 * A page stored with holes in the page cache, through the whole handler: its TTL is the smallest of
 * its parts' (the candidate document's included), a purge of the candidates drops it, an entry that
 * does not read right or ranks badly is a miss (never a 5xx), a HEAD is answered from it, and a
 * request collapsed onto another's assembly is served its own ranking from the copy it stored.
 */
import { describe, expect, it, vi } from 'vitest';
import { blocks, fresh, site, TEMPLATE, view } from './ranked-page-kit.ts';
import type { EdgeCacheInsert } from '../../../src/core/ports.ts';
import type { TestDeps } from '../../support/make-deps.ts';

/** Visitor A's request stores the page; returns the page entry's key, body and options. */
async function storeFromA(deps: TestDeps): Promise<{ key: string; body: Uint8Array; options: EdgeCacheInsert }> {
  const inserts = vi.spyOn(deps.cache, 'insert');
  expect((await view(deps, 'visitor-a')).cache).toBe('MISS');
  const call = inserts.mock.calls.find(([, , options]) => options.meta?.includes('"holed"'));
  inserts.mockRestore();
  expect(call).toBeDefined();
  return { key: call![0], body: call![1], options: call![2] };
}

describe('a page stored with holes, in the page cache', () => {
  it("lives for the smallest TTL of its parts: the candidate document's 60 s, not the template's 300 s or the banner's 120 s", async () => {
    const deps = site('json');
    const { options } = await storeFromA(deps);
    expect(options.ttlMs).toBe(60_000);
    deps.advance(59_000);
    expect((await view(deps, 'visitor-b')).cache).toBe('HIT');
    deps.advance(2_000);
    expect((await view(deps, 'visitor-b')).cache).toBe('MISS');
  });

  it.each(['recs-candidates', 'banner'])('is dropped by a purge of %s, a surrogate key of one of its parts', async (key) => {
    const deps = site('compact');
    const { options } = await storeFromA(deps);
    expect(options.surrogateKeys).toEqual(expect.arrayContaining(['recs-candidates', 'banner']));
    await deps.cache.purgeSurrogateKey(key);
    expect((await view(deps, 'visitor-b')).cache).toBe('MISS');
  });

  it.each([
    { name: 'metadata whose holes do not fit the body', corrupt: (meta: string) => meta.replace('"holes":[[', '"holes":[[9999999,') },
    { name: 'a truncated body', body: (body: Uint8Array) => body.subarray(0, body.byteLength - 5) },
    { name: 'documents that no longer rank', body: (body: Uint8Array) => body.map((byte, i) => (i >= body.byteLength - 40 ? 0x20 : byte)) },
  ])('is a miss, answered by a fresh assembly, for an entry with $name', async ({ corrupt, body: cut }) => {
    const deps = site('json');
    const { key, body, options } = await storeFromA(deps);
    await deps.cache.insert(key, cut ? cut(body) : body, { ...options, meta: corrupt ? corrupt(options.meta ?? '') : options.meta });
    const page = await view(deps, 'visitor-b');
    expect([page.status, page.cache]).toEqual([200, 'MISS']);
    expect(page.body).toBe(await fresh('json', 'visitor-b'));
  });

  it('answers a HEAD from the stored copy without ranking it: a HIT, the head alone', async () => {
    const deps = site('json');
    await storeFromA(deps);
    expect(await view(deps, 'visitor-b', 'HEAD')).toEqual({ status: 200, cache: 'HIT', body: '' });
  });

  it("serves a request collapsed onto visitor A's assembly its own ranking from the copy A stored", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const deps = site('compact', TEMPLATE, held);
    const claims = vi.spyOn(deps.cache, 'lookupOrFill');
    const a = view(deps, 'visitor-a');
    await vi.waitFor(() => expect(claims).toHaveBeenCalledTimes(1));
    const b = view(deps, 'visitor-b');
    await vi.waitFor(() => expect(claims).toHaveBeenCalledTimes(2));
    release();
    const [pageA, pageB] = await Promise.all([a, b]);
    expect([pageA.cache, pageB.cache]).toEqual(['MISS', 'HIT']);
    expect(pageB.body).toBe(await fresh('compact', 'visitor-b'));
    expect(blocks(pageB.body)).not.toEqual(blocks(pageA.body));
  });
});
