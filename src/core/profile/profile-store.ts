/**
 * The store's side of a profile lookup, in order: the shared circuit breaker admits the call or
 * not; the store is asked (profile-fetch.ts); then, off the page's path, the breaker records how
 * it went. The visitor's cache entry (profile-cache.ts) remembers the answer beside that record.
 */
import type { Deps } from '../ports.ts';
import { admit, breakerKey, record } from '../backend/circuit-breaker.ts';
import { skipped, type ProfileClientOptions, type ProfileFound } from './profile-lookup.ts';
import { fetchProfile } from './profile-fetch.ts';
import type { StoreCalling } from './started-lookup.ts';

export interface StoreAsk {
  /** A visitor id in the grammar, read from a valid `vid`. */
  id: string;
  options: ProfileClientOptions;
  timeoutMs: number;
  deps: Pick<Deps, 'fetchBackend' | 'cache' | 'now'>;
  /** Told just before the store is called when the page waits on the answer (the template fetch starts beside it); null otherwise. */
  waiting: StoreCalling | null;
}

export interface StoreAnswer {
  found: ProfileFound;
  /** The breaker's record of the call; null when the breaker refused it. */
  followUp: Promise<void> | null;
}

const PROFILES_BREAKER = breakerKey('profiles');

export async function askStore(ask: StoreAsk): Promise<StoreAnswer> {
  const { options, deps } = ask;
  const breaker = { ...options, probeLeaseMs: Math.max(options.probeLeaseMs, 2 * ask.timeoutMs) };
  const admission = await admit(deps.cache, PROFILES_BREAKER, breaker);
  if (!admission.allowed) return { found: skipped(admission.reason), followUp: null };
  // Once admitted: a refused call answers without the network, so there is no wait to overlap.
  ask.waiting?.calling();
  const found = await fetchProfile(ask.id, deps, { timeoutMs: ask.timeoutMs, maxBytes: options.maxBytes });
  // Garbage (not JSON, not a profile, over the size cap) counts as a failure like a timeout: a store
  // that answers 200 with an error page is as broken as one that does not answer, and every lookup
  // of it still costs the page a round trip.
  const verdict = found.outcome === 'hit' || found.outcome === 'unknown' ? 'success' : 'failure';
  return { found, followUp: record(deps.cache, PROFILES_BREAKER, breaker, admission, verdict) };
}
