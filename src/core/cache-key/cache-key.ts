/**
 * The three cache-key tiers of docs/contracts.md#caching-and-keys. Each key is a tier prefix and a
 * JSON array whose first element names the tier and key version: JSON string escaping makes the
 * encoding injective, so no crafted value (with `|`, `;`, quotes, NULs...) can make two different
 * inputs share a key, and tiers can never collide with each other.
 *
 * The key is that text itself, not a digest of it: every place it goes hashes its key itself (the
 * core cache and the Node host's edge cache key a hash table with it; a backend fetch's cache key is
 * hashed with SHA-256 by js-compute), so our own digest only cost a promise per key inside the Wasm
 * guest. Template and page encodings longer than MAX_PLAIN_KEY_BYTES (a URL with a long query) are
 * still their SHA-256, in hex: the core cache takes keys of at most 4 KiB, and the variation and
 * stale-copy keys wrap a template key. Hex never starts with `[`, so the two forms cannot collide.
 */
import type { CryptoPort } from '../ports.ts';
import type { NormalizedUrl } from './url-normalize.ts';

export interface PageKeyParts {
  url: NormalizedUrl;
  /** Always a key part: it is sent to the template and fragment origins, which may vary on it. */
  locale: string;
  /** The ESI variables the page reads and their values (`['SEGMENT', 'vip']`, ...), sorted by name. */
  varies: ReadonlyArray<readonly [string, string]>;
}

/**
 * A template or page key: at once when it is the plain text (nearly always) or the port hashes
 * synchronously (node:crypto); else the digest's promise (a failure is its rejection). Callers
 * await only a promise: inside the Wasm guest even an await of a string costs a promise job.
 */
export type CacheKey = string | Promise<string>;

/** Longest canonical encoding, in UTF-8 bytes, kept as the key itself; far below the core cache's 4 KiB. */
export const MAX_PLAIN_KEY_BYTES = 1024;

/** Template tier: the normalized page URL. */
export function templateCacheKey(u: NormalizedUrl, hash: Hash): CacheKey {
  return keyOf('tpl:', JSON.stringify(['template/v1', u.href]), hash);
}

/**
 * Fragment tier: the normalized fragment URL after substitution. Never for `$(VISITOR)` fragments.
 * Always the canonical JSON itself: it is only ever a backend fetch's cache key, which js-compute
 * hashes with SHA-256 when it sets the request's cache key (into a header), whatever its length.
 */
export function fragmentCacheKey(u: NormalizedUrl): string {
  return `frag:${JSON.stringify(['fragment/v1', u.href])}`;
}

/**
 * Assembled-page tier: URL + locale + the values of the variables the page reads (segment,
 * variants, device, region... each from a closed set; see page-variation.ts for why that is
 * exactly what a page can differ in).
 */
export function pageCacheKey(parts: PageKeyParts, hash: Hash): CacheKey {
  return keyOf('page:', JSON.stringify(['page/v3', parts.url.href, parts.locale, parts.varies]), hash);
}

/** The SHA-256 to use past MAX_PLAIN_KEY_BYTES: `deps.crypto` in the service. */
type Hash = Pick<CryptoPort, 'sha256' | 'sha256HexNow'>;

const encoder = new TextEncoder();

function keyOf(prefix: string, canonical: string, hash: Hash): CacheKey {
  if (utf8Within(canonical, MAX_PLAIN_KEY_BYTES)) return prefix + canonical;
  try {
    if (hash.sha256HexNow) return prefix + hash.sha256HexNow(canonical);
    return hash.sha256(encoder.encode(canonical)).then((digest) => prefix + hex(digest));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Whether `text` is at most `max` bytes in UTF-8. A UTF-16 unit is 1 to 3 bytes (a surrogate pair,
 * two units, is 4), so only a length between max / 3 and max needs counting. A query value or a
 * variable's name can be non-ASCII; JSON.stringify escapes lone surrogates, so the encoding is exact.
 */
function utf8Within(text: string, max: number): boolean {
  if (text.length * 3 <= max) return true;
  if (text.length > max) return false;
  return encoder.encode(text).byteLength <= max;
}

/** Lowercase hex, as node:crypto spells it. Only keys past MAX_PLAIN_KEY_BYTES come here. */
function hex(digest: Uint8Array | ArrayBuffer): string {
  const bytes = digest instanceof Uint8Array ? digest : new Uint8Array(digest);
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return text;
}
