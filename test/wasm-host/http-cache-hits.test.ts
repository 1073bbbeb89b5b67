/**
 * Fresh HTTP cache hits a worker answers itself (http-cache-hits.ts, kept-http-hits.ts) must be the
 * answers the store would give: the same object, age and hit count, none once the object changed,
 * went stale or left, and the same LRU order, so the same object is evicted next.
 */
import { describe, expect, it } from 'vitest';
import { HttpCacheState } from '../../wasm-host/abi.ts';
import { GuestHttpCache } from '../../wasm-host/guest-http-cache.ts';
import type { HttpCacheLookup, HttpCacheWrite } from '../../wasm-host/http-cache-objects.ts';
import { HttpCacheHits } from '../../wasm-host/http-cache-hits.ts';
import { KeptHttpHits } from '../../wasm-host/kept-http-hits.ts';

const { found, usable, stale, mustInsertOrUpdate: must } = HttpCacheState;

function setup(maxBytes = 1024 * 1024) {
  let now = 1_000_000;
  const clock = () => now;
  const shared = new HttpCacheHits();
  const store = new GuestHttpCache(maxBytes, clock, shared);
  // A second view of the same memory, as a worker thread has.
  const worker = new KeptHttpHits(new HttpCacheHits(shared.shared), clock);
  const write = (over: Partial<HttpCacheWrite> = {}): HttpCacheWrite => ({ maxAgeMs: 60_000, initialAgeMs: 0, swrMs: 0, sieMs: 0, surrogateKeys: ['tag'], vary: [], sensitive: false, ...over });
  const fill = async (key: string, over: Partial<HttpCacheWrite> = {}, bytes = 4) => {
    const lookup = await store.lookup(key, []);
    if (lookup.token === null) throw new Error(`no fill obligation for ${key}`);
    store.insert(lookup.token, key, [], { status: 200, headers: [['content-type', 'text/html']], body: new Uint8Array(bytes) }, write(over));
  };
  /** The store's answer, kept by the worker as a hostcall does. */
  const ask = async (key: string, headers: [string, string][] = []): Promise<HttpCacheLookup> => {
    const reply = await store.lookup(key, headers);
    worker.keep(key, headers, reply);
    return reply;
  };
  return { store, worker, fill, ask, shared, advance: (ms: number) => (now += ms) };
}

const withoutKept = ({ kept: _kept, ...rest }: HttpCacheLookup): HttpCacheLookup => rest;

describe('fresh HTTP cache hits answered in the worker', () => {
  it('answers what the store would: the same object and age, and one hit count shared with the store', async () => {
    const { worker, fill, ask, advance } = setup();
    await fill('k', { initialAgeMs: 2000 });
    const first = await ask('k');
    expect(first.kept).toBeDefined();
    advance(500);
    const local = worker.answer('k', []);
    expect(local).toEqual({ ...withoutKept(first), found: { ...first.found, hits: 1, ageMs: 2500 } });
    const next = await ask('k');
    expect(next.found).toMatchObject({ hits: 2, ageMs: 2500 });
    expect(worker.answer('k', [])?.found?.hits).toBe(3);
  });

  it('answers nothing for a key the store never answered it, once stale, or after any change to the object', async () => {
    const { store, worker, fill, ask, advance } = setup();
    expect(worker.answer('k', [])).toBeNull();
    await fill('k', { maxAgeMs: 1000, swrMs: 60_000 });
    await ask('k');
    advance(1000);
    expect(worker.answer('k', [])).toBeNull();
    expect((await store.lookup('k', [])).state).toBe(found | usable | stale | must);

    await fill('soft');
    await ask('soft');
    store.purge('tag', true);
    expect(worker.answer('soft', [])).toBeNull();

    await fill('hard');
    await ask('hard');
    store.purge('tag', false);
    expect(worker.answer('hard', [])).toBeNull();
    expect((await store.lookup('hard', [])).state).toBe(must);
  });

  it('answers a Vary variant only for the same header values and while the marker is unchanged; never a stale hit', async () => {
    const { store, worker, fill, ask } = setup();
    const html: [string, string][] = [['accept', 'text/html']];
    const put = async (vary: string[]) => {
      const lookup = await store.lookup('v', html);
      store.insert(lookup.token!, 'v', html, { status: 200, headers: [], body: new Uint8Array(1) }, { maxAgeMs: 60_000, initialAgeMs: 0, swrMs: 0, sieMs: 0, surrogateKeys: [], vary, sensitive: false });
    };
    await put(['accept']);
    const first = await ask('v', html);
    expect(first.kept?.marker?.names).toEqual(['accept']);
    expect(worker.answer('v', html)?.found?.hits).toBe(1);
    expect(worker.answer('v', [['accept', 'application/json']])).toBeNull();
    expect((await store.lookup('v', html)).found?.hits).toBe(2);
    // The store's marker changes (the object now varies on more): the kept answer no longer holds.
    const json: [string, string][] = [['accept', 'application/json']];
    const refill = await store.lookup('v', json);
    expect(refill.token).not.toBeNull();
    store.insert(refill.token!, 'v', json, { status: 200, headers: [], body: new Uint8Array(1) }, { maxAgeMs: 60_000, initialAgeMs: 0, swrMs: 0, sieMs: 0, surrogateKeys: [], vary: ['accept', 'accept-language'], sensitive: false });
    expect(worker.answer('v', html)).toBeNull();
    await fill('s', { maxAgeMs: 0, swrMs: 60_000 });
    expect((await ask('s')).kept).toBeUndefined();
  });

  it('moves a hit answered in the worker to the LRU front before the store evicts, as its own hits do', async () => {
    const { store, worker, fill, ask } = setup(1200);
    await fill('a', {}, 400);
    await fill('b', {}, 400);
    await ask('a');
    await ask('b');
    expect(worker.answer('a', [])?.found?.hits).toBe(1);
    await fill('c', {}, 400);
    expect((await store.lookup('a', [])).state).toBe(found | usable);
    expect((await store.lookup('b', [])).state).toBe(must);
  });

  it('leaves a hit to the store while the lock is held or the object was replaced', () => {
    const hits = new HttpCacheHits();
    const { cell, gen } = hits.allocate()!;
    const now = () => 100;
    expect(hits.exclusive(() => undefined, () => hits.tryHit(cell, gen, 101, now))).toBeNull();
    expect(hits.tryHit(cell, gen, 100, now)).toBeNull();
    expect(hits.tryHit(cell, gen, 101, now)).toBe(0);
    hits.release(cell);
    expect(hits.tryHit(cell, gen, 101, now)).toBeNull();
  });
});
