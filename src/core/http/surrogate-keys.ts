/**
 * The `Surrogate-Key` tags of an origin response (space-separated, Fastly's purge tags). Overlong
 * tags are dropped and the count is capped, so a hostile origin cannot bloat a cache entry's tags.
 */

export const MAX_SURROGATE_KEYS = 64;
const MAX_SURROGATE_KEY_LENGTH = 256;
const WHITESPACE = /\s/;

export function surrogateKeysOf(headers: Headers): string[] {
  return sanitizeSurrogateKeys((headers.get('surrogate-key') ?? '').split(' '));
}

/**
 * Distinct non-empty tags of at most 256 characters, at most 64 of them. An indexed loop with
 * `includes` (a native scan): in the Wasm guest `filter` callbacks and Set spreads are interpreted.
 */
export function sanitizeSurrogateKeys(keys: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < keys.length && kept.length < MAX_SURROGATE_KEYS; i++) {
    const key = keys[i]!;
    if (key.length === 0 || key.length > MAX_SURROGATE_KEY_LENGTH || WHITESPACE.test(key) || kept.includes(key)) continue;
    kept.push(key);
  }
  return kept;
}
