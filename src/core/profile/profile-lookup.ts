/**
 * What a profile lookup answers, and the knobs it runs with. Every path through the lookup
 * (profile-client.ts) ends in one of these outcomes; none of them is an exception.
 */
import type { BreakerOptions } from '../backend/circuit-breaker.ts';
import { DEFAULT_BREAKER_OPTIONS } from '../backend/circuit-breaker.ts';
import type { Profile } from './profile.ts';
import { PROFILE_SKIP_REASONS, type ProfileEventOutcome, type ProfileSkipReason } from '../log/vocabulary.ts';

/** The logged outcomes (log/vocabulary.ts), plus `too-large`, which the event logs as `invalid`. */
export type ProfileOutcome = ProfileEventOutcome | 'too-large';

/** What the lookup found, before its time is taken. */
export interface ProfileFound {
  outcome: ProfileOutcome;
  profile: Profile | null;
  /** Why there is no profile: `no-consent`, `no-id`, `invalid-id`, `breaker-open`, a failure's detail, or `unknown` for a cached 404. */
  reason: string | null;
}

export interface ProfileLookup extends ProfileFound {
  ms: number;
}

export interface ProfileClientOptions extends BreakerOptions {
  /** Freshness of a visitor's cached profile. */
  ttlMs: number;
  /** After the TTL, how long the entry is still served while a background refresh runs. */
  swrMs: number;
  /** How long a 404 is remembered (no stale phase, so a new profile shows up after this); 0 disables. */
  unknownTtlMs: number;
  /** The profile body cap of docs/contracts.md#budgets. */
  maxBytes: number;
}

/**
 * ttl + swr bounds how long a POP can serve a profile the store has since changed or erased: 30 s.
 * A profile write from this POP drops the entry at once (src/core/feedback).
 */
export const DEFAULT_PROFILE_CLIENT_OPTIONS: ProfileClientOptions = Object.freeze({
  ...DEFAULT_BREAKER_OPTIONS,
  ttlMs: 10_000,
  swrMs: 20_000,
  unknownTtlMs: 5_000,
  maxBytes: 64 * 1024,
});

export function skipped(reason: string): ProfileFound {
  return { outcome: 'skipped', profile: null, reason };
}

/** Explicit `undefined` in the partial options means "the default", not "unset". */
export function withDefaults(partial: Partial<ProfileClientOptions> | undefined): ProfileClientOptions {
  // The page path passes none: the frozen defaults as they are. In the Wasm guest the copy and the
  // entry loop below run the engine's self-hosted spread and iterator code (~0.1 ms a page).
  if (partial === undefined) return DEFAULT_PROFILE_CLIENT_OPTIONS;
  const options = { ...DEFAULT_PROFILE_CLIENT_OPTIONS };
  for (const [name, value] of Object.entries(partial)) {
    if (typeof value === 'number' && name in options) options[name as keyof ProfileClientOptions] = value;
  }
  return options;
}

/** The event's `profile.reason`: present only on a skip, so the dashboard can tell an open breaker from no consent. */
export function skipReason(lookup: ProfileFound): { reason?: ProfileSkipReason } {
  if (lookup.outcome !== 'skipped') return {};
  // An indexed loop, not `find`: every page without a profile call logs one, and in the Wasm guest
  // `find` runs the engine's self-hosted code with an interpreted callback per entry.
  for (let i = 0; i < PROFILE_SKIP_REASONS.length; i++) {
    const known = PROFILE_SKIP_REASONS[i]!;
    if (known === lookup.reason) return { reason: known };
  }
  return {};
}
