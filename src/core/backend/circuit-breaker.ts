/**
 * A circuit breaker per backend (the profile store, the template origin), shared across requests
 * through the edge cache: Compute runs each request in a fresh sandbox, so module memory forgets
 * everything between requests. Each backend's state lives under its own key (`breakerKey`).
 *
 * State lives in one tiny JSON entry whose cache lifetime *is* the clock. `deps.now()` has a
 * per-sandbox origin (performance.now on Compute), so stored timestamps could not be compared:
 * - closed `{"s":"closed","f":n}`: TTL = failure window. Each failure rewrites it, so the count
 *   resets after a window with no failure, and any success resets it: N consecutive failures,
 *   none more than a window apart, open the breaker.
 * - open `{"s":"open"}`: TTL = cool-down. Fresh → skip. Stale (cool-down over) → half-open: the
 *   request that sees it claims the probe.
 * - probe `{"s":"probe"}`: TTL = a lease a little longer than one lookup. Fresh → skip while the
 *   probe is in flight. Stale (the probe died without reporting) → the next request probes.
 * Open and probe entries linger stale for HALF_OPEN_HOLD_MS; after that the entry is gone and the
 * breaker is closed again, which is right for a store nobody has asked for ten minutes.
 *
 * The EdgeCache has no compare-and-set, so this is approximate by design: concurrent failures can
 * read the same count and each write n+1 (opening takes a few more failures than N under load),
 * and requests that read a stale open entry in the same instant may each claim the probe (a
 * handful of probes instead of one). On Fastly the core cache is per POP, so each POP has its own
 * breaker. Every cache error fails open: the breaker never blocks lookups because the cache broke.
 */
import type { BackendName, EdgeCache, EdgeCacheEntry } from '../ports.ts';

export interface BreakerOptions {
  /** Consecutive failures (timeout, error, or an unusable answer) that open the breaker. */
  failureThreshold: number;
  /** A failure older than this, with no failure since, no longer counts. */
  failureWindowMs: number;
  /** How long an open breaker skips lookups before letting one probe through. */
  cooldownMs: number;
  /** How long the other requests wait for a probe before another one may try. */
  probeLeaseMs: number;
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
const HALF_OPEN_HOLD_MS = 600_000;

/**
 * success: the backend answered usefully; failure: timeout, error or an unusable answer; neutral:
 * an answer that says nothing about the backend's health (the template breaker's fast 5xx).
 */
export type BreakerVerdict = 'success' | 'failure' | 'neutral';

export type Admission = { allowed: true; probe: boolean; failures: number } | { allowed: false; reason: 'breaker-open' };

/** `e`: wall-clock time (ms since the epoch) of the latest failure, for /__health's "last error age". */
type BreakerState = ({ s: 'closed'; f: number } | { s: 'open' } | { s: 'probe' }) & { e?: number };

export interface BreakerView {
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  lastErrorAtMs: number | null;
}

/** The breaker as /__health reports it, read without claiming a probe. */
export async function peekBreaker(cache: EdgeCache, key: string): Promise<BreakerView> {
  const current = await read(cache, key);
  if (current === null) return { state: 'closed', failures: 0, lastErrorAtMs: null };
  const { state, stale } = current;
  const lastErrorAtMs = state.e ?? null;
  if (state.s === 'closed') return { state: 'closed', failures: stale ? 0 : state.f, lastErrorAtMs };
  return { state: state.s === 'open' && !stale ? 'open' : 'half-open', failures: 0, lastErrorAtMs };
}

/** Whether this request may ask the store; the probe claim is written before it goes. */
/**
 * Written with `then`, not `async`/`await`: every page asks the templates breaker (and a known
 * visitor the profiles one), and in the Wasm guest each async frame and await costs ~10 µs.
 */
export function admit(cache: EdgeCache, key: string, options: BreakerOptions): Promise<Admission> {
  return read(cache, key).then((current): Admission | Promise<Admission> => {
    if (current === null || current.state.s === 'closed') {
      const failures = current !== null && current.state.s === 'closed' && !current.stale ? current.state.f : 0;
      return { allowed: true, probe: false, failures };
    }
    if (!current.stale) return { allowed: false, reason: 'breaker-open' };
    return write(cache, key, { s: 'probe' }, options).then(() => ({ allowed: true, probe: true, failures: 0 }));
  });
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
    await write(cache, key, verdict === 'failure' ? { s: 'open', e: Date.now() } : { s: 'closed', f: 0 }, options);
    return;
  }
  // Read again rather than trust the admission-time view: it narrows the lost-update window.
  const current = await read(cache, key);
  const state = current === null || current.stale ? { s: 'closed' as const, f: 0 } : current.state;
  if (state.s !== 'closed') return;
  if (verdict === 'success') {
    if (state.f > 0) await write(cache, key, { s: 'closed', f: 0 }, options);
    return;
  }
  const failures = state.f + 1;
  const e = Date.now();
  await write(cache, key, failures >= options.failureThreshold ? { s: 'open', e } : { s: 'closed', f: failures, e }, options);
}

/** The stored state; null when there is none or it cannot be read (never a rejection). */
function read(cache: EdgeCache, key: string): Promise<{ state: BreakerState; stale: boolean } | null> {
  try {
    return cache.lookup(key).then(stateOf, () => null);
  } catch {
    return NO_STATE;
  }
}

const NO_STATE: Promise<null> = Promise.resolve(null);

function stateOf(found: EdgeCacheEntry | null): { state: BreakerState; stale: boolean } | null {
  if (found === null) return null;
  const state = decode(found.body);
  return state === null ? null : { state, stale: found.stale };
}

async function write(cache: EdgeCache, key: string, state: BreakerState, options: BreakerOptions): Promise<void> {
  const lifetime =
    state.s === 'closed'
      ? { ttlMs: options.failureWindowMs, swrMs: 0 }
      : { ttlMs: state.s === 'open' ? options.cooldownMs : options.probeLeaseMs, swrMs: HALF_OPEN_HOLD_MS };
  try {
    await cache.insert(key, new TextEncoder().encode(JSON.stringify(state)), lifetime);
  } catch {
    // Fail open: a lost write only delays opening or closing.
  }
}

function decode(body: Uint8Array): BreakerState | null {
  try {
    const raw = JSON.parse(new TextDecoder().decode(body)) as unknown;
    if (typeof raw !== 'object' || raw === null) return null;
    const { s, f, e } = raw as { s?: unknown; f?: unknown; e?: unknown };
    const at = typeof e === 'number' && Number.isFinite(e) ? { e } : {};
    if (s === 'open' || s === 'probe') return { s, ...at };
    if (s === 'closed' && Number.isInteger(f) && (f as number) >= 0) return { s, f: f as number, ...at };
    return null;
  } catch {
    return null;
  }
}
