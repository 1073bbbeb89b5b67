/**
 * The `Surrogate-Key` tags of an origin response (space-separated, Fastly's purge tags). Overlong
 * tags are dropped and the count is capped, so a hostile origin cannot bloat a cache entry's tags.
 */

export const MAX_SURROGATE_KEYS = 64;
const MAX_SURROGATE_KEY_LENGTH = 256;
const WHITESPACE = /\s/;
/** Whitespace other than the space the tags are split on. */
const OTHER_WHITESPACE = /[^\S ]/;
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Distinct non-empty tags of at most 256 characters without whitespace, none of `except`, at
 * most `max` of them. One indexed loop with `includes` (a native scan): in the Wasm guest `filter`
 * callbacks, Set spreads and a second pass over the tags are interpreted code.
 */
export function surrogateKeysOf(headers: Pick<Headers, 'get'>, except = NO_KEYS, max = MAX_SURROGATE_KEYS): string[] {
  const header = headers.get('surrogate-key') ?? '';
  const keys = header.split(' ');
  // Split on spaces, the tags hold no space: one test of the whole header tells whether any tag
  // holds other whitespace, instead of one RegExp call per tag (~2 µs each in the Wasm guest).
  const mayHoldWhitespace = OTHER_WHITESPACE.test(header);
  const kept: string[] = [];
  for (let i = 0; i < keys.length && kept.length < max; i++) {
    const key = keys[i]!;
    if (key.length === 0 || key.length > MAX_SURROGATE_KEY_LENGTH || except.has(key) || (mayHoldWhitespace && WHITESPACE.test(key)) || kept.includes(key)) continue;
    kept.push(key);
  }
  return kept;
}
