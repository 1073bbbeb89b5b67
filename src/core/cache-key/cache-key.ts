/**
 * The three cache-key tiers of docs/contracts.md#caching-and-keys. Each key is a JSON array whose
 * first element names the tier and key version: JSON string escaping makes the encoding
 * injective, so no crafted value (with `|`, `;`, quotes, NULs...) can make two different inputs
 * share a key, and tiers can never collide with each other. Template and page keys are its SHA-256
 * (hex), since they also key the edge cache; the fragment key is hashed by the platform (see
 * fragmentCacheKey). The readable prefix helps debugging.
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

/** Template tier: the normalized page URL. */
export function templateCacheKey(u: NormalizedUrl, hash: Hash): Promise<string> {
  return keyAfter(templateKeySoon(u, hash), templateKeyOf);
}

/**
 * The template key for a caller's own await: `templateKeyOf(await templateKeySoon(u, hash))`. The
 * caller's await is then the only reaction on the digest (inside the Wasm guest each costs ~10 µs).
 */
export function templateKeySoon(u: NormalizedUrl, hash: Hash): KeySoon {
  return digestOf(hash, ['template/v1', u.href]);
}

export function templateKeyOf(done: string | Digest): string {
  return keyOf('tpl', done);
}

/**
 * Fragment tier: the normalized fragment URL after substitution. Never for `$(VISITOR)` fragments.
 * The key is the canonical JSON itself, not a digest of it: it is only ever a backend fetch's cache
 * key, which js-compute hashes with SHA-256 natively and synchronously when it sets the request's
 * cache key, and the Node host keys its memory cache by. Our own digest on top cost a promise and an
 * interpreted hex loop per include inside the Wasm guest. The JSON prefix keeps it apart from the
 * hashed tiers (`frag:[`…, never hex).
 */
export function fragmentCacheKey(u: NormalizedUrl): string {
  return `frag:${JSON.stringify(['fragment/v1', u.href])}`;
}

/**
 * Assembled-page tier: URL + locale + the values of the variables the page reads (segment,
 * variants, device, region... each from a closed set; see page-variation.ts for why that is
 * exactly what a page can differ in).
 */
export function pageCacheKey(parts: PageKeyParts, hash: Hash): Promise<string> {
  return keyAfter(pageKeySoon(parts, hash), pageKeyOf);
}

/** The page key for a caller's own await: `pageKeyOf(await pageKeySoon(parts, hash))` (see templateKeySoon). */
export function pageKeySoon(parts: PageKeyParts, hash: Hash): KeySoon {
  return digestOf(hash, ['page/v3', parts.url.href, parts.locale, parts.varies]);
}

export function pageKeyOf(done: string | Digest): string {
  return keyOf('page', done);
}

/** A digest as the port returns it. */
type Digest = Uint8Array | ArrayBuffer;

/**
 * A hashed key on its way: its hex digest at once when the port hashes synchronously (node:crypto),
 * else the digest's own promise (a failure is its rejection).
 */
export type KeySoon = string | Promise<Digest>;

/** The SHA-256 to use: `deps.crypto` in the service; Web Crypto by default. */
type Hash = Pick<CryptoPort, 'sha256' | 'sha256HexNow'>;

const encoder = new TextEncoder();
// A table instead of toString(16) + padStart per byte: inside the Wasm guest every call is interpreted.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The digest's own promise, no reaction of ours: inside the Wasm guest every await and reaction
 * costs ~10 µs, about as much as the digest itself. A throw is a rejection.
 */
function digestOf(hash: Hash, canonical: unknown[]): KeySoon {
  try {
    const text = JSON.stringify(canonical);
    // A port with a synchronous hex digest (node:crypto) skips the encode, the wait and the hex loop.
    if (hash.sha256HexNow) return hash.sha256HexNow(text);
    return hash.sha256(encoder.encode(text));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function keyOf(prefix: string, done: string | Digest): string {
  return `${prefix}:${typeof done === 'string' ? done : hex(done)}`;
}

/** The key as one promise, for callers outside the page path. */
function keyAfter(soon: KeySoon, of: (done: string | Digest) => string): Promise<string> {
  return typeof soon === 'string' ? Promise.resolve(of(soon)) : soon.then(of);
}

function hex(digest: Uint8Array | ArrayBuffer): string {
  const bytes = digest instanceof Uint8Array ? digest : new Uint8Array(digest);
  if (bytes.length === 32) return hex32(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX[bytes[i]!]!;
  return text;
}

/**
 * A SHA-256 digest in hex as one expression: inside the Wasm guest the loop above costs ~30–120 µs
 * for 32 bytes (each turn's compare, increment and concatenation interpreted), this ~10 µs.
 */
function hex32(b: Uint8Array): string {
  const h = HEX;
  return (
    h[b[0]!]! + h[b[1]!]! + h[b[2]!]! + h[b[3]!]! + h[b[4]!]! + h[b[5]!]! + h[b[6]!]! + h[b[7]!]! +
    h[b[8]!]! + h[b[9]!]! + h[b[10]!]! + h[b[11]!]! + h[b[12]!]! + h[b[13]!]! + h[b[14]!]! + h[b[15]!]! +
    h[b[16]!]! + h[b[17]!]! + h[b[18]!]! + h[b[19]!]! + h[b[20]!]! + h[b[21]!]! + h[b[22]!]! + h[b[23]!]! +
    h[b[24]!]! + h[b[25]!]! + h[b[26]!]! + h[b[27]!]! + h[b[28]!]! + h[b[29]!]! + h[b[30]!]! + h[b[31]!]!
  );
}
