/**
 * The short per-visitor profile entry in the edge cache. The key holds only that visitor's
 * pseudonym, and the stored id is checked again on read, so visitors never share an entry.
 */
import type { EdgeCache } from '../ports.ts';
import type { Profile } from './profile.ts';
import { parseProfile } from './profile-parse.ts';

/** A profile, or the store's 404 remembered for a moment. */
export type CachedProfile = { kind: 'hit'; profile: Profile } | { kind: 'unknown' };

export interface CachedRead {
  entry: CachedProfile;
  /** Past its TTL but inside stale-while-revalidate: serve it and refresh in the background. */
  stale: boolean;
}

export interface CacheLifetime {
  ttlMs: number;
  swrMs: number;
}

const PSEUDONYM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `profile:v1:<pseudonym>`; null when the pseudonym is not a plain token (no key injection). */
export function profileCacheKey(cacheId: string): string | null {
  return PSEUDONYM_PATTERN.test(cacheId) ? `profile:v1:${cacheId}` : null;
}

/** The entry for `visitorId`, or null on a miss, an unreadable entry or another visitor's entry. */
export async function readCachedProfile(cache: EdgeCache, key: string, visitorId: string): Promise<CachedRead | null> {
  const found = await cache.lookup(key);
  if (found === null) return null;
  const entry = decode(found.body, visitorId);
  return entry === null ? null : { entry, stale: found.stale };
}

export async function writeCachedProfile(cache: EdgeCache, key: string, visitorId: string, entry: CachedProfile, lifetime: CacheLifetime): Promise<void> {
  const document = entry.kind === 'hit' ? { v: 1, id: visitorId, profile: entry.profile } : { v: 1, id: visitorId, unknown: true };
  const body = new TextEncoder().encode(JSON.stringify(document));
  // Tagged with its own key, so a profile write can drop it (src/core/feedback/profile-writer.ts).
  await cache.insert(key, body, { ttlMs: lifetime.ttlMs, swrMs: lifetime.swrMs, surrogateKeys: [key] });
}

function decode(body: Uint8Array, visitorId: string): CachedProfile | null {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return null;
  }
  if (typeof document !== 'object' || document === null) return null;
  const fields = document as Record<string, unknown>;
  if (fields.v !== 1 || fields.id !== visitorId) return null;
  if (fields.unknown === true) return { kind: 'unknown' };
  // Validated again: the cache is another boundary, and the rules may have changed since the write.
  const parsed = parseProfile(fields.profile, visitorId);
  return parsed.ok ? { kind: 'hit', profile: parsed.profile } : null;
}
