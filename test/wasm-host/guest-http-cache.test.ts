import { describe, expect, it } from 'vitest';
import { HttpCacheState } from '../../wasm-host/abi.ts';
import { GuestHttpCache } from '../../wasm-host/guest-http-cache.ts';
import type { HttpCacheWrite } from '../../wasm-host/http-cache-objects.ts';

const { found, usable, stale, mustInsertOrUpdate: must, usableIfError } = HttpCacheState;

function setup() {
  let now = 1_000_000;
  const cache = new GuestHttpCache(1024 * 1024, () => now);
  const write = (over: Partial<HttpCacheWrite> = {}): HttpCacheWrite => ({
    maxAgeMs: 60_000, initialAgeMs: 0, swrMs: 0, sieMs: 0, surrogateKeys: [], vary: [], sensitive: false, ...over,
  });
  const fill = async (key: string, over: Partial<HttpCacheWrite> = {}, body = 'body', headers: [string, string][] = []) => {
    const lookup = await cache.lookup(key, headers);
    if (lookup.token === null) throw new Error(`no fill obligation for ${key}`);
    cache.insert(lookup.token, key, headers, { status: 200, headers: [['content-type', 'text/html']], body: new TextEncoder().encode(body) }, write(over));
  };
  return { cache, fill, advance: (ms: number) => (now += ms) };
}

describe('GuestHttpCache', () => {
  it('makes the first lookup of a cold key insert, and the next one find it usable', async () => {
    const { cache, fill } = setup();
    expect(await cache.lookup('cold', [])).toMatchObject({ state: must, found: null });
    await fill('k');
    const hit = await cache.lookup('k', []);
    expect(hit).toMatchObject({ state: found | usable, servable: true, token: null });
    expect(new TextDecoder().decode(hit.found?.body)).toBe('body');
  });

  it('holds a concurrent lookup of the same key until the first inserts, then answers it a hit', async () => {
    const { cache } = setup();
    const leader = await cache.lookup('k', []);
    let waiterDone = false;
    const waiter = cache.lookup('k', []).then((result) => ((waiterDone = true), result));
    await Promise.resolve();
    expect(waiterDone).toBe(false);
    cache.insert(leader.token ?? -1, 'k', [], { status: 200, headers: [], body: new Uint8Array([1]) }, {
      maxAgeMs: 1000, initialAgeMs: 0, swrMs: 0, sieMs: 0, surrogateKeys: [], vary: [], sensitive: false,
    });
    expect(await waiter).toMatchObject({ state: found | usable, token: null });
  });

  it('hands the obligation to a waiter when the first instance abandons', async () => {
    const { cache } = setup();
    const leader = await cache.lookup('k', []);
    const waiter = cache.lookup('k', []);
    cache.release(leader.token ?? -1);
    const next = await waiter;
    expect(next.state).toBe(must);
    expect(next.token).not.toBeNull();
  });

  it('serves inside stale-while-revalidate with one instance refreshing', async () => {
    const { cache, fill, advance } = setup();
    await fill('k', { maxAgeMs: 1000, swrMs: 30_000 });
    advance(2000);
    const first = await cache.lookup('k', []);
    const second = await cache.lookup('k', []);
    expect(first).toMatchObject({ state: found | usable | stale | must, servable: true });
    expect(second).toMatchObject({ state: found | usable | stale, servable: true, token: null });
  });

  it('offers an object past stale-while-revalidate only for an origin failure', async () => {
    const { cache, fill, advance } = setup();
    await fill('k', { maxAgeMs: 1000, sieMs: 60_000 });
    advance(5000);
    expect(await cache.lookup('k', [])).toMatchObject({ state: found | stale | usableIfError | must, servable: false });
  });

  it('sends lookups straight to the origin while an object is recorded uncacheable', async () => {
    const { cache, advance } = setup();
    const leader = await cache.lookup('k', []);
    cache.recordPass(leader.token ?? -1, 'k', [], 10_000);
    expect(await cache.lookup('k', [])).toEqual({ state: 0, found: null, servable: false, token: null });
    advance(11_000);
    expect((await cache.lookup('k', [])).state).toBe(must);
  });

  it('keeps one variant per value of the header the object varies on', async () => {
    const { cache, fill } = setup();
    await fill('k', { vary: ['accept-language'] }, 'en', [['accept-language', 'en']]);
    expect((await cache.lookup('k', [['accept-language', 'en']])).state).toBe(found | usable);
    expect((await cache.lookup('k', [['accept-language', 'de']])).state).toBe(must);
  });

  it.each([
    { soft: false, state: must },
    { soft: true, state: found | usable | stale | must },
  ])('after a purge with soft=$soft answers a lookup with state $state', async ({ soft, state }) => {
    const { cache, fill } = setup();
    await fill('k', { surrogateKeys: ['edge-templates'], swrMs: 30_000 });
    expect(cache.purge('edge-templates', soft)).toBe(1);
    expect((await cache.lookup('k', [])).state).toBe(state);
  });
});
