/**
 * A fetched fragment's caching facts (its freshness left and the surrogate keys it is stored under), worked out
 * from its headers when first read rather than when it arrives. Only storing the page reads them (the output's
 * summary, then page-finish.ts), and a page that a later include makes per-visitor (the demo's `/`, whose ranked
 * include ranks for the visitor) is never stored: its fragments' five header reads and their parses (~20 µs a
 * fragment in the Wasm guest) were work nobody read. Read, they are the same values, worked out once.
 */
import type { BackendName } from '../ports.ts';
import type { FragmentCacheState as FragmentCache } from '../log/vocabulary.ts';
import { minTtl, type Rendered } from './rendered-part.ts';
import type { DrainSummary } from './output-queue.ts';
import { freshnessLeftMs } from '../http/cache-ttl.ts';
import { storedSurrogateKeys } from '../http/storage-policy.ts';

const UNREAD = Symbol('unread');

/** A fetched fragment's result (FragmentResult's `ok` shape) whose TTL and keys are read from `headers` on demand. */
export class CachedFragment {
  readonly ok = true as const;
  private ttl: number | null | typeof UNREAD = UNREAD;
  private keys: readonly string[] | null = null;

  constructor(
    readonly body: Uint8Array,
    readonly cache: FragmentCache,
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

/** What an inserted fragment's body makes of the page: its bytes, and its facts read from the result only when asked. */
export class InsertedPart implements Rendered {
  readonly chunks: readonly Uint8Array[];
  readonly failed = false;

  constructor(
    private readonly result: { readonly body: Uint8Array; readonly ttlMs: number | null; readonly surrogateKeys: readonly string[] },
    /** A fallback for a transient failure is uncacheable, whatever the fragment's TTL. */
    private readonly transient: boolean,
  ) {
    this.chunks = [result.body];
  }

  get ttlMs(): number | null {
    return this.transient ? null : this.result.ttlMs;
  }

  get surrogateKeys(): readonly string[] {
    return this.result.surrogateKeys;
  }
}

/**
 * The output queue's summary of the parts it wrote (output-queue.ts): their smallest TTL and their keys, each once in
 * the order first seen, folded on first read, so a page that is not stored reads no fragment's facts.
 */
export class TakenParts implements DrainSummary {
  private ttl: number | null | typeof UNREAD = UNREAD;
  private keys: string[] | null = null;

  constructor(private readonly parts: readonly Rendered[]) {}

  get ttlMs(): number | null {
    if (this.ttl !== UNREAD) return this.ttl;
    let ttl: number | null = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.parts.length && ttl !== null; i++) ttl = minTtl(ttl, this.parts[i]!.ttlMs);
    return (this.ttl = ttl);
  }

  /** An array beside a set: spreading a set runs interpreted iterator code in the guest. */
  get surrogateKeys(): string[] {
    if (this.keys !== null) return this.keys;
    const keys: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < this.parts.length; i++) {
      const partKeys = this.parts[i]!.surrogateKeys;
      for (let k = 0; k < partKeys.length; k++) {
        if (seen.has(partKeys[k]!)) continue;
        seen.add(partKeys[k]!);
        keys.push(partKeys[k]!);
      }
    }
    return (this.keys = keys);
  }
}
