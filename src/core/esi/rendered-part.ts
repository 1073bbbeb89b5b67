/**
 * The pieces assembled output is made of. A `Part` is bytes or a block (an include or a try) that
 * settles to `Rendered`: its bytes, whether an include failed (so an enclosing attempt gives way
 * to its except), and the caching facts of the fragments it used. A block settled without waiting
 * (a refused or skipped include) is its `Rendered` itself, and one that waits is a `Later`, not a
 * promise: a promise per element costs the Wasm guest's interpreter more than the element's work.
 */
import { Later, type Eventually } from '../later.ts';
import { FoldedFacts, JoinedPart } from './folded-facts.ts';

export interface Rendered {
  chunks: readonly Uint8Array[];
  /** An include inside failed (after its alt) without onerror="continue". */
  failed: boolean;
  /** Smallest TTL of the fragments used; Infinity when none; null when something is uncacheable. */
  ttlMs: number | null;
  surrogateKeys: readonly string[];
}

export type Part = Uint8Array | Eventually<Rendered>;

/** Creates a part; called at once in live content, later (or never) in deferred content. */
export type Piece = () => Part;

export const EMPTY: Rendered = Object.freeze({ chunks: [], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] });

/** Runs `done` once every part has settled (at once when none waits). */
export function whenSettled(parts: readonly Part[], done: () => void): void {
  let waiting = 1;
  const one = (): void => {
    if (--waiting === 0) done();
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part instanceof Later && !part.done) {
      waiting++;
      part.on(one);
    }
  }
  one();
}

/** Every part, in order, joined once all have settled. */
export function settleParts(parts: readonly Part[]): Eventually<Rendered> {
  let pending = false;
  for (let i = 0; i < parts.length && !pending; i++) pending = parts[i] instanceof Later && !(parts[i] as Later<Rendered>).done;
  if (!pending) return joinParts(parts);
  const out = new Later<Rendered>();
  whenSettled(parts, () => out.set(joinParts(parts)));
  return out;
}

/** The parts' bytes in order; their caching facts folded, a fragment's worked out only when read (folded-facts.ts). */
function joinParts(parts: readonly Part[]): Rendered {
  const chunks: Uint8Array[] = [];
  const facts = new FoldedFacts();
  let failed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part instanceof Uint8Array) {
      chunks.push(part);
      continue;
    }
    const rendered = part instanceof Later ? part.value! : part;
    for (let c = 0; c < rendered.chunks.length; c++) chunks.push(rendered.chunks[c]!);
    failed ||= rendered.failed;
    facts.add(rendered);
  }
  return new JoinedPart(chunks, failed, facts);
}
