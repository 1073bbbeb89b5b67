/**
 * Query parameters that only carry campaign or click tracking for analytics scripts: they never
 * change the page, so they are dropped from cache keys and from the URL forwarded to the origin.
 */

const TRACKING_NAMES = new Set([
  'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'li_fat_id', 'igshid', 'mc_cid', 'mc_eid', '_ga', '_gl', '_hsenc', '_hsmi', 'mkt_tok', 'oly_anon_id', 'oly_enc_id',
  'vero_id', 'rb_clickid', 's_cid', 'ef_id', 'srsltid',
  // The edge's own QA preview token (read from the raw request URL): never keyed, never forwarded.
  '__preview',
]);

/** `utm_*` and the names above, compared case-insensitively on the normalized name. */
export function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_NAMES.has(lower);
}

/**
 * `isTrackingParameter` for a name of ASCII characters only (what a normalized query holds) as
 * one native RegExp test instead of a lowercasing, a prefix check and a set lookup: inside the
 * Wasm guest each call is interpreted glue. For ASCII, the `i` flag folds case exactly as
 * `toLowerCase` does.
 */
export function isTrackingAsciiName(name: string): boolean {
  return TRACKING_NAME.test(name);
}

/** A tracking name as a RegExp source (with the `i` flag): `utm_` and anything after it, or one of the names above. */
export const TRACKING_NAME_SOURCE = `utm_[^]*|${[...TRACKING_NAMES].join('|')}`;

const TRACKING_NAME = new RegExp(`^(?:${TRACKING_NAME_SOURCE})$`, 'i');
