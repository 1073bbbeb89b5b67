/**
 * Where a circuit breaker (circuit-breaker.ts) keeps its state: one tiny JSON entry in the edge
 * cache whose cache lifetime *is* the clock. `deps.now()` has a per-sandbox origin
 * (performance.now on Compute), so stored timestamps could not be compared:
 * - closed `{"s":"closed","f":n}`: TTL = failure window. Each failure rewrites it, so the count
 *   resets after a window with no failure, and any success resets it: N consecutive failures,
 *   none more than a window apart, open the breaker.
 * - open `{"s":"open"}`: TTL = cool-down. Fresh → skip. Stale (cool-down over) → half-open: the
 *   request that sees it claims the probe.
 * - probe `{"s":"probe"}`: TTL = a lease a little longer than one lookup. Fresh → skip while the
 *   probe is in flight. Stale (the probe died without reporting) → the next request probes.
 * Open and probe entries linger stale for HALF_OPEN_HOLD_MS; after that the entry is gone and the
 * breaker is closed again, which is right for a store nobody has asked for ten minutes.
 * Every cache error fails open: a read that fails is no state, a write that fails is lost.
 */
import type { EdgeCache, EdgeCacheEntry } from '../ports.ts';
import { readEntryThen } from '../edge-cache-read.ts';

/** How long each state lives in the cache. */
export interface BreakerLifetimes {
  /** A failure older than this, with no failure since, no longer counts. */
  failureWindowMs: number;
  /** How long an open breaker skips lookups before letting one probe through. */
  cooldownMs: number;
  /** How long the other requests wait for a probe before another one may try. */
  probeLeaseMs: number;
}

/** `e`: wall-clock time (ms since the epoch) of the latest failure, for /__health's "last error age". */
export type BreakerState = ({ s: 'closed'; f: number } | { s: 'open' } | { s: 'probe' }) & { e?: number };

/** The state as found, and whether its lifetime is over. */
export interface StoredState {
  state: BreakerState;
  stale: boolean;
}

const HALF_OPEN_HOLD_MS = 600_000;

/** The stored state; null when there is none or it cannot be read (never a rejection). */
export function readState(cache: EdgeCache, key: string): Promise<StoredState | null> {
  return withState(cache, key, identity);
}

const identity = (state: StoredState | null): StoredState | null => state;

/**
 * `use` applied to the stored state (null when there is none or it cannot be read), in the lookup's
 * own reaction: a caller that chained `then` on `readState` would pay one promise job more (~10 µs
 * inside the Wasm guest), and every page asks the templates breaker. Rejects only if `use` throws.
 */
export function withState<T>(cache: EdgeCache, key: string, use: (state: StoredState | null) => T | PromiseLike<T>): Promise<T> {
  return readEntryThen(cache, key, (entry) => use(stateOf(entry)));
}

function stateOf(found: EdgeCacheEntry | null): StoredState | null {
  if (found === null) return null;
  const state = decode(found.body);
  return state === null ? null : { state, stale: found.stale };
}

/** Stores `state` for its lifetime; never rejects. */
export async function writeState(cache: EdgeCache, key: string, state: BreakerState, lifetimes: BreakerLifetimes): Promise<void> {
  const lifetime =
    state.s === 'closed'
      ? { ttlMs: lifetimes.failureWindowMs, swrMs: 0 }
      : { ttlMs: state.s === 'open' ? lifetimes.cooldownMs : lifetimes.probeLeaseMs, swrMs: HALF_OPEN_HOLD_MS };
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
