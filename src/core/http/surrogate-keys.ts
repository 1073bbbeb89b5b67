/**
 * The `Surrogate-Key` tags of an origin response (space-separated, Fastly's purge tags). Overlong
 * tags are dropped and the count is capped, so a hostile origin cannot bloat a cache entry's tags.
 */

export const MAX_SURROGATE_KEYS = 64;
const MAX_SURROGATE_KEY_LENGTH = 256;

export function surrogateKeysOf(headers: Headers): string[] {
  return sanitizeSurrogateKeys((headers.get('surrogate-key') ?? '').split(' '));
}

/** Distinct non-empty tags of at most 256 characters, at most 64 of them. */
export function sanitizeSurrogateKeys(keys: readonly string[]): string[] {
  const kept = keys.filter((key) => key.length > 0 && key.length <= MAX_SURROGATE_KEY_LENGTH && !/\s/.test(key));
  return [...new Set(kept)].slice(0, MAX_SURROGATE_KEYS);
}
