/**
 * The caching facts of several parts folded into one (their smallest TTL and their keys, each once in the order
 * first seen), with a fetched fragment's facts still to work out until read (fragment-facts.ts). Two folds use it:
 * the output queue's summary of the parts it wrote (output-queue.ts, read only when the page is
 * stored) and a block's joined parts (`JoinedPart`, rendered-part.ts: an `<esi:try>` around the demo's ranked
 * include, and its except branch in place of a failed attempt, `instead`), which pass their fragments' facts on
 * unread, so a page that is never stored (one that reads `$(VISITOR)`) works out none.
 * A fold keeps facts and key lists, never a part's bytes.
 */
import type { Rendered } from './rendered-part.ts';
import { FragmentFacts, InsertedPart } from './fragment-facts.ts';
import type { DrainSummary } from './output-queue.ts';

export function minTtl(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.min(a, b);
}

export class FoldedFacts implements DrainSummary {
  private ttl: number | null = Number.POSITIVE_INFINITY;
  /** Each part's keys in order: a list, or facts whose keys are still to work out. */
  private readonly keyed: Array<readonly string[] | FragmentFacts> = [];
  private readonly timed: FragmentFacts[] = [];
  private keys: string[] | null = null;

  add(part: Rendered): void {
    this.keys = null;
    if (part instanceof JoinedPart) return this.merge(part.facts);
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

  /** A part's TTL without its keys (an attempt its except branch replaced), still unread. */
  addTtl(part: Rendered): void {
    if (part instanceof JoinedPart) this.merge(part.facts, false);
    else this.ttl = minTtl(this.ttl, part.ttlMs);
  }

  /** Another fold's values and unread facts (its keys too when `keyed`), in its order after this one's. */
  private merge(other: FoldedFacts, keyed = true): void {
    this.ttl = minTtl(this.ttl, other.ttl);
    for (let i = 0; i < other.timed.length; i++) this.timed.push(other.timed[i]!);
    for (let i = 0; keyed && i < other.keyed.length; i++) this.keyed.push(other.keyed[i]!);
  }
}

/**
 * An `<esi:try>` whose attempt failed: the except branch's bytes and keys, and the smaller TTL of
 * the branch and the attempt it replaced (the attempt's fetched parts count for how long the page
 * stays right), each still unread, as the output's summary reads a joined part.
 */
export function instead(fallback: Rendered, attempted: Rendered): JoinedPart {
  const facts = new FoldedFacts();
  facts.add(fallback);
  facts.addTtl(attempted);
  return new JoinedPart(fallback.chunks, fallback.failed, facts);
}

/** A block's parts joined (rendered-part.ts): their bytes in order, and their caching facts folded, read when asked. */
export class JoinedPart implements Rendered {
  constructor(
    readonly chunks: readonly Uint8Array[],
    readonly failed: boolean,
    readonly facts: FoldedFacts,
  ) {}

  get ttlMs(): number | null {
    return this.facts.ttlMs;
  }

  get surrogateKeys(): readonly string[] {
    return this.facts.surrogateKeys;
  }
}
