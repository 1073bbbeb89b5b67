/**
 * The fragment fetches of one page: each distinct final URL is fetched once (a second include of
 * it shares the first one's fetch), at most `maxIncludes` of them (hard cap 24), each bounded by
 * its include's timeout and the page deadline.
 *
 * The timer bounding a fetch starts with the fetch, once per distinct URL: inside the Wasm guest a
 * timer and a `Promise.race` per include cost more than the rest of the include. Waiting is a
 * `Later` (later.ts), not a promise chain: one `then` on the fetcher's promise per distinct fetch. An include that
 * shares a fetch only starts a timer of its own when its deadline is earlier than the fetch's.
 */
import type { Settings } from '../config/settings.ts';
import { MAX_INCLUDES_HARD_CAP } from '../config/settings.ts';
import { TIMED_OUT, type TimedOut } from '../backend/deadline.ts';
import { Later, thenDo, type Eventually } from './later.ts';
import type { FragmentOutcome } from './assembly-report.ts';
import type { FragmentCache, FragmentFetcher, FragmentResult } from './fragment-fetcher.ts';
import type { IncludeTarget, Read } from './include-targets.ts';
import { routeFor } from './include-resolver.ts';

export type Attempt =
  | { ok: true; result: Extract<FragmentResult, { ok: true }>; path: string; reads: readonly Read[] }
  | { ok: false; outcome: Exclude<FragmentOutcome, 'ok' | 'alt'>; cache: FragmentCache; path: string };

type Settled = FragmentResult | TimedOut;
type Target = Extract<IncludeTarget, { ok: true }>;

interface SharedFetch {
  settled: Later<Settled>;
  /** When its timer fires, on the `now` clock. */
  endsAt: number;
}

const FAILED: FragmentResult = { ok: false, reason: 'error', cache: 'PASS' };

export class SharedFetches {
  private readonly fetches = new Map<string, SharedFetch>();
  private readonly cap: number;
  private readonly deadlineAt: number;

  constructor(private readonly options: { settings: Settings; fetchFragment: FragmentFetcher; now: () => number }) {
    this.cap = Math.min(options.settings.maxIncludes, MAX_INCLUDES_HARD_CAP);
    this.deadlineAt = options.now() + options.settings.pageDeadlineMs;
  }

  /** Distinct fetches started. */
  get count(): number {
    return this.fetches.size;
  }

  /** The include's result: at once when it needs no fetch (past the deadline, past the cap). */
  /** `now` is the caller's clock reading (one per include). */
  attempt(target: Target, timeoutAttribute: number | null, now: number, candidates = false): Eventually<Attempt> {
    const timeoutMs = this.timeoutMs(timeoutAttribute, now);
    if (timeoutMs <= 0) return { ok: false, outcome: 'timeout', cache: 'PASS', path: target.path };
    // A ranked include's candidate document is fetched as JSON, so it never shares a fetch with an HTML include of the same URL.
    const key = candidates ? `candidates ${target.key}` : target.key;
    let shared = this.fetches.get(key);
    if (shared === undefined) {
      if (this.fetches.size >= this.cap) return { ok: false, outcome: 'skipped', cache: 'PASS', path: target.path };
      shared = this.start(target, timeoutMs, now, candidates);
      this.fetches.set(key, shared);
    }
    const settled = now + timeoutMs < shared.endsAt ? bounded(shared.settled, timeoutMs) : shared.settled;
    return thenDo(settled, (result) => attemptOf(result, target));
  }

  /**
   * Whether `attempt` would answer "skipped" for an include of this key: the cap is reached, no
   * fetch of the key to share, the deadline not passed. Lets an include past the cap skip without
   * a target (see IncludeRunner.run).
   */
  skips(key: string, timeoutAttribute: number | null, now: number): boolean {
    return this.fetches.size >= this.cap && this.timeoutMs(timeoutAttribute, now) > 0 && !this.fetches.has(key);
  }

  private timeoutMs(timeoutAttribute: number | null, now: number): number {
    return Math.min(timeoutAttribute ?? this.options.settings.fragmentTimeoutMs, this.deadlineAt - now);
  }

  private start(target: Target, timeoutMs: number, now: number, candidates: boolean): SharedFetch {
    const request = { url: target.url, backend: routeFor(target.path, this.options.settings), perVisitor: target.usesVisitor, timeoutMs, candidates };
    let fetched: Promise<FragmentResult>;
    try {
      fetched = this.options.fetchFragment(request);
    } catch {
      fetched = Promise.resolve(FAILED);
    }
    // The fetch and its timer set one `Later` (the first wins): one object and two listeners fewer
    // per fetch than settling the promise into a `Later` and bounding that by a second one.
    const settled = new Later<Settled>();
    const timer = setTimeout(() => settled.set(TIMED_OUT), timeoutMs);
    fetched.then(
      (result) => {
        clearTimeout(timer);
        settled.set(result);
      },
      () => {
        clearTimeout(timer);
        settled.set(FAILED);
      },
    );
    return { settled, endsAt: now + timeoutMs };
  }
}

/** The work's value, or TIMED_OUT once `timeoutMs` have passed: a timer and a listener, no promise. */
function bounded(work: Later<Settled>, timeoutMs: number): Later<Settled> {
  const out = new Later<Settled>();
  const timer = setTimeout(() => out.set(TIMED_OUT), timeoutMs);
  work.on((result) => {
    clearTimeout(timer);
    out.set(result);
  });
  return out;
}

function attemptOf(result: Settled, target: Target): Attempt {
  const path = target.path;
  if (result === TIMED_OUT) return { ok: false, outcome: 'timeout', cache: 'PASS', path };
  if (result.ok) return { ok: true, result, path, reads: target.reads };
  return { ok: false, outcome: result.reason === 'timeout' ? 'timeout' : 'error', cache: result.cache, path };
}
