/**
 * Looks up a visitor's profile (docs/contracts.md#profile-store, docs/contracts.md#failure-policy).
 * The journey, in order: consent and a known id (from the `Identity` type, so no caller can ask
 * without consent); the visitor's own short entry in the edge cache (profile-cache.ts), which
 * answers while fresh; else the store behind the shared circuit breaker (profile-store.ts), whose
 * answer is remembered in that entry. Every path is an outcome; nothing throws.
 */
import type { Settings } from '../config/settings.ts';
import type { Deps } from '../ports.ts';
import type { Identity } from '../visitor/identity.ts';
import type { ProfileSkipReason } from '../log/vocabulary.ts';
import { skipped, withDefaults, type ProfileClientOptions, type ProfileFound, type ProfileLookup } from './profile-lookup.ts';
import { profileCacheKey, readCachedProfile } from './profile-cache.ts';
import { askStore } from './profile-store.ts';
import { VISITOR_ID_PATTERN } from './profile-parse.ts';

export type { ProfileClientOptions, ProfileLookup, ProfileOutcome } from './profile-lookup.ts';
export { DEFAULT_PROFILE_CLIENT_OPTIONS, skipReason } from './profile-lookup.ts';

export interface ProfileLookupInput {
  /** Pseudonym of the visitor id, which keys their edge-cache entry; null → no edge cache. */
  cacheId: string | null;
  settings: Settings;
  deps: Pick<Deps, 'fetchBackend' | 'cache' | 'now'>;
  waitUntil: (work: Promise<unknown>) => void;
  options?: Partial<ProfileClientOptions>;
}

/** Never throws: a bug inside becomes an `error` outcome. */
export async function lookupProfile(identity: Identity, input: ProfileLookupInput): Promise<ProfileLookup> {
  const started = input.deps.now();
  const found = await findProfile(identity, input).catch((): ProfileFound => ({ outcome: 'error', profile: null, reason: 'internal error' }));
  return { outcome: found.outcome, profile: found.profile, reason: found.reason, ms: Math.max(0, input.deps.now() - started) };
}

async function findProfile(identity: Identity, input: ProfileLookupInput): Promise<ProfileFound> {
  const asked = askableId(identity);
  if (!asked.ok) return skipped(asked.reason);
  const options = withDefaults(input.options);
  const key = input.cacheId === null ? null : profileCacheKey(input.cacheId);
  const cached = key === null ? null : await readCachedProfile(input.deps.cache, key, asked.id).catch(() => null);
  if (cached !== null && !cached.stale) return cached.found;
  const asking = askStore({ id: asked.id, key, options, timeoutMs: input.settings.profileTimeoutMs, deps: input.deps });
  if (cached !== null) {
    // Stale-while-revalidate: the stale entry answers; the store's answer replaces it in the background.
    input.waitUntil(asking.then(({ followUp }) => followUp).catch(() => undefined));
    return cached.found;
  }
  const { found, followUp } = await asking;
  input.waitUntil(followUp);
  return found;
}

/** Only a consented visitor's id read from a valid `vid`: a freshly minted one cannot have a profile yet. */
function askableId(identity: Identity): { ok: true; id: string } | { ok: false; reason: ProfileSkipReason } {
  if (identity.consent !== 'granted') return { ok: false, reason: 'no-consent' };
  if (identity.id === null || identity.minted) return { ok: false, reason: 'no-id' };
  if (!VISITOR_ID_PATTERN.test(identity.id)) return { ok: false, reason: 'invalid-id' };
  return { ok: true, id: identity.id };
}
