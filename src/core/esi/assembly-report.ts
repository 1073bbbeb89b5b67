/**
 * What ESI assembly reports once the page is complete: one entry per include that was acted on
 * (document order), and the caching facts the page cache needs (DESIGN §5.6, §5.8).
 */
import type { FragmentCache } from './fragment-fetcher.ts';
import type { FragmentEventOutcome } from '../log/vocabulary.ts';

export type FragmentOutcome = FragmentEventOutcome;

export interface FragmentReport {
  /** The path of the include's final URL only, never its query. */
  src: string;
  outcome: FragmentOutcome;
  ms: number;
  cache: FragmentCache;
}

export interface AssemblyReport {
  fragments: FragmentReport[];
  /** Some include's src or alt used $(VISITOR), or a ranked include was adjusted for the visitor. */
  perVisitor: boolean;
  /**
   * Smallest TTL of the fragments in the output; `Infinity` when the page used none (only the
   * template's TTL counts); null when a used part is uncacheable or an include failed for a
   * transient reason (a fallback must not be cached for a fragment's lifetime).
   */
  minTtlMs: number | null;
  /** Union of the used fragments' Surrogate-Key values. */
  surrogateKeys: string[];
  /** Distinct fragment fetches started (alt fetches included). */
  fetches: number;
  /** Every variable the page read (`SEGMENT`, `VARIANT{exp}`, `GEO{region}`, ...), sorted. */
  variables: string[];
  /** ESI elements past the per-page cap, dropped unprocessed (0 on a sane page). */
  elementsDropped: number;
  /** The `$(DECISION)` token the page carries, when it used the variable. */
  decision: string | null;
}
