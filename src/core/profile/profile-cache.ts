/**
 * The short per-visitor profile entry in the edge cache, read through to the store: a fresh entry
 * answers; a stale one answers while the store's answer replaces it in the background; otherwise
 * the store answers, and its answer is remembered off the page's path. The key holds only that
 * visitor's pseudonym, and the stored id is checked again on read, so visitors never share an entry.
 */
import type { EdgeCache, EdgeCacheEntry } from '../ports.ts';
import type { ProfileFound } from './profile-lookup.ts';
import type { StoreAnswer } from './profile-store.ts';
import { profileDocument, readProfileDocument } from './profile-document.ts';
import { documentEntry, documentText } from '../edge-cache-document.ts';
import { readEntryThen } from '../edge-cache-read.ts';

export interface CachedRead {
  /** A `cached` outcome: the profile, or the store's 404 remembered for a moment (reason `unknown`). */
  found: ProfileFound;
  /** Past its TTL but inside stale-while-revalidate: serve it and refresh in the background. */
  stale: boolean;
}

export interface CacheLifetimes {
  ttlMs: number;
  swrMs: number;
  /** How long a 404 is remembered (no stale phase); 0 remembers none. */
  unknownTtlMs: number;
}

/** The visitor's own entry: where it is (null: none, the store answers every time), whose, and for how long. */
export interface ProfileEntry {
  cache: EdgeCache;
  key: string | null;
  visitorId: string;
  lifetimes: CacheLifetimes;
}

const PSEUDONYM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `profile:v1:<pseudonym>`; null when the pseudonym is not a plain token (no key injection). */
export function profileCacheKey(cacheId: string): string | null {
  return PSEUDONYM_PATTERN.test(cacheId) ? `profile:v1:${cacheId}` : null;
}

/**
 * The visitor's profile through their entry, handed to `then`; the store is asked (`ask`) only on
 * a miss (`ask(true)`: the answer waits on the call) or a stale entry (`ask(false)`: it answers
 * meanwhile). A fresh entry is answered and handed on in one reaction on the cache read, with no
 * async frame or `then` of the caller's: a consented page reads one, and in the Wasm guest each
 * async frame, await and promise job costs ~10 µs. Never rejects unless `then` throws:
 * a bug on the way is an `error` outcome.
 */
export function readThrough<T>(entry: ProfileEntry, ask: StoreAsker, waitUntil: (work: Promise<unknown>) => void, then: (found: ProfileFound) => T): Promise<T> {
  const { cache, key, visitorId } = entry;
  const answer = (read: CachedRead | null): T | Promise<T> => {
    try {
      if (read !== null && !read.stale) return then(read.found);
      return fromStore(entry, read, ask, waitUntil).then(then, () => then(INTERNAL_ERROR));
    } catch {
      return then(INTERNAL_ERROR);
    }
  };
  return key === null ? NO_READ.then(answer) : readCachedThen(cache, key, visitorId, answer);
}

/** Asks the store; `waits`: nothing answers meanwhile (a miss), not a stale entry's refresh behind its answer. */
export type StoreAsker = (waits: boolean) => Promise<StoreAnswer>;

const INTERNAL_ERROR: ProfileFound = { outcome: 'error', profile: null, reason: 'internal error' };

/** A miss or a stale entry: the store's answer, remembered off the page's path (a stale entry answers meanwhile). */
async function fromStore(entry: ProfileEntry, cached: CachedRead | null, ask: StoreAsker, waitUntil: (work: Promise<unknown>) => void): Promise<ProfileFound> {
  const { cache, key, visitorId } = entry;
  const asking = ask(cached === null);
  // Beside the breaker's record, and neither may fail the page; a call the breaker refused has neither.
  const remember = ({ found, followUp }: StoreAnswer): Promise<void> | undefined =>
    followUp === null ? undefined : Promise.all([followUp, key === null ? null : rememberProfile(cache, key, visitorId, found, entry.lifetimes)]).then(
      () => undefined,
      () => undefined,
    );
  if (cached !== null) {
    waitUntil(asking.then(remember).catch(() => undefined));
    return cached.found;
  }
  const answer = await asking;
  const remembering = remember(answer);
  if (remembering) waitUntil(remembering);
  return answer.found;
}

const NO_READ: Promise<null> = Promise.resolve(null);

/** The entry for `visitorId`, or null on a miss, an unreadable entry or another visitor's entry. Never rejects. */
export function readCachedProfile(cache: EdgeCache, key: string, visitorId: string): Promise<CachedRead | null> {
  return readCachedThen(cache, key, visitorId, (read) => read);
}

/** The entry handed to `then` in the lookup's own reaction: one promise job fewer than a `then` on readCachedProfile's. */
function readCachedThen<T>(cache: EdgeCache, key: string, visitorId: string, then: (read: CachedRead | null) => T | PromiseLike<T>): Promise<T> {
  return readEntryThen(cache, key, (entry) => then(cachedRead(entry, visitorId)));
}

/** An entry that cannot be read, for whatever reason, is no entry: the store answers. */
function cachedRead(entry: EdgeCacheEntry | null, visitorId: string): CachedRead | null {
  try {
    const found = entry === null ? null : readProfileDocument(documentText(entry), visitorId);
    return found === null || entry === null ? null : { found, stale: entry.stale };
  } catch {
    return null;
  }
}

/**
 * Only answers are remembered: a profile for its TTL and stale window, a 404 briefly. After a
 * failure the old entry stays until its stale window ends.
 */
export async function rememberProfile(cache: EdgeCache, key: string, visitorId: string, found: ProfileFound, lifetimes: CacheLifetimes): Promise<void> {
  const hit = found.outcome === 'hit' && found.profile !== null;
  if (!hit && (found.outcome !== 'unknown' || lifetimes.unknownTtlMs <= 0)) return;
  const ttlMs = hit ? lifetimes.ttlMs : lifetimes.unknownTtlMs;
  // A usual profile is kept in the entry's metadata (edge-cache-document.ts): no body stream to read
  // it back on every consented page.
  const { body, meta } = documentEntry(profileDocument(visitorId, hit ? found.profile : null));
  // Tagged with its own key, so a profile write can drop it (src/core/feedback/profile-writer.ts).
  await cache.insert(key, body, { ttlMs, swrMs: hit ? lifetimes.swrMs : 0, surrogateKeys: [key], meta });
}
