/**
 * A collapsing lookup's claim through a core cache transaction (src/fastly/transaction-claim.ts):
 * the fallbacks to a plain lookup when the platform gives no transaction, and what a transaction
 * that finds a stale entry, or owes no fill, answers.
 */
import { expect, it } from 'vitest';
import { edgeCacheOn } from '../../src/fastly/edge-cache-on.ts';
import { transactionClaim } from '../../src/fastly/transaction-claim.ts';
import { warmUpCoreCache } from '../../src/fastly/warm-up-core-cache.ts';
import type { CoreCachePort, CoreTransaction } from '../../src/fastly/core-cache-port.ts';
import type { EdgeCache } from '../../src/core/ports.ts';

const encoder = new TextEncoder();

/** An edge cache holding `page`, and its core cache with `transactionLookupAsync` replaced. */
async function storedPage(transactionLookupAsync: CoreCachePort['transactionLookupAsync']): Promise<{ core: CoreCachePort; cache: EdgeCache }> {
  const inner = warmUpCoreCache();
  const cache = edgeCacheOn(inner, () => undefined);
  await cache.insert('page', encoder.encode('<p>stored</p>'), { ttlMs: 60_000, meta: 'm' });
  return { core: { ...inner, transactionLookupAsync }, cache };
}

/** A transaction in the given state, recording what was called on it. */
function transactionIn(state: { found: boolean; usable: boolean; mustInsertOrUpdate: boolean }): { transaction: CoreTransaction; calls: string[] } {
  const calls: string[] = [];
  const transaction: CoreTransaction = {
    state: () => ({ found: () => state.found, usable: () => state.usable, stale: () => state.mustInsertOrUpdate, mustInsertOrUpdate: () => state.mustInsertOrUpdate }),
    userMetadata: () => encoder.encode('m').buffer,
    body: () => new ReadableStream({ start: (c) => c.close() }),
    length: () => 0,
    close: () => void calls.push('close'),
    insert: () => ({ append: () => undefined, close: () => undefined }),
    cancel: () => void calls.push('cancel'),
  };
  return { transaction, calls };
}

it('answers from a plain lookup when the platform cannot open a transaction', async () => {
  const { core, cache } = await storedPage(() => {
    throw new Error('no transactions on this host');
  });
  const claim = await transactionClaim(core, cache, 'page', 100);
  expect({ body: claim.entry && new TextDecoder().decode(claim.entry.body), fill: claim.fill }).toEqual({ body: '<p>stored</p>', fill: null });
});

it('answers from a plain lookup when the wait for the transaction runs out', async () => {
  const { core, cache } = await storedPage(() => ({ wait: () => Promise.reject(new Error('wait ran out')) }));
  const claim = await transactionClaim(core, cache, 'page', 100);
  expect({ meta: claim.entry?.meta, fill: claim.fill }).toEqual({ meta: 'm', fill: null });
});

it('rejects when the wait runs out and the plain lookup fails too', async () => {
  const { core, cache } = await storedPage(() => ({ wait: () => Promise.reject(new Error('wait ran out')) }));
  const failing: EdgeCache = { ...cache, lookup: () => Promise.reject(new Error('lookup failed')) };
  await expect(transactionClaim(core, failing, 'page', 100)).rejects.toThrow('lookup failed');
});

it('cancels the revalidation a stale entry asks for, and answers the entry without a fill', async () => {
  const { transaction, calls } = transactionIn({ found: true, usable: true, mustInsertOrUpdate: true });
  const { core, cache } = await storedPage(() => ({ wait: () => Promise.resolve(transaction) }));
  const claim = await transactionClaim(core, cache, 'other', 100);
  expect({ meta: claim.entry?.meta, fill: claim.fill, calls }).toEqual({ meta: 'm', fill: null, calls: ['cancel', 'close'] });
});

it('closes a transaction that found nothing usable and owes no fill, answering no entry', async () => {
  const { transaction, calls } = transactionIn({ found: false, usable: false, mustInsertOrUpdate: false });
  const { core, cache } = await storedPage(() => ({ wait: () => Promise.resolve(transaction) }));
  expect({ claim: await transactionClaim(core, cache, 'page', 100), calls }).toEqual({ claim: { entry: null, fill: null }, calls: ['close'] });
});
