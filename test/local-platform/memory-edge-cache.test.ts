import { expect, it } from 'vitest';
import { MemoryEdgeCache } from '../../src/local-platform/memory-edge-cache.ts';
import { fakeClock } from '../node-host/test-origin.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

it('returns a fresh entry before its TTL and nothing after TTL plus SWR', async () => {
  const clock = fakeClock();
  const cache = new MemoryEdgeCache({ clock: clock.now });
  await cache.insert('k', bytes('body'), { ttlMs: 1_000, swrMs: 500, meta: '{"a":1}' });
  expect(await cache.lookup('k')).toEqual({ body: bytes('body'), meta: '{"a":1}', stale: false });
  clock.advance(1_000);
  expect((await cache.lookup('k'))?.stale).toBe(true);
  clock.advance(500);
  expect(await cache.lookup('k')).toBeNull();
});

it('is unaffected when the caller mutates the inserted bytes', async () => {
  const cache = new MemoryEdgeCache();
  const body = bytes('abc');
  await cache.insert('k', body, { ttlMs: 1_000 });
  body[0] = 0;
  expect(new TextDecoder().decode((await cache.lookup('k'))!.body)).toBe('abc');
});

it('drops every entry tagged with a purged surrogate key and keeps the rest', async () => {
  const cache = new MemoryEdgeCache();
  await cache.insert('a', bytes('a'), { ttlMs: 60_000, surrogateKeys: ['frag', 'page'] });
  await cache.insert('b', bytes('b'), { ttlMs: 60_000, surrogateKeys: ['page'] });
  await cache.insert('c', bytes('c'), { ttlMs: 60_000, surrogateKeys: ['other'] });
  await cache.purgeSurrogateKey('page');
  expect(await cache.lookup('a')).toBeNull();
  expect(await cache.lookup('b')).toBeNull();
  expect(await cache.lookup('c')).not.toBeNull();
});

it('evicts the least recently used entries to stay under its byte cap', async () => {
  const cache = new MemoryEdgeCache({ maxBytes: 3_000 });
  await cache.insert('a', new Uint8Array(1_000), { ttlMs: 60_000 });
  await cache.insert('b', new Uint8Array(1_000), { ttlMs: 60_000 });
  await cache.lookup('a');
  await cache.insert('c', new Uint8Array(1_000), { ttlMs: 60_000 });
  expect(cache.bytes).toBeLessThanOrEqual(3_000);
  expect(await cache.lookup('a')).not.toBeNull();
  expect(await cache.lookup('b')).toBeNull();
  expect(await cache.lookup('c')).not.toBeNull();
});

it('does not store an object larger than the whole cap', async () => {
  const cache = new MemoryEdgeCache({ maxBytes: 500 });
  await cache.insert('big', new Uint8Array(1_000), { ttlMs: 60_000 });
  expect(await cache.lookup('big')).toBeNull();
  expect(cache.bytes).toBe(0);
});

it('gives the fill of a missed key to one caller of many and hands the others what it inserts', async () => {
  const cache = new MemoryEdgeCache();
  const claims = await Promise.all(Array.from({ length: 5 }, () => Promise.race([cache.lookupOrFill('k', 10_000), Promise.resolve('waiting' as const)])));
  const fills = claims.filter((claim) => claim !== 'waiting' && claim.fill !== null);
  expect(fills).toHaveLength(1);
  const waiters = Array.from({ length: 4 }, () => cache.lookupOrFill('k', 10_000));
  const fill = fills[0] !== 'waiting' ? fills[0]?.fill : null;
  await fill?.insert(bytes('page'), { ttlMs: 1_000 });
  const served = await Promise.all(waiters);
  expect(served.map((claim) => (claim.entry ? new TextDecoder().decode(claim.entry.body) : null))).toEqual(['page', 'page', 'page', 'page']);
  expect(served.every((claim) => claim.fill === null)).toBe(true);
});

it('lets the waiters go on with a miss when the fill is abandoned or outlasts the wait', async () => {
  const cache = new MemoryEdgeCache();
  const first = await cache.lookupOrFill('k', 10_000);
  const waiter = cache.lookupOrFill('k', 10_000);
  first.fill?.abandon();
  expect(await waiter).toEqual({ entry: null, fill: null });
  const next = await cache.lookupOrFill('k', 10_000);
  expect(next.fill).not.toBeNull();
  expect(await cache.lookupOrFill('k', 20)).toEqual({ entry: null, fill: null });
});
