/**
 * The fragment fetches of one page: each distinct final URL is fetched once (a second include of
 * it shares the first one's fetch), at most `maxIncludes` of them (hard cap 24), each bounded by
 * its include's timeout and the page deadline.
 *
 * One timer bounds every fetch of the page (fetch-deadlines.ts): inside the Wasm guest every timer
 * and every `Promise.race` costs the interpreter. Waiting is a `Later` (../later.ts), not a promise
 * chain: one `then` on the fetcher's promise per distinct fetch. An include that shares a fetch
 * only starts a timer of its own when its deadline is earlier than the fetch's.
 */
import type { Settings } from '../config/settings.ts';
import { MAX_INCLUDES_HARD_CAP } from '../config/settings.ts';
import { deadlineOf, TIMED_OUT, type TimedOut } from '../backend/deadline.ts';
import { Later } from '../later.ts';
import { bounded, settleBounded, track, type Bounded, type Deadlines } from './fetch-deadlines.ts';
import type { FragmentOutcome } from './assembly-report.ts';
import type { FragmentCache, FragmentFetcher, FragmentRequest, FragmentResult } from './fragment-fetcher.ts';
import type { IncludeTarget, Read } from './include-targets.ts';
import { routeFor } from './include-resolver.ts';
import { fetchedPathLines } from './fetched-paths.ts';

/** What an include gets from `attempt`: an attempt settled at once, or its fetch's result to come (`attemptOf` reads it). */
export type Fetching = Attempt | Later<Settled>;

export type Attempt =
  | { ok: true; result: Extract<FragmentResult, { ok: true }>; path: string; reads: readonly Read[] }
  | { ok: false; outcome: Exclude<FragmentOutcome, 'ok' | 'alt'>; cache: FragmentCache; path: string };

export type Settled = FragmentResult | TimedOut;
export type Target = Extract<IncludeTarget, { ok: true }>;

/** One fetch: the request its fetcher is given and its result to come, one object (each costs the guest). */
type SharedFetch = Bounded<FragmentResult> & FragmentRequest;

const FAILED: FragmentResult = { ok: false, reason: 'error', cache: 'PASS' };

export interface FetchesOptions {
  settings: Settings;
  fetchFragment: FragmentFetcher;
  now: () => number;
  /** When the page's assembly started, on `now`'s clock: the page deadline runs from it, with no clock read of its own. */
  startedAt?: number;
}

/** Its own fields hold the page timer's state (fetch-deadlines.ts): one object per page, not two. */
export class SharedFetches implements Deadlines<FragmentResult> {
  private readonly fetches = new Map<string, SharedFetch>();
  /** No fetch is started any more (the cap is reached), so the keys fetched are final; below it no include is skipped. A field, read per include before any call. */
  full: boolean;
  private readonly cap: number;
  private readonly deadlineAt: number;
  /** The page timer's state (fetch-deadlines.ts). */
  pending: Array<Bounded<FragmentResult>> = [];
  unsettled = 0;
  timer: ReturnType<typeof setTimeout> | null = null;
  timerAt = Number.POSITIVE_INFINITY;
  /** The fetched paths under `fetchedPrefix` (skipsAll), made once the cap is reached. */
  private fetchedPrefix: string | null = null;
  private fetched: RegExp | null = null;

  constructor(readonly options: FetchesOptions) {
    this.cap = Math.min(options.settings.maxIncludes, MAX_INCLUDES_HARD_CAP);
    this.full = this.cap <= 0;
    this.deadlineAt = (options.startedAt ?? options.now()) + options.settings.pageDeadlineMs;
  }

  /** Distinct fetches started. */
  get count(): number {
    return this.fetches.size;
  }

