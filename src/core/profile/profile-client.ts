/**
 * Looks up a visitor's profile (docs/contracts.md#profile-store, docs/contracts.md#failure-policy): consent and id first, then the visitor's short
 * edge-cache entry, then the store behind the shared circuit breaker. Every path is an outcome.
 */
import type { Settings } from '../config/settings.ts';
import type { Deps } from '../ports.ts';
import { admit, breakerKey, DEFAULT_BREAKER_OPTIONS, record } from '../backend/circuit-breaker.ts';
import type { BreakerOptions, BreakerVerdict } from '../backend/circuit-breaker.ts';
import type { Profile } from './profile.ts';
import { profileCacheKey, readCachedProfile, writeCachedProfile, type CachedProfile } from './profile-cache.ts';
import { fetchProfile } from './profile-fetch.ts';
import type { StoreResult } from './profile-fetch.ts';
import { VISITOR_ID_PATTERN } from './profile-parse.ts';
import { PROFILE_SKIP_REASONS } from '../log/vocabulary.ts';
import type { ProfileSkipReason } from '../log/vocabulary.ts';
import type { ProfileEventOutcome } from '../log/vocabulary.ts';

/** The logged outcomes (log/vocabulary.ts), plus `too-large`, which the event logs as `invalid`. */
export type ProfileOutcome = ProfileEventOutcome | 'too-large';

export interface ProfileLookup {
  outcome: ProfileOutcome;
  ms: number;
  profile: Profile | null;
  /** Why there is no profile: `no-consent`, `no-id`, `invalid-id`, `breaker-open`, a failure's detail, or `unknown` for a cached 404. */
  reason: string | null;
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

export interface ProfileLookupInput {
  visitorId: string | null;
  /** Consent allows a lookup. */
  personalize: boolean;
  /** Pseudonym of visitorId for cache keys; null → no edge cache. */
  cacheId: string | null;
  settings: Settings;
  deps: Pick<Deps, 'fetchBackend' | 'cache' | 'now'>;
  waitUntil: (work: Promise<unknown>) => void;
  options?: Partial<ProfileClientOptions>;
}

/** One lookup's working state: the checked id, its cache key, the caller's input and the options. */
interface LookupState {
  id: string;
  key: string | null;
  input: ProfileLookupInput;
  options: ProfileClientOptions;
}

/** Never throws: a bug inside becomes an `error` outcome. */
export async function lookupProfile(input: ProfileLookupInput): Promise<ProfileLookup> {
  const started = input.deps.now();
  const finish = (outcome: ProfileOutcome, profile: Profile | null, reason: string | null): ProfileLookup => ({
    outcome,
    ms: Math.max(0, input.deps.now() - started),
    profile,
    reason,
  });
  try {
    if (!input.personalize) return finish('skipped', null, 'no-consent');
    if (input.visitorId === null) return finish('skipped', null, 'no-id');
    if (!VISITOR_ID_PATTERN.test(input.visitorId)) return finish('skipped', null, 'invalid-id');
    const options = withDefaults(input.options);
    const key = input.cacheId === null ? null : profileCacheKey(input.cacheId);
    const state: LookupState = { id: input.visitorId, key, input, options };
    const cached = key === null ? null : await readCachedProfile(input.deps.cache, key, input.visitorId).catch(() => null);
    const fromCache = (entry: CachedProfile) => (entry.kind === 'hit' ? finish('cached', entry.profile, null) : finish('cached', null, 'unknown'));
    if (cached !== null && !cached.stale) return fromCache(cached.entry);
    const asking = askStore(state);
    if (cached !== null) {
      // Stale-while-revalidate: the stale entry answers; the store's answer replaces it in the background.
      input.waitUntil(asking.then(({ followUp }) => followUp).catch(() => undefined));
      return fromCache(cached.entry);
    }
    const { result, followUp } = await asking;
    input.waitUntil(followUp);
    if (result.kind === 'skipped') return finish('skipped', null, result.reason);
    if (result.kind === 'hit') return finish('hit', result.profile, null);
    if (result.kind === 'unknown') return finish('unknown', null, null);
    return finish(result.kind, null, result.reason);
  } catch {
    return finish('error', null, 'internal error');
  }
}

const PROFILES_BREAKER = breakerKey('profiles');

type AskResult = StoreResult | { kind: 'skipped'; reason: 'breaker-open' };

/** The store call behind the breaker; `followUp` (breaker and cache writes) never rejects. */
async function askStore(state: LookupState): Promise<{ result: AskResult; followUp: Promise<void> }> {
  const { input, options } = state;
  const breaker = { ...options, probeLeaseMs: Math.max(options.probeLeaseMs, 2 * input.settings.profileTimeoutMs) };
  const admission = await admit(input.deps.cache, PROFILES_BREAKER, breaker);
  if (!admission.allowed) return { result: { kind: 'skipped', reason: admission.reason }, followUp: Promise.resolve() };
  const result = await fetchProfile(state.id, input.deps, { timeoutMs: input.settings.profileTimeoutMs, maxBytes: options.maxBytes });
  const followUp = Promise.all([record(input.deps.cache, PROFILES_BREAKER, breaker, admission, verdictOf(result)), remember(state, result)]).then(
    () => undefined,
    () => undefined,
  );
  return { result, followUp };
}

/** Only answers are cached: after a failure the old entry stays until its stale window ends. */
async function remember(state: LookupState, result: StoreResult): Promise<void> {
  const { key, options, input } = state;
  if (key === null) return;
  if (result.kind === 'hit') {
    await writeCachedProfile(input.deps.cache, key, state.id, result, { ttlMs: options.ttlMs, swrMs: options.swrMs });
  } else if (result.kind === 'unknown' && options.unknownTtlMs > 0) {
    await writeCachedProfile(input.deps.cache, key, state.id, result, { ttlMs: options.unknownTtlMs, swrMs: 0 });
  }
}

/**
 * Garbage (not JSON, not a profile, over the size cap) counts as a failure like a timeout: a store
 * that answers 200 with an error page is as broken as one that does not answer, and every lookup
 * of it still costs the page a round trip.
 */
function verdictOf(result: StoreResult): BreakerVerdict {
  return result.kind === 'hit' || result.kind === 'unknown' ? 'success' : 'failure';
}

/** Explicit `undefined` in the partial options means "the default", not "unset". */
function withDefaults(partial: Partial<ProfileClientOptions> | undefined): ProfileClientOptions {
  const options = { ...DEFAULT_PROFILE_CLIENT_OPTIONS };
  for (const [name, value] of Object.entries(partial ?? {})) {
    if (typeof value === 'number' && name in options) options[name as keyof ProfileClientOptions] = value;
  }
  return options;
}

/** The event's `profile.reason`: present only on a skip, so the dashboard can tell an open breaker from no consent. */
export function skipReason(lookup: ProfileLookup): { reason?: ProfileSkipReason } {
  if (lookup.outcome !== 'skipped') return {};
  const reason = PROFILE_SKIP_REASONS.find((known) => known === lookup.reason);
  return reason === undefined ? {} : { reason };
}
