/**
 * The edge-cache adapter (src/fastly/edge-cache-on.ts) over the build-time warm-up's in-memory core
 * cache (warm-up-core-cache.ts): what the warm-up's repeated page views rely on to reach the
 * cache-hit paths, and the adapter's own reading of entries, runnable on Node.
 */
import { describe, expect, it } from 'vitest';
import { edgeCacheOn } from '../../src/fastly/edge-cache-on.ts';
import { warmUpCoreCache } from '../../src/fastly/warm-up-core-cache.ts';
import { readEntrySoon, readEntryThen } from '../../src/core/edge-cache-read.ts';
import type { CoreCachePort, CoreTransaction } from '../../src/fastly/core-cache-port.ts';

const encoder = new TextEncoder();
const cacheOf = () => edgeCacheOn(warmUpCoreCache(), () => undefined);

describe('edge cache over the warm-up core cache', () => {
  it('finds nothing under a key never inserted', async () => {
    expect(await cacheOf().lookup('absent')).toBeNull();
  });

  it('reads back the bytes and metadata that were inserted', async () => {
    const cache = cacheOf();
    await cache.insert('page', encoder.encode('<p>hello</p>'), { ttlMs: 60_000, meta: '{"v":1}' });
    const found = await cache.lookup('page');
    expect(found && { body: new TextDecoder().decode(found.body), meta: found.meta, stale: found.stale }).toEqual({ body: '<p>hello</p>', meta: '{"v":1}', stale: false });
  });

  it('reads an empty entry as empty bytes', async () => {
    const cache = cacheOf();
    await cache.insert('marker', new Uint8Array(0), { ttlMs: 60_000, meta: 'pass' });
    const found = await cache.lookup('marker');
    expect(found && { bytes: found.body.byteLength, meta: found.meta }).toEqual({ bytes: 0, meta: 'pass' });
  });

  it('owes the fill of a missing key, and the next collapsing lookup finds what the fill inserted', async () => {
    const cache = cacheOf();
    const claim = await cache.lookupOrFill('profile', 100);
    expect(claim.entry).toBeNull();
    await claim.fill?.insert(encoder.encode('{"id":"u1"}'), { ttlMs: 60_000 });
    const again = await cache.lookupOrFill('profile', 100);
    expect({ body: again.entry && new TextDecoder().decode(again.entry.body), fill: again.fill }).toEqual({ body: '{"id":"u1"}', fill: null });
  });

  it('reads a found entry\'s body in two chunks into the claim, and closes the entry', async () => {
    const { core, closed } = coreWithBody(new ReadableStream({ start: (c) => { c.enqueue(encoder.encode('<p>')); c.enqueue(encoder.encode('hi</p>')); c.close(); } }), 9);
    const claim = await edgeCacheOn(core, () => undefined).lookupOrFill('page', 100);
    expect({ body: claim.entry && new TextDecoder().decode(claim.entry.body), meta: claim.entry?.meta, fill: claim.fill, closed: closed() }).toEqual({ body: '<p>hi</p>', meta: 'm', fill: null, closed: true });
  });

  it('rejects a collapsing lookup whose found entry\'s body fails to read, and closes the entry', async () => {
    const { core, closed } = coreWithBody(new ReadableStream({ pull: (c) => c.error(new Error('body read failed')) }), 5);
    await expect(edgeCacheOn(core, () => undefined).lookupOrFill('page', 100)).rejects.toThrow('body read failed');
    expect(closed()).toBe(true);
  });
});

describe('a collapsing lookup of an entry already there', () => {
  it('answers a stored entry from a plain lookup, opening no transaction', async () => {
    const { core, transactions } = countingTransactions();
    await edgeCacheOn(core, () => undefined).insert('page', encoder.encode('<p>stored</p>'), { ttlMs: 60_000, meta: 'm' });
    const claim = await edgeCacheOn(core, () => undefined).lookupOrFill('page', 100);
    expect({ body: claim.entry && new TextDecoder().decode(claim.entry.body), meta: claim.entry?.meta, fill: claim.fill, transactions: transactions() }).toEqual({ body: '<p>stored</p>', meta: 'm', fill: null, transactions: 0 });
  });

  it('answers an entry without a body (a pass marker) from a plain lookup', async () => {
    const { core, transactions } = countingTransactions();
    const cache = edgeCacheOn(core, () => undefined);
    await cache.insert('page', new Uint8Array(0), { ttlMs: 60_000, meta: '{"pass":true}' });
    const claim = await cache.lookupOrFill('page', 100);
    expect({ meta: claim.entry?.meta, bytes: claim.entry?.body.byteLength, fill: claim.fill, transactions: transactions() }).toEqual({ meta: '{"pass":true}', bytes: 0, fill: null, transactions: 0 });
  });

  it('answers a pass marker as it is, not as a promise', async () => {
    const cache = cacheOf();
    await cache.insert('page', new Uint8Array(0), { ttlMs: 60_000, meta: '{"pass":true}' });
    const claim = cache.lookupOrFill('page', 100);
    expect(claim instanceof Promise).toBe(false);
    expect(await claim).toEqual({ entry: { body: new Uint8Array(0), meta: '{"pass":true}', stale: false }, fill: null });
  });

  it('opens the transaction for a missing key, and owes its fill', async () => {
    const { core, transactions } = countingTransactions();
    const claim = await edgeCacheOn(core, () => undefined).lookupOrFill('page', 100);
    expect({ entry: claim.entry, owes: claim.fill !== null, transactions: transactions() }).toEqual({ entry: null, owes: true, transactions: 1 });
  });
});

