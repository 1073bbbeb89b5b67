/**
 * Looks up a visitor's profile (docs/contracts.md#profile-store, docs/contracts.md#failure-policy).
 * The journey, in order: consent and a known id (from the `Identity` type, so no caller can ask
 * without consent); then one call reads through the visitor's own short entry in the edge cache
 * (profile-cache.ts), which answers while fresh, else asks the store behind the shared circuit
 * breaker (profile-store.ts) and remembers its answer. Every path is an outcome; nothing throws.
 */
import type { Settings } from '../config/settings.ts';
import type { Deps } from '../ports.ts';
import type { Identity } from '../visitor/identity.ts';
import type { ProfileSkipReason } from '../log/vocabulary.ts';
import { skipped, withDefaults, type ProfileClientOptions, type ProfileFound, type ProfileLookup } from './profile-lookup.ts';
import { profileCacheKey, readThrough } from './profile-cache.ts';
import { askStore } from './profile-store.ts';
import { VISITOR_ID_PATTERN } from './profile-parse.ts';
import { StartedLookup } from './started-lookup.ts';

export type { ProfileClientOptions, ProfileLookup, ProfileOutcome } from './profile-lookup.ts';
export { DEFAULT_PROFILE_CLIENT_OPTIONS, skipReason } from './profile-lookup.ts';
export type { StartedLookup } from './started-lookup.ts';

export interface ProfileLookupInput {
  /** Pseudonym of the visitor id, which keys their edge-cache entry; null → no edge cache. */
  cacheId: string | null;
  settings: Settings;
  deps: Pick<Deps, 'fetchBackend' | 'cache' | 'now'>;
  waitUntil: (work: Promise<unknown>) => void;
  options?: Partial<ProfileClientOptions>;
}

/** Never throws: a bug inside becomes an `error` outcome. */
export function lookupProfile(identity: Identity, input: ProfileLookupInput): Promise<ProfileLookup> {
  return lookupAsked(askableId(identity), input, null);
}

/**
 * The lookup started, with whether it asks anyone (from the same id check) and whether the page's
 * decision waits on the store (started-lookup.ts): the page step fetches its template beside a
 * store call, not beside an answer from the edge cache.
 */
export function startLookup(identity: Identity, input: ProfileLookupInput): StartedLookup {
  const asked = askableId(identity);
  const started = new StartedLookup(asked.ok);
  started.profile = lookupAsked(asked, input, started);
  return started;
}

/** Never rejects: a bug inside becomes an `error` outcome. `started` is told when the store is called and when the answer is in. */
function lookupAsked(asked: AskableId, input: ProfileLookupInput, started: StartedLookup | null): Promise<ProfileLookup> {
  const { deps } = input;
  const at = deps.now();
  // Timed in the read's own reaction (readThrough's `then`), not after an await: one promise job fewer a page in the guest.
  const timed = (found: ProfileFound): ProfileLookup => {
    started?.answered();
    return { outcome: found.outcome, profile: found.profile, reason: found.reason, ms: Math.max(0, deps.now() - at) };
  };
  try {
    if (!asked.ok) return Promise.resolve(timed(skipped(asked.reason)));
    const options = withDefaults(input.options);
    const entry = { cache: deps.cache, key: input.cacheId === null ? null : profileCacheKey(input.cacheId), visitorId: asked.id, lifetimes: options };
    // `waits`: no entry to answer meanwhile, so the page waits on this call (a stale entry's refresh runs behind its answer).
    const ask = (waits: boolean) => askStore({ id: asked.id, options, timeoutMs: input.settings.profileTimeoutMs, deps, waiting: waits ? started : null });
    return readThrough(entry, ask, input.waitUntil, timed);
  } catch {
    return Promise.resolve(timed({ outcome: 'error', profile: null, reason: 'internal error' }));
  }
}

type AskableId = { ok: true; id: string } | { ok: false; reason: ProfileSkipReason };

/** Only a consented visitor's id read from a valid `vid`: a freshly minted one cannot have a profile yet. */
function askableId(identity: Identity): AskableId {
  if (identity.consent !== 'granted') return { ok: false, reason: 'no-consent' };
  if (identity.id === null || identity.minted) return { ok: false, reason: 'no-id' };
  if (!VISITOR_ID_PATTERN.test(identity.id)) return { ok: false, reason: 'invalid-id' };
  return { ok: true, id: identity.id };
}
