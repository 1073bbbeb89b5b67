/**
 * Looks up a visitor's profile (docs/contracts.md#profile-store, docs/contracts.md#failure-policy): consent and id first, then the visitor's short
 * edge-cache entry, then the store behind the shared circuit breaker. Every path is an outcome.
 */
import type { Settings } from '../config/settings.ts';
import type { Deps } from '../ports.ts';
import { admit, DEFAULT_BREAKER_OPTIONS, record } from './circuit-breaker.ts';
import type { BreakerOptions, BreakerVerdict } from './circuit-breaker.ts';
import type { Profile } from './profile.ts';
import { profileCacheKey, readCachedProfile, writeCachedProfile } from './profile-cache.ts';
import { fetchProfile } from './profile-fetch.ts';
import type { StoreResult } from './profile-fetch.ts';
import { VISITOR_ID_PATTERN } from './profile-parse.ts';
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

interface Context {
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
    const context: Context = { id: input.visitorId, key, input, options };
    const cached = key === null ? null : await readCachedProfile(input.deps.cache, key, input.visitorId).catch(() => null);
    if (cached !== null) {
      if (cached.stale) input.waitUntil(refresh(context));
      return cached.entry.kind === 'hit' ? finish('cached', cached.entry.profile, null) : finish('cached', null, 'unknown');
    }
    const { result, followUp } = await askStore(context);
    input.waitUntil(followUp);
    if (result.kind === 'skipped') return finish('skipped', null, result.reason);
    if (result.kind === 'hit') return finish('hit', result.profile, null);
    if (result.kind === 'unknown') return finish('unknown', null, null);
    return finish(result.kind, null, result.reason);
  } catch {
    return finish('error', null, 'internal error');
  }
}

type AskResult = StoreResult | { kind: 'skipped'; reason: 'breaker-open' };

/** The store call behind the breaker; `followUp` (breaker and cache writes) never rejects. */
async function askStore(context: Context): Promise<{ result: AskResult; followUp: Promise<void> }> {
  const { input, options } = context;
  const breaker = { ...options, probeLeaseMs: Math.max(options.probeLeaseMs, 2 * input.settings.profileTimeoutMs) };
  const admission = await admit(input.deps.cache, breaker);
  if (!admission.allowed) return { result: { kind: 'skipped', reason: admission.reason }, followUp: Promise.resolve() };
  const result = await fetchProfile(context.id, input.deps, { timeoutMs: input.settings.profileTimeoutMs, maxBytes: options.maxBytes });
  const followUp = Promise.all([record(input.deps.cache, breaker, admission, verdictOf(result)), remember(context, result)]).then(
    () => undefined,
    () => undefined,
  );
  return { result, followUp };
}

/** Stale-while-revalidate: the stale entry was served; this replaces it when the store answers. */
async function refresh(context: Context): Promise<void> {
  try {
    const { followUp } = await askStore(context);
    await followUp;
  } catch {
    // Background work: the stale entry simply expires.
  }
}

/** Only answers are cached: after a failure the old entry stays until its stale window ends. */
async function remember(context: Context, result: StoreResult): Promise<void> {
  const { key, options, input } = context;
  if (key === null) return;
  if (result.kind === 'hit') {
    await writeCachedProfile(input.deps.cache, key, context.id, result, { ttlMs: options.ttlMs, swrMs: options.swrMs });
  } else if (result.kind === 'unknown' && options.unknownTtlMs > 0) {
    await writeCachedProfile(input.deps.cache, key, context.id, result, { ttlMs: options.unknownTtlMs, swrMs: 0 });
  }
}

function verdictOf(result: StoreResult): BreakerVerdict {
  if (result.kind === 'hit' || result.kind === 'unknown') return 'success';
  return result.kind === 'timeout' || result.kind === 'error' ? 'failure' : 'neutral';
}

/** Explicit `undefined` in the partial options means "the default", not "unset". */
function withDefaults(partial: Partial<ProfileClientOptions> | undefined): ProfileClientOptions {
  const options = { ...DEFAULT_PROFILE_CLIENT_OPTIONS };
  for (const [name, value] of Object.entries(partial ?? {})) {
    if (typeof value === 'number' && name in options) options[name as keyof ProfileClientOptions] = value;
  }
  return options;
}
