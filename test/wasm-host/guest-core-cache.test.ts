import { expect, it } from 'vitest';
import { MemoryEdgeCache } from '../../src/local-platform/memory-edge-cache.ts';
import { CoreCacheTransactions } from '../../wasm-host/guest-core-cache.ts';
import { SessionTransactions } from '../../wasm-host/session-transactions.ts';

const body = new TextEncoder().encode('page');
/** A miss whose lookup was told to insert. */
const obligation = (value: unknown): boolean => typeof value === 'object' && value !== null && 'found' in value && value.found === false && 'token' in value && typeof value.token === 'number';
const settledSoon = <T>(promise: Promise<T>): Promise<T | 'waiting'> => Promise.race([promise, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 20))]);

it('tells the first lookup of a missing key to insert and makes the next one wait for the insert', async () => {
  const store = new CoreCacheTransactions(new MemoryEdgeCache());
  const first = await store.lookup('k');
  expect(obligation(first)).toBe(true);
  const second = store.lookup('k');
  expect(await settledSoon(second)).toBe('waiting');
  await store.insert(first.token ?? 0, body, { ttlMs: 60_000, meta: 'm' });
  expect(await second).toMatchObject({ found: true, meta: 'm', stale: false, token: null });
});

it('hands the obligation to a waiting lookup when the first gives it up', async () => {
  const store = new CoreCacheTransactions(new MemoryEdgeCache());
  const first = await store.lookup('k');
  const second = store.lookup('k');
  store.release(first.token ?? 0);
  expect(obligation(await second)).toBe(true);
});

it('serves a stale object at once and asks only one lookup to refresh it', async () => {
  let now = 0;
  const cache = new MemoryEdgeCache({ clock: () => now });
  await cache.insert('k', body, { ttlMs: 10, swrMs: 1_000 });
  now = 100;
  const store = new CoreCacheTransactions(cache);
  const [a, b] = await Promise.all([store.lookup('k'), store.lookup('k')]);
  expect([a.found, b.found]).toEqual([true, true]);
  expect([a.token === null, b.token === null].sort()).toEqual([false, true]);
});

it('releases the obligation of a lookup the guest dropped before it resolved', async () => {
  const store = new CoreCacheTransactions(new MemoryEdgeCache());
  const leader = await store.lookup('k');
  const session = new SessionTransactions(store, () => undefined);
  session.start(1, 'k');
  session.closeBusy(1);
  store.release(leader.token ?? 0);
  // The dropped lookup won the obligation and gave it straight back, so a new lookup gets it.
  expect(obligation(await settledSoon(store.lookup('k')))).toBe(true);
});

it('releases what an ended guest still holds, so the next lookup is not stuck', async () => {
  const store = new CoreCacheTransactions(new MemoryEdgeCache());
  const session = new SessionTransactions(store, () => undefined);
  session.start(1, 'k');
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(obligation(session.take(1))).toBe(true);
  session.releaseAll();
  expect(obligation(await settledSoon(store.lookup('k')))).toBe(true);
});
