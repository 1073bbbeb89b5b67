/**
 * Where the content of an `<esi:attempt>` or `<esi:except>` goes. A live collector starts each
 * piece as it arrives (an attempt's includes are dispatched as soon as parsed, while its output is
 * held back); a deferred collector keeps the pieces and starts them only if the block is used
 * (an except branch fetches nothing unless its attempt failed).
 */
import type { Part, Piece, Rendered } from './rendered-part.ts';
import { settleParts } from './rendered-part.ts';
import { instead } from './folded-facts.ts';
import { Later, thenDo } from '../later.ts';
import type { TryOutcome } from '../experiments/exposure.ts';

export interface Sink {
  /** True when pieces added here start at once. */
  readonly live: boolean;
  add(piece: Piece): void;
  /** Text: no piece to start, so no closure per text run where content is live. */
  addBytes(bytes: Uint8Array): void;
}

export class BlockCollector implements Sink {
  private readonly started: Part[] = [];
  private readonly waiting: Piece[] = [];

  constructor(readonly live: boolean) {}

  add(piece: Piece): void {
    if (this.live) this.started.push(piece());
    else this.waiting.push(piece);
  }

  addBytes(bytes: Uint8Array): void {
    if (this.live) this.started.push(bytes);
    else this.waiting.push(() => bytes);
  }

  /** Every part, starting the deferred ones now. */
  parts(): Part[] {
    return this.live ? this.started : this.waiting.map((piece) => piece());
  }
}

/**
 * Settles a try block once it is closed: the attempt, or, when an include inside
 * it failed, the except branch instead. A failure inside the except propagates outwards.
 */
export function settleTry(closed: Later<void>, attempt: BlockCollector, except: BlockCollector, outcome?: TryOutcome): Later<Rendered> {
  const out = new Later<Rendered>();
  closed.on(() => {
    const settled = thenDo(settleParts(attempt.parts()), (attempted) => {
      if (outcome) outcome.rendered = attempted.failed ? 'except' : 'attempt';
      if (!attempted.failed) return attempted;
      // The branch's caching facts and the attempt's TTL passed on unread (folded-facts.ts).
      return thenDo(settleParts(except.parts()), (fallback): Rendered => instead(fallback, attempted));
    });
    if (settled instanceof Later) settled.on((rendered) => out.set(rendered));
    else out.set(settled);
  });
  return out;
}
