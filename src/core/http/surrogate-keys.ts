/**
 * The `Surrogate-Key` tags of an origin response (space-separated, Fastly's purge tags). Overlong
 * tags are dropped and the count is capped, so a hostile origin cannot bloat a cache entry's tags.
 */

export const MAX_SURROGATE_KEYS = 64;
const MAX_SURROGATE_KEY_LENGTH = 256;
const WHITESPACE = /\s/;
/** Whitespace other than the space the tags are split on. */
const OTHER_WHITESPACE = /[^\S ]/;

export function surrogateKeysOf(headers: Headers): string[] {
  const header = headers.get('surrogate-key') ?? '';
  // Split on spaces, the tags hold no space: one test of the whole header then tells whether any
  // tag holds other whitespace, instead of one RegExp call per tag (~2 µs each in the Wasm guest).
  return sanitizeSurrogateKeys(header.split(' '), OTHER_WHITESPACE.test(header));
}

/**
 * Distinct non-empty tags of at most 256 characters without whitespace, at most 64 of them.
 * `mayHoldWhitespace` false skips the per-tag whitespace test (for tags known to hold none). An
 * indexed loop with `includes` (a native scan): in the Wasm guest `filter` callbacks and Set
 * spreads are interpreted.
 */
export function sanitizeSurrogateKeys(keys: readonly string[], mayHoldWhitespace = true): string[] {
  const kept: string[] = [];
  for (let i = 0; i < keys.length && kept.length < MAX_SURROGATE_KEYS; i++) {
    const key = keys[i]!;
    if (key.length === 0 || key.length > MAX_SURROGATE_KEY_LENGTH || (mayHoldWhitespace && WHITESPACE.test(key)) || kept.includes(key)) continue;
    kept.push(key);
  }
  return kept;
}
