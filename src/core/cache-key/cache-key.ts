/**
 * The three cache-key tiers of DESIGN §5.6. Each key is the SHA-256 (hex) of a JSON array whose
 * first element names the tier and key version: JSON string escaping makes the encoding
 * injective, so no crafted value (with `|`, `;`, quotes, NULs...) can make two different inputs
 * share a key, and tiers can never collide with each other. The readable prefix helps debugging.
 */
import type { NormalizedUrl } from './url-normalize.ts';

export interface PageKeyParts {
  url: NormalizedUrl;
  segment: string;
  variants: Readonly<Record<string, string>>;
  locale: string;
  device: string;
  consent: string;
  /** The closed geo region: templates may use `$(GEO{region})`, so pages differ by region. */
  region: string;
}

/** Template tier: the normalized page URL. */
export function templateCacheKey(u: NormalizedUrl): Promise<string> {
  return hashedKey('tpl', ['template/v1', u.href]);
}

/** Fragment tier: the normalized fragment URL after substitution. Never for `$(VISITOR)` fragments. */
export function fragmentCacheKey(u: NormalizedUrl): Promise<string> {
  return hashedKey('frag', ['fragment/v1', u.href]);
}

/** Assembled-page tier: URL + segment + variants (sorted by experiment) + locale + device + consent + region. */
export function pageCacheKey(parts: PageKeyParts): Promise<string> {
  const variants = Object.keys(parts.variants)
    .sort()
    .map((id) => [id, parts.variants[id] ?? '']);
  return hashedKey('page', ['page/v2', parts.url.href, parts.segment, variants, parts.locale, parts.device, parts.consent, parts.region]);
}

const encoder = new TextEncoder();

async function hashedKey(prefix: string, canonical: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(canonical)));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return `${prefix}:${hex}`;
}
