/**
 * What the edge-cache adapter (edge-cache-on.ts) uses of a core cache, as plain interfaces: Fastly's
 * `CoreCache` (`fastly:cache`) fits them, and so does the build-time warm-up's in-memory one
 * (warm-up-core-cache.ts), so the warm-up runs the adapter's own code.
 */

/** What this adapter uses of a `fastly:cache` entry (`CacheEntry`). */
export interface CoreEntry {
  state(): { found(): boolean; usable(): boolean; stale(): boolean; mustInsertOrUpdate(): boolean };
  userMetadata(): ArrayBuffer;
  body(): ReadableStream;
  length(): number | null;
  close(): void;
}

/** A body being inserted (`FastlyBody`). */
export interface CoreWriter {
  append(body: Uint8Array<ArrayBuffer>): void;
  close(): void;
}

/** The options an insert passes (`InsertOptions` / `TransactionInsertOptions`). */
export interface CoreInsertOptions {
  maxAge: number;
  staleWhileRevalidate: number;
  surrogateKeys: string[];
  userMetadata: string;
  length: number;
}

/** A transactional lookup's entry (`TransactionCacheEntry`). */
export interface CoreTransaction extends CoreEntry {
  insert(options: CoreInsertOptions): CoreWriter;
  cancel(): void;
}

/**
 * What this adapter uses of `CoreCache`: the platform's, or the build-time warm-up's in-memory one
 * (warm-up-core-cache.ts), so the warm-up runs this very code and the core's cache-hit paths.
 */
export interface CoreCachePort {
  lookup(key: string): CoreEntry | null;
  transactionLookupAsync(key: string): { wait(timeoutMs?: number): Promise<CoreTransaction> };
  insert(key: string, options: CoreInsertOptions): CoreWriter;
}