describe('a lookup that hands its entry on (lookupThen)', () => {
  it('hands on an entry without a body at once, a stored body once read, and null for a miss', async () => {
    const cache = cacheOf();
    await cache.insert('marker', new Uint8Array(0), { ttlMs: 60_000, meta: '{"v":1}' });
    await cache.insert('page', encoder.encode('<p>stored</p>'), { ttlMs: 60_000, meta: 'm' });
    const seen: string[] = [];
    const at = (entry: { body: Uint8Array; meta: string } | null) => (entry === null ? 'null' : `${entry.meta}:${new TextDecoder().decode(entry.body)}`);
    const marker = cache.lookupThen?.('marker', (entry) => seen.push(at(entry)));
    // No body to read: handed on before the lookup returns, not in a later promise job.
    expect(seen).toEqual(['{"v":1}:']);
    await marker;
    await cache.lookupThen?.('page', (entry) => seen.push(at(entry)));
    await cache.lookupThen?.('absent', (entry) => seen.push(at(entry)));
    expect(seen).toEqual(['{"v":1}:', 'm:<p>stored</p>', 'null']);
  });

  it('returns the step\'s answer as it is when it needs no body read, and a promise of it once a body is read', async () => {
    const cache = cacheOf();
    await cache.insert('marker', new Uint8Array(0), { ttlMs: 60_000, meta: '{"v":1}' });
    await cache.insert('page', encoder.encode('<p>stored</p>'), { ttlMs: 60_000, meta: 'm' });
    const meta = (entry: { meta: string } | null) => entry?.meta ?? 'none';
    expect([cache.lookupThen?.('marker', meta), cache.lookupThen?.('absent', meta)]).toEqual(['{"v":1}', 'none']);
    const read = cache.lookupThen?.('page', meta);
    expect(read instanceof Promise).toBe(true);
    expect(await read).toBe('m');
    expect(readEntrySoon(cacheOf(), 'absent', meta)).toBe('none');
  });

  it('reads through the lookup\'s promise on a cache without lookupThen', async () => {
    const { lookupThen: _unused, ...plain } = cacheOf();
    const read = readEntrySoon(plain, 'absent', (entry) => entry);
    expect(read instanceof Promise).toBe(true);
    expect(await read).toBeNull();
  });

  it('hands on null when the body fails to read, and closes the entry', async () => {
    const { core, entry, closed } = coreWithBody(new ReadableStream({ pull: (c) => c.error(new Error('body read failed')) }), 5);
    const plain: CoreCachePort = { ...core, lookup: () => entry };
    expect(await edgeCacheOn(plain, () => undefined).lookupThen?.('page', (found) => found)).toBeNull();
    expect(closed()).toBe(true);
  });

  it('rejects, and calls its step once, when the step throws', async () => {
    let calls = 0;
    const step = (): never => {
      calls++;
      throw new Error('bug');
    };
    await expect(readEntryThen(cacheOf(), 'absent', step)).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

/** The warm-up core cache, counting the transactions opened on it. */
function countingTransactions(): { core: CoreCachePort; transactions: () => number } {
  const inner = warmUpCoreCache();
  let count = 0;
  const core: CoreCachePort = {
    lookup: (key) => inner.lookup(key),
    transactionLookupAsync: (key) => {
      count++;
      return inner.transactionLookupAsync(key);
    },
    insert: (key, options) => inner.insert(key, options),
  };
  return { core, transactions: () => count };
}

/** A core cache whose every transaction finds a usable entry of `length` bytes with this body. */
function coreWithBody(body: ReadableStream, length: number): { core: CoreCachePort; entry: CoreTransaction; closed: () => boolean } {
  let closed = false;
  const transaction: CoreTransaction = {
    state: () => ({ found: () => true, usable: () => true, stale: () => false, mustInsertOrUpdate: () => false }),
    userMetadata: () => encoder.encode('m').buffer,
    body: () => body,
    length: () => length,
    close: () => void (closed = true),
    insert: () => ({ append: () => undefined, close: () => undefined }),
    cancel: () => undefined,
  };
  const core: CoreCachePort = {
    lookup: () => null,
    transactionLookupAsync: () => ({ wait: () => Promise.resolve(transaction) }),
    insert: () => ({ append: () => undefined, close: () => undefined }),
  };
  return { core, entry: transaction, closed: () => closed };
}
