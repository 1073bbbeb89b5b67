/**
 * The page's output in document order. Parts are pushed as the template is parsed; bytes are
 * written as soon as everything before them is, waiting only on a pending part at the head, so
 * bytes before a slow include reach the client without waiting for it.
 *
 * Inside the Wasm guest each chunk written costs the reader a few promises (~10 µs each), so the
 * queue gathers what is ready and writes it as one chunk when told to (`flush`: after each
 * template chunk, and a microtask after a pending part settles, so parts settling together share it). An ESI-free template chunk goes out as itself.
 */
import type { Part, Rendered } from './rendered-part.ts';
import { Later } from '../later.ts';
import { FoldedFacts } from './folded-facts.ts';

export interface DrainSummary {
  ttlMs: number | null;
  /** Each key once, in the order first seen: an array beside the set, since spreading a set runs interpreted iterator code in the guest. */
  surrogateKeys: string[];
}

export class OutputQueue {
  private readonly parts: Part[] = [];
  private next = 0;
  private waiting = false;
  private closed = false;
  private ready: Uint8Array[] = [];
  /** The caching facts of the parts written; a fragment's are worked out only when read (fragment-facts.ts). */
  private readonly summary = new FoldedFacts();
  /** One listener for every pending part of the page, not a closure per part. */
  private readonly wakeUp = (): void => this.wake();
  private flushQueued = false;
  private readonly queuedFlush = (): void => {
    this.flushQueued = false;
    // What is ready waits for a part that settles from the guest's own work alone (the page's
    // `$(DECISION)` token being signed, no network): one chunk then instead of two, each chunk
    // costing the stream's enqueue, the reader's promises and a body write.
    if (this.waiting && this.holds?.() === true) return;
    this.flush();
  };

  constructor(
    /** Takes what is ready, in order, never empty; the array is the taker's from then on. */
    private readonly write: (parts: Uint8Array[]) => void,
    /** Called once, when the queue is closed and everything in it is written. */
    private readonly done: (summary: DrainSummary) => void,
    /** Optional: true while the pending part at the head will settle soon without waiting on the network. */
    private readonly holds?: () => boolean,
  ) {}

  push(part: Part): void {
    // Nothing waits (so nothing is queued): bytes are ready at once, without the trip through pump.
    if (!this.waiting && part instanceof Uint8Array) {
      if (part.length > 0) this.ready.push(part);
      return;
    }
    this.parts.push(part);
    if (!this.waiting) this.pump();
  }

  /** Writes what is ready in one call (page-writer.ts joins it into one chunk where a chunk costs). */
  flush(): void {
    const ready = this.ready;
    if (ready.length === 0) return;
    this.ready = [];
    this.write(ready);
  }

  close(): void {
    this.closed = true;
    if (!this.waiting) this.finish();
  }

  /** Takes parts in order until one is pending; that one wakes the queue when it settles. */
  private pump(): void {
    const parts = this.parts;
    while (this.next < parts.length) {
      const part = parts[this.next]!;
      if (part instanceof Later && !part.done) {
        this.waiting = true;
        part.on(this.wakeUp);
        return;
      }
      this.next++;
      if (part instanceof Uint8Array) {
        if (part.length > 0) this.ready.push(part);
      } else {
        this.take(part instanceof Later ? part.value! : part);
      }
    }
    parts.length = 0;
    this.next = 0;
  }

  private wake(): void {
    this.waiting = false;
    this.pump();
    if (!this.waiting && this.closed) return this.finish();
    // Parts that settle in the same turn (fragments fetched together, cache hits) go out as one
    // chunk: one microtask instead of a chunk each, whose stream enqueue and read cost the guest
    // several promises apiece.
    if (this.ready.length === 0 || this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.queuedFlush);
  }

  private finish(): void {
    this.flush();
    this.done(this.summary);
  }

  private take(rendered: Rendered): void {
    const chunks = rendered.chunks;
    for (let i = 0; i < chunks.length; i++) if (chunks[i]!.length > 0) this.ready.push(chunks[i]!);
    this.summary.add(rendered);
  }
}
