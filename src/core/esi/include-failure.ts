/**
 * What a failed include gives the page: no bytes, and whether the page may still be cached. The
 * four possible results (continue or fail, transient or not) are made once and shared, so an
 * include skipped past the fetch cap (most of a hostile template's) allocates nothing, and the
 * assembler can tell such a part at the page's root by identity.
 */
import type { Part, Rendered } from './rendered-part.ts';
import type { Attempt } from './shared-fetches.ts';

/** What a failed include contributes, shared: parts are only ever read. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * Whether a part is a failure settled at once that leaves the page cacheable: no bytes, no TTL, no
 * surrogate keys. At the page's root (where `failed` has no try to fall back in) it adds nothing.
 */
export function addsNothingAtRoot(part: Part): boolean {
  return part === FAILED[0] || part === FAILED[1];
}

/**
 * The four results a failed include can have (continue or fail, transient or not), made once: an
 * include skipped past the fetch cap (most of a hostile template's) then allocates no result.
 */
const FAILED: readonly Rendered[] = [false, true, false, true].map((failed, i) => Object.freeze({ chunks: NONE, failed, ttlMs: i < 2 ? Number.POSITIVE_INFINITY : null, surrogateKeys: NONE }));

/** The shared result of an include that failed: `transient` when it may not fail next time. */
export function failedPart(continueOnError: boolean, transient: boolean): Rendered {
  return FAILED[(continueOnError ? 0 : 1) + (transient ? 2 : 0)]!;
}

/** A failure that may not happen next time: a page showing its fallback must not be cached. */
export function isTransient(attempt: Attempt): boolean {
  return !attempt.ok && (attempt.outcome === 'timeout' || attempt.outcome === 'error');
}
