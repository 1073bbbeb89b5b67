/**
 * The pieces assembled output is made of. A `Part` is bytes or a block (an include or a try) that
 * settles to `Rendered`: its bytes, whether an include failed (so an enclosing attempt gives way
 * to its except), and the caching facts of the fragments it used. A block settled without waiting
 * (a refused or skipped include) is its `Rendered` itself: a promise per element costs the Wasm
 * guest's interpreter more than the element's own work.
 */

export interface Rendered {
  chunks: Uint8Array[];
  /** An include inside failed (after its alt) without onerror="continue". */
  failed: boolean;
  /** Smallest TTL of the fragments used; Infinity when none; null when something is uncacheable. */
  ttlMs: number | null;
  surrogateKeys: string[];
}

export type Part = Uint8Array | Rendered | Promise<Rendered>;

/** Creates a part; called at once in live content, later (or never) in deferred content. */
export type Piece = () => Part;

export const EMPTY: Rendered = Object.freeze({ chunks: [], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] });

export function minTtl(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.min(a, b);
}

/** Waits for every part, in order, and joins them. */
export async function settleParts(parts: readonly Part[]): Promise<Rendered> {
  const out: Rendered = { chunks: [], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] };
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      out.chunks.push(part);
      continue;
    }
    const rendered = part instanceof Promise ? await part : part;
    out.chunks.push(...rendered.chunks);
    out.failed ||= rendered.failed;
    out.ttlMs = minTtl(out.ttlMs, rendered.ttlMs);
    out.surrogateKeys.push(...rendered.surrogateKeys);
  }
  return out;
}
