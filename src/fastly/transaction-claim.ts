/**
 * A collapsing lookup's claim through a core cache transaction (edge-cache-on.ts's `lookupOrFill` on
 * a miss): the platform hands one caller the obligation to fill the key and makes the others wait
 * for its insert, across sandboxes. `then` chains, not async/await: one page-cache lookup per page,
 * and in the Wasm guest each async frame and await costs ~10 µs.
 */
import type { EdgeCache, EdgeCacheClaim, EdgeCacheEntry } from '../core/ports.ts';
import { rejected } from '../core/backend/rejected.ts';
import type { CoreCachePort, CoreTransaction } from './core-cache-port.ts';
import { readEntry, type EntryTarget } from './core-entry-read.ts';
import { insertOptions, unshared } from './core-entry-write.ts';

/** The claim of a core cache transaction on `key`, once the platform answers (within `waitMs`). */
export function transactionClaim(core: CoreCachePort, cache: EdgeCache, key: string, waitMs: number): Promise<EdgeCacheClaim> {
  let waiting: Promise<CoreTransaction>;
  try {
    waiting = core.transactionLookupAsync(key).wait(waitMs);
  } catch {
    return plainClaim(cache, key);
  }
  // The wait ran out (the wait is released), or the host has no transactions: a plain lookup.
  // The answer is settled from the reactions themselves: a claim's promise returned from one
  // would cost two promise jobs more to adopt (~20 µs in the Wasm guest).
  return new Promise((resolve, reject) => {
    waiting.then(
      (transaction) => {
        try {
          // A stored body is read, and the claim settled, in the read's own reaction.
          const claim = claimOf(transaction, { read: (entry) => resolve(claimOfEntry(entry)), failed: reject });
          if (!(claim instanceof Promise)) resolve(claim);
        } catch (error) {
          resolve(rejected(error));
        }
      },
      () => plainClaim(cache, key).then(resolve, reject),
    );
  });
}

/** The claim of a plain lookup, where no transaction could be had: never a fill. */
function plainClaim(cache: EdgeCache, key: string): Promise<EdgeCacheClaim> {
  return cache.lookup(key).then(claimOfEntry);
}

/** An entry found: no fill is owed. */
export function claimOfEntry(entry: EdgeCacheEntry | null): EdgeCacheClaim {
  return entry ? { entry, fill: null } : { entry: null, fill: null };
}

/**
 * The claim a transaction gives; while the entry's body is still to read, a promise of that read,
 * which hands the entry (or the failure) to `settle` in its own reaction.
 */
function claimOf(transaction: CoreTransaction, settle: EntryTarget<void>): EdgeCacheClaim | Promise<void> {
  const state = transaction.state();
  if (state.found() && state.usable()) {
    // A stale entry also asks one caller to revalidate; nothing here revalidates in place.
    if (state.mustInsertOrUpdate()) transaction.cancel();
    // An entry without a body (a pass marker) is the claim at once.
    const read = readEntry(transaction, transaction, settle);
    return read instanceof Promise ? read : claimOfEntry(read);
  }
  if (!state.mustInsertOrUpdate()) {
    transaction.close();
    return { entry: null, fill: null };
  }
  return {
    entry: null,
    fill: {
      insert(body, options) {
        const writer = transaction.insert(insertOptions(body, options));
        writer.append(unshared(body));
        writer.close();
        transaction.close();
        return Promise.resolve();
      },
      abandon() {
        transaction.cancel();
        transaction.close();
      },
    },
  };
}