  /**
   * The include's result: at once when it needs no fetch (past the deadline, past the cap), else
   * its fetch's result to come, which the caller reads with `attemptOf` in its own listener (one
   * `Later` per include, not one per step). `now` is the caller's clock reading (one per include).
   */
  attempt(target: Target, timeoutAttribute: number | null, now: number, candidates = false): Fetching {
    const timeoutMs = this.timeoutMs(timeoutAttribute, now);
    if (timeoutMs <= 0) return { ok: false, outcome: 'timeout', cache: 'PASS', path: target.path };
    // A ranked include's candidate document is fetched as JSON, so it never shares a fetch with an HTML include of the same URL.
    const key = candidates ? `candidates ${target.key}` : target.key;
    let shared = this.fetches.get(key);
    if (shared === undefined) {
      if (this.fetches.size >= this.cap) return { ok: false, outcome: 'skipped', cache: 'PASS', path: target.path };
      shared = this.start(target, timeoutMs, now, candidates);
      this.fetches.set(key, shared);
      this.full = this.fetches.size >= this.cap;
    }
    if (now + timeoutMs < shared.endsAt) return bounded(shared.settled, timeoutMs);
    return shared.settled.done ? attemptOf(shared.settled.value!, target) : shared.settled;
  }

  /**
   * Whether `attempt` would answer "skipped" for an include of this key (IncludeTargets.plainKey;
   * null for a value that needs a target): the cap is reached, no fetch of the key to share, the
   * deadline not passed. An include past the report's bound and the cap whose `src` is a plain
   * path fetched by no other include is then skipped without resolving a target: a hostile
   * template's ~1,000 processed includes are mostly these, and a target (memo entry, URL parts,
   * objects) cost the guest ~7 µs each. The answer is `attempt`'s: a plain path is never refused
   * and reads no variable, a skipped include tries no alt, and its (unreported) entry needs no path.
   */
  skips(key: string | null, timeoutAttribute: number | null, now: number): boolean {
    return key !== null && this.fetches.size >= this.cap && this.timeoutMs(timeoutAttribute, now) > 0 && !this.fetches.has(key);
  }


  /** `skips` for each path of `lines` (each ended by `\n`; keys `prefix` + path), none with a timeout attribute: one clock reading and one native test for all (fetched-paths.ts). */
  skipsAll(prefix: string, lines: string, now: number): boolean {
    if (!this.full || this.timeoutMs(null, now) <= 0) return false;
    if (this.fetchedPrefix !== prefix) this.fetched = fetchedPathLines(this.fetches.keys(), (this.fetchedPrefix = prefix));
    return this.fetched === null || !this.fetched.test(lines);
  }

  private timeoutMs(timeoutAttribute: number | null, now: number): number {
    return Math.min(timeoutAttribute ?? this.options.settings.fragmentTimeoutMs, this.deadlineAt - now);
  }

  private start(target: Target, timeoutMs: number, now: number, candidates: boolean): SharedFetch {
    // The fetch and the page's timer set one `Later` (the first wins); the fetch's own deadline is
    // that timer's (deadlineOf), so the backend call arms no second timer and races nothing.
    const settled = new Later<Settled>();
    const shared: SharedFetch = { settled, endsAt: now + timeoutMs, url: target.url, backend: routeFor(target.path, this.options.settings), perVisitor: target.usesVisitor, timeoutMs, deadline: deadlineOf(settled), candidates };
    track(this, shared, now);
    const fetcher = this.options.fetchFragment;
    // Callbacks inline, not a named `settle`: under tsx (the Node host) each named closure costs a defineProperty.
    try {
      // A settling fetcher tells the result itself: no reaction of ours on a promise of its.
      if (fetcher.settling !== undefined) fetcher.settling(shared, (result) => settleBounded(this, shared, result));
      else fetcher(shared).then((result) => settleBounded(this, shared, result), () => settleBounded(this, shared, FAILED));
    } catch {
      void Promise.resolve(FAILED).then((result) => settleBounded(this, shared, result));
    }
    return shared;
  }
}

/** The attempt a fetch's result makes for an include of `target`. */
export function attemptOf(result: Settled, target: Target): Attempt {
  const path = target.path;
  if (result === TIMED_OUT) return { ok: false, outcome: 'timeout', cache: 'PASS', path };
  if (result.ok) return { ok: true, result, path, reads: target.reads };
  return { ok: false, outcome: result.reason === 'timeout' ? 'timeout' : 'error', cache: result.cache, path };
}
