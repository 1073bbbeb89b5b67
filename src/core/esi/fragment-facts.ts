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

/** A fetched fragment's result (FragmentResult's `ok` shape) whose TTL and keys are its `facts`, worked out when read. */
export class CachedFragment {
  readonly ok = true as const;
  readonly facts: FragmentFacts;

  constructor(
    readonly body: Uint8Array,
    readonly cache: FragmentCache,
    headers: Headers,
    backend: BackendName,
  ) {
    this.facts = new FragmentFacts(headers, backend);
  }

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

const NO_KEYS: readonly string[] = Object.freeze([]);

/**
 * The output queue's summary of the parts it wrote (output-queue.ts): their smallest TTL and their keys, each once in
 * the order first seen. A part's values are folded as it is written, a fragment's facts still to work out only when
 * the summary is read; it keeps those facts and key lists, never a part's bytes.
 */
export class PageFacts implements DrainSummary {
  private ttl: number | null = Number.POSITIVE_INFINITY;
  /** Each written part's keys in order: a list, or facts whose keys are still to work out. */
  private readonly keyed: Array<readonly string[] | FragmentFacts> = [];
  private readonly timed: FragmentFacts[] = [];
  private keys: string[] | null = null;

  add(part: Rendered): void {
    const source = part instanceof InsertedPart ? part.source : null;
    if (source === null) {
      this.ttl = minTtl(this.ttl, part.ttlMs);
      if (part.surrogateKeys.length > 0) this.keyed.push(part.surrogateKeys);
      return;
    }
    if ((part as InsertedPart).transient) this.ttl = null;
    else this.timed.push(source);
    this.keyed.push(source);
  }

  get ttlMs(): number | null {
    for (let i = 0; i < this.timed.length && this.ttl !== null; i++) this.ttl = minTtl(this.ttl, this.timed[i]!.ttlMs);
    this.timed.length = 0;
    return this.ttl;
  }

  /** An array beside a set: spreading a set runs interpreted iterator code in the guest. */
  get surrogateKeys(): string[] {
    if (this.keys !== null) return this.keys;
    const keys: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < this.keyed.length; i++) {
      const entry = this.keyed[i]!;
      const partKeys = entry instanceof FragmentFacts ? entry.surrogateKeys : entry;
      for (let k = 0; k < partKeys.length; k++) {
        if (seen.has(partKeys[k]!)) continue;
        seen.add(partKeys[k]!);
        keys.push(partKeys[k]!);
      }
    }
    return (this.keys = keys);
  }
}
