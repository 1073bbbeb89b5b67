/**
 * A fetched fragment's caching facts (its freshness left and the surrogate keys it is stored under), worked out
 * from its headers when first read rather than when it arrives. Only storing the page reads them (the output's
 * summary, then page-finish.ts), and a page that a later include makes per-visitor (one whose include reads
 * `$(VISITOR)`) is never stored: its fragments' five header reads and their parses (~20 µs a fragment in the Wasm
 * guest) would be work nobody read. Read, they are the same values, worked out once.
 */
import type { BackendName } from '../ports.ts';
import type { FragmentCacheState as FragmentCache } from '../log/vocabulary.ts';
import type { Rendered } from './rendered-part.ts';
import { freshnessLeftMs } from '../http/cache-ttl.ts';
import { storedSurrogateKeys } from '../http/storage-policy.ts';

const UNREAD = Symbol('unread');

/** A fragment's TTL and keys, read from its headers once, when first asked. It holds the headers, never the body. */
export class FragmentFacts {
  private ttl: number | null | typeof UNREAD = UNREAD;
  private keys: readonly string[] | null = null;

  constructor(
    private readonly headers: Headers,
    private readonly backend: BackendName,
  ) {}

  get ttlMs(): number | null {
    if (this.ttl === UNREAD) this.ttl = freshnessLeftMs(this.headers);
    return this.ttl;
  }

  /** The keys the readthrough cache files the object under (the origin's and the tier's), worked out from the origin's header on every host. */
  get surrogateKeys(): readonly string[] {
    return (this.keys ??= storedSurrogateKeys(this.backend, this.headers));
  }
}

/**
 * A fetched fragment's result (FragmentResult's `ok` shape) whose TTL and keys are its `facts`, worked out when read.
 * A ranked include's result is its candidate document's facts with the ranked body (ranked-include.ts).
 */
export class CachedFragment {
  readonly ok = true as const;

  constructor(
    readonly body: Uint8Array,
    readonly cache: FragmentCache,
    readonly facts: FragmentFacts,
    /** A candidate document's media type, which picks its reader. */
    readonly mediaType?: string,
  ) {}

  get ttlMs(): number | null {
    return this.facts.ttlMs;
  }

  get surrogateKeys(): readonly string[] {
    return this.facts.surrogateKeys;
  }
}

type Result = { readonly body: Uint8Array; readonly ttlMs: number | null; readonly surrogateKeys: readonly string[] };

/** What an inserted fragment's body makes of the page: its bytes, and a CachedFragment's facts still to work out. */
export class InsertedPart implements Rendered {
  readonly chunks: readonly Uint8Array[];
  readonly failed = false;
  /** The facts still to work out (a CachedFragment's), else null and the result's values are kept. */
  readonly source: FragmentFacts | null;
  private readonly ttl: number | null;
  private readonly keys: readonly string[];

  /** `transient`: a fallback for a transient failure, uncacheable whatever the fragment's TTL. */
  constructor(result: Result, readonly transient: boolean) {
    this.chunks = [result.body];
    this.source = result instanceof CachedFragment ? result.facts : null;
    this.ttl = this.source === null && !transient ? result.ttlMs : null;
    this.keys = this.source === null ? result.surrogateKeys : NO_KEYS;
  }

  get ttlMs(): number | null {
    return this.source === null || this.transient ? this.ttl : this.source.ttlMs;
  }

  get surrogateKeys(): readonly string[] {
    return this.source === null ? this.keys : this.source.surrogateKeys;
  }
}

/** The surrogate keys of a part that has none to give (shared, frozen). */
export const NO_KEYS: readonly string[] = Object.freeze([]);
