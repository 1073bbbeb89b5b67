/**
 * A circuit breaker per backend (the profile store, the template origin), shared across requests
 * through the edge cache: Compute runs each request in a fresh sandbox, so module memory forgets
 * everything between requests. Each backend's state lives under its own key (`breakerKey`).
 *
 * The state lives in one edge-cache entry whose lifetime is the clock (breaker-state.ts); this file
 * is the policy over it: who may ask the backend, and what one answer does to the state.
 *
 * The EdgeCache has no compare-and-set, so this is approximate by design: concurrent failures can
 * read the same count and each write n+1 (opening takes a few more failures than N under load),
 * and requests that read a stale open entry in the same instant may each claim the probe (a
 * handful of probes instead of one). On Fastly the core cache is per POP, so each POP has its own
 * breaker. Every cache error fails open: the breaker never blocks lookups because the cache broke.
 */
import type { BackendName, EdgeCache } from '../ports.ts';
import { readState, withState, writeState, type BreakerLifetimes, type StoredState } from './breaker-state.ts';

export interface BreakerOptions extends BreakerLifetimes {
  /** Consecutive failures (timeout, error, or an unusable answer) that open the breaker. */
  failureThreshold: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = Object.freeze({
  failureThreshold: 5,
  failureWindowMs: 30_000,
  cooldownMs: 10_000,
  probeLeaseMs: 1_000,
});

/** Where a backend's breaker state lives in the edge cache. */
export function breakerKey(backend: BackendName): string {
  return `breaker:v1:${backend}`;
}

/**
 * success: the backend answered usefully; failure: timeout, error or an unusable answer; neutral:
 * an answer that says nothing about the backend's health (the template breaker's fast 5xx).
 */
export type BreakerVerdict = 'success' | 'failure' | 'neutral';

export type Admission = { allowed: true; probe: boolean; failures: number } | { allowed: false; reason: 'breaker-open' };

export interface BreakerView {
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  lastErrorAtMs: number | null;
}

/** The breaker as /__health reports it, read without claiming a probe. */
export async function peekBreaker(cache: EdgeCache, key: string): Promise<BreakerView> {
  const current = await readState(cache, key);
  if (current === null) return { state: 'closed', failures: 0, lastErrorAtMs: null };
  const { state, stale } = current;
  const lastErrorAtMs = state.e ?? null;
  if (state.s === 'closed') return { state: 'closed', failures: stale ? 0 : state.f, lastErrorAtMs };
  return { state: state.s === 'open' && !stale ? 'open' : 'half-open', failures: 0, lastErrorAtMs };
}

/**
 * Whether this request may ask the store; the probe claim is written before it goes. Written with
 * `then`, not `async`/`await`: every page asks the templates breaker (and a known visitor the
 * profiles one), and in the Wasm guest each async frame and await costs ~10 µs.
 */
export function admit(cache: EdgeCache, key: string, options: BreakerOptions): Promise<Admission> {
  // The decision runs in the lookup's own reaction (`withState`), not in a `then` on `readState`.
  return withState(cache, key, (current) => admission(cache, key, options, current));
}

/** Where an admission goes, in the breaker read's own reaction (or the probe claim's, when there is one). */
export interface Admitted {
  admitted(admission: Admission): void;
  /**
   * Asked in the read's reaction before a half-open probe is claimed: false refuses this caller
   * and writes nothing, so the probe stays for the next one (a caller that has already answered
   * cannot keep a probe alive on every host). Absent: the caller claims it.
   */
  claims?(): boolean;
}

/**
 * `admit` for a caller that goes on from the admission itself (the template fetch): handed to
 * `to` in the lookup's own reaction, so the caller needs no `then` or await of its own.
 */
export function admitTo(cache: EdgeCache, key: string, options: BreakerOptions, to: Admitted): Promise<void> {
  return withState(cache, key, (current) => {
    const decided = admission(cache, key, options, current, to);
    if (decided instanceof Promise) return decided.then((found) => to.admitted(found));
    to.admitted(decided);
    return undefined;
  });
}

function admission(cache: EdgeCache, key: string, options: BreakerOptions, current: StoredState | null, to?: Admitted): Admission | Promise<Admission> {
  if (current === null || current.state.s === 'closed') {
    const failures = current !== null && current.state.s === 'closed' && !current.stale ? current.state.f : 0;
    return { allowed: true, probe: false, failures };
  }
  if (!current.stale || to?.claims?.() === false) return { allowed: false, reason: 'breaker-open' };
  return writeState(cache, key, { s: 'probe' }, options).then(() => ({ allowed: true, probe: true, failures: 0 }));
}

export const NOTHING_TO_RECORD: Promise<void> = Promise.resolve();

/**
 * Folds one lookup's verdict into the shared state; meant for `waitUntil`. Never rejects. The
 * common case (an uneventful success, or a call that was not admitted) settles at once without an
 * `async` layer: in the Wasm guest every promise costs ~10 µs, and each page records two breakers.
 */
export function record(cache: EdgeCache, key: string, options: BreakerOptions, admission: Admission, verdict: BreakerVerdict): Promise<void> {
  if (!admission.allowed) return NOTHING_TO_RECORD;
  if (!admission.probe && (verdict === 'neutral' || (verdict === 'success' && admission.failures === 0))) return NOTHING_TO_RECORD;
  return recordChange(cache, key, options, admission, verdict);
}

async function recordChange(cache: EdgeCache, key: string, options: BreakerOptions, admission: Admission & { allowed: true }, verdict: BreakerVerdict): Promise<void> {
  if (admission.probe) {
    // The probe decides alone: a usable answer closes, a failure re-opens for a cool-down.
    await writeState(cache, key, verdict === 'failure' ? { s: 'open', e: Date.now() } : { s: 'closed', f: 0 }, options);
    return;
  }
  // Read again rather than trust the admission-time view: it narrows the lost-update window.
  const current = await readState(cache, key);
  const state = current === null || current.stale ? { s: 'closed' as const, f: 0 } : current.state;
  if (state.s !== 'closed') return;
  if (verdict === 'success') {
    if (state.f > 0) await writeState(cache, key, { s: 'closed', f: 0 }, options);
    return;
  }
  const failures = state.f + 1;
  const e = Date.now();
  await writeState(cache, key, failures >= options.failureThreshold ? { s: 'open', e } : { s: 'closed', f: failures, e }, options);
}
