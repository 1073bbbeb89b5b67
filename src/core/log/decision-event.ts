/**
 * The decision event of docs/contracts.md#decision-event: one JSON line per page request, filled in as the request runs
 * and written once at the end. The schema is an allowlist by construction: only the fields below
 * exist, and each holds a closed value, a duration, a normalized path or a pseudonym.
 */

import type { CacheState, ConsentState, FragmentCacheState, FragmentEventOutcome, PageCacheState, ProfileEventOutcome, ProfileSkipReason } from './vocabulary.ts';

export type { FragmentEventOutcome, PageCacheState, ProfileEventOutcome, ProfileSkipReason } from './vocabulary.ts';

export interface FragmentEvent {
  src: string;
  outcome: FragmentEventOutcome;
  ms: number;
  cache: FragmentCacheState;
}

export interface DecisionEvent {
  /** 2 since `variants` lists enrolled experiments only, with the fields of `DecisionEventV2`. */
  v: 1 | 2;
  ts: string;
  requestId: string;
  pop: string;
  path: string;
  status: number;
  segment: string;
  variants: Record<string, string>;
  consent: ConsentState;
  geo: string;
  device: string;
  visitor: string | null;
  /** `reason` only on a `skipped` outcome (optional, so v2 readers that ignore it are unaffected). */
  profile: { outcome: ProfileEventOutcome; ms: number; reason?: ProfileSkipReason };
  template: { cache: CacheState; ms: number };
  fragments: FragmentEvent[];
  pageCache: PageCacheState;
  ttfbMs: number;
  totalMs: number;
  cpuMs: number | null;
  /** Present only when the fragment list was cut to keep the line under the size cap. */
  fragmentsTruncated?: number;
  /** Present only when ESI elements past the per-page cap were dropped: how many. */
  esiDropped?: number;
  /** Present only when includes were skipped past the page's inserted bytes (MAX_INSERTED_BYTES): how many. */
  esiOutputCapped?: number;
}

/** What schema v2 adds; kept apart so readers of v1 lines can extend the base type freely. */
export interface DecisionEventV2 extends DecisionEvent {
  v: 2;
  /** Experiments whose `$(VARIANT{exp})` a rendered part of the page read. */
  exposed: readonly string[];
  /** Present (true) only for a QA preview, which never counts toward an experiment. */
  preview?: true;
  /** The page's `$(DECISION)` token, when the page used it. */
  decision?: string;
}

/** Fastly does not document a maximum log line; lines are kept well under 4 KiB. */
export const MAX_EVENT_BYTES = 4096;

const encoder = new TextEncoder();

/**
 * Serializes an event; when it is over the cap, keeps the longest prefix of the fragment list that
 * fits (found by binary search, so a long list costs O(n log n)) and says how many were dropped.
 */
export function serializeDecisionEvent(event: DecisionEvent | DecisionEventV2): string {
  const full = JSON.stringify(event);
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes: a usual line is known to fit without encoding it.
  if (full.length * 3 <= MAX_EVENT_BYTES || encoder.encode(full).byteLength <= MAX_EVENT_BYTES) return full;
  const withPrefix = (kept: number): string =>
    JSON.stringify({ ...event, fragments: event.fragments.slice(0, kept), fragmentsTruncated: event.fragments.length - kept });
  let low = 0;
  let high = event.fragments.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (encoder.encode(withPrefix(middle)).byteLength <= MAX_EVENT_BYTES) low = middle;
    else high = middle - 1;
  }
  return withPrefix(low);
}

/** Round durations to 0.1 ms: enough for analytics, and no high-resolution timer leaks. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Deterministic sampling from the request id, so a replayed request makes the same choice. */
export function sampled(requestId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  let hash = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    hash ^= requestId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x100000000 < rate;
}
