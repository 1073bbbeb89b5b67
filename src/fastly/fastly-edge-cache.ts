/**
 * The edge object cache on Fastly's core cache (`fastly:cache`). TTLs there are milliseconds;
 * surrogate keys let a purge of one fragment's key drop every object tagged with it.
 *
 * `lookupOrFill` does not collapse yet: a plain lookup, with no fill to settle. Collapsing maps onto
 * core cache transactions (`CoreCache.transactionLookupAsync(key).wait(waitMs)`, whose
 * `mustInsertOrUpdate()` caller inserts while the others wait), but the Wasm host does not emulate
 * `fastly_cache.transaction_*` yet, and the contract suite runs this adapter there.
 */
import { CoreCache } from 'fastly:cache';
import { purgeSurrogateKey } from 'fastly:compute';
import type { EdgeCache } from '../core/ports.ts';

export const fastlyEdgeCache: EdgeCache = {
  async lookup(key) {
    const entry = CoreCache.lookup(key);
    if (!entry) return null;
    try {
      const state = entry.state();
      if (!state.usable()) return null;
      const body = new Uint8Array(await new Response(entry.body()).arrayBuffer());
      const meta = new TextDecoder().decode(entry.userMetadata());
      return { body, meta, stale: state.stale() };
    } finally {
      entry.close();
    }
  },
  async lookupOrFill(key) {
    const entry = await this.lookup(key);
    return entry ? { entry, fill: null } : { entry: null, fill: null };
  },
  insert(key, body, options) {
    const writer = CoreCache.insert(key, {
      maxAge: options.ttlMs,
      staleWhileRevalidate: options.swrMs ?? 0,
      surrogateKeys: options.surrogateKeys ? [...options.surrogateKeys] : [],
      userMetadata: options.meta ?? '',
      length: body.byteLength,
    });
    writer.append(body);
    writer.close();
    return Promise.resolve();
  },
  purgeSurrogateKey(key) {
    purgeSurrogateKey(key);
    return Promise.resolve();
  },
};
