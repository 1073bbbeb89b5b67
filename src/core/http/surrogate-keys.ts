/**
 * The `Surrogate-Key` tags of an origin response (space-separated, Fastly's purge tags). Overlong
 * tags are dropped and the count is capped, so a hostile origin cannot bloat a cache entry's tags.
 */

export const MAX_SURROGATE_KEYS = 64;
const MAX_SURROGATE_KEY_LENGTH = 256;

export function surrogateKeysOf(headers: Headers): string[] {
  const value = headers.get('surrogate-key') ?? '';
  return value
    .split(' ')
    .filter((key) => key.length > 0 && key.length <= MAX_SURROGATE_KEY_LENGTH)
    .slice(0, MAX_SURROGATE_KEYS);
}
