/**
 * Works out who and where the visitor is from trusted sources only (docs/contracts.md#cookies-identity-and-consent): the
 * platform's client address, geolocation and device detection, signed cookies, and the standard
 * `Accept-Language`, `Sec-GPC` and `User-Agent` headers. Client-sent "internal" headers such as
 * `Fastly-Client-IP`, `X-Forwarded-For`, `X-Geo-*` or `X-Segment` are never read.
 */
import type { HmacKey } from '../ports.ts';
import { readCookies } from './cookie-header.ts';
import { isVisitorId, MAX_VID_CHARS, VID_COOKIE } from './visitor-id.ts';
import { pseudonymSoon } from '../log/pseudonym.ts';
import { MAX_SESS_CHARS, SESS_COOKIE } from './session-cookie.ts';
import { tokenParts, verifyParts, verifySafely } from './signed-token.ts';
import { categoryFromPath } from './page-category.ts';
import { CONSENT_COOKIE, resolveConsentPurposes } from './consent.ts';
import type { Identity } from './identity.ts';
import { consentedIdentity } from './consented-identity.ts';
import { placeOf, type PlaceInput, type VisitorPlace } from './visitor-place.ts';

/** Where the visitor is (visitor-place.ts), and who they are as far as their consent allows. */
export interface VisitorFacts extends VisitorPlace {
  /** Consent, id and session together: the id and session exist only with consent. */
  identity: Identity;
  problems: string[];
  /** The pseudonym of the id in a valid `vid`, when `logKey` was given (see resolveVisitorFacts). */
  idPseudonym?: { id: string; pseudonym: string };
}

export interface VisitorFactsInput extends PlaceInput {
  signingKey: HmacKey | null;
  /** With it, the pseudonym of the cookie's id is worked out beside the MAC checks. */
  logKey?: HmacKey | null;
}

export async function resolveVisitorFacts(input: VisitorFactsInput): Promise<VisitorFacts> {
  const { request } = input;
  const problems: string[] = [];
  const cookies = readCookies(request.headers.get('cookie'), COOKIE_NAMES);
  const purposes = resolveConsentPurposes(input.settings.consentMode, request.headers.get('sec-gpc'), cookies.get(CONSENT_COOKIE));
  const { geo, device, locale } = placeOf(input, problems);
  // Object literals written out, not spreads: in the Wasm guest a spread runs self-hosted code.
  if (purposes.state !== 'granted') {
    const withdrawn = cookies.has(VID_COOKIE) || cookies.has(SESS_COOKIE);
    return { geo, device, locale, problems, identity: { consent: purposes.state, withdrawn } };
  }
  const pageCategory = categoryFromPath(pathOf(request.url));
  const key = input.signingKey;
  if (key === null) problems.push('secret cookie_signing_key missing: no visitor id or session cookie');
  const vid = key === null ? null : tokenParts(cookies.get(VID_COOKIE), MAX_VID_CHARS);
  const sess = key === null ? null : tokenParts(cookies.get(SESS_COOKIE), MAX_SESS_CHARS);
  // Both MACs under one await, inline: inside the guest each await, reaction or async call costs
  // ~10 µs, a third of a verify. Promise.all also handles a rejection of either.
  // The pseudonym of the id the cookie claims is signed under the same await (one await fewer for
  // the page); it is used only if the id's MAC verifies, so an unverified id never gets further.
  const claimed = input.logKey && vid !== null && isVisitorId(vid.payload) ? vid.payload : null;
  let valid: readonly unknown[] = NO_TOKENS;
  try {
    if (key !== null && (vid !== null || sess !== null)) {
      valid = [verifyParts(key, vid), verifyParts(key, sess), claimed !== null && pseudonymSoon(input.logKey!, claimed)];
      // A key with a synchronous check (node:crypto) leaves nothing to wait for: no await at all.
      if (!settled(valid)) valid = await Promise.all(valid);
    }
  } catch {
    // A key that fails makes its token invalid, as verifyToken does (only a key can fail here).
    valid = await Promise.all([verifySafely(key!, vid), verifySafely(key!, sess)]);
  }
  const verified = { keyed: key !== null, analytics: purposes.analytics, vid: valid[0] === true ? vid!.payload : null, sess: valid[1] === true ? sess!.payload : null, pageCategory };
  const facts: VisitorFacts = { geo, device, locale, problems, identity: consentedIdentity(verified) };
  if (valid[0] === true && typeof valid[2] === 'string') facts.idPseudonym = { id: vid!.payload, pseudonym: valid[2] };
  return facts;
}

const NO_TOKENS: readonly boolean[] = [false, false];

/** Both MAC checks done and the pseudonym, if any, too: nothing is a promise. */
function settled(checks: readonly unknown[]): boolean {
  return typeof checks[0] === 'boolean' && typeof checks[1] === 'boolean' && typeof checks[2] !== 'object';
}
/** The only cookies a decision reads. */
const COOKIE_NAMES = [CONSENT_COOKIE, VID_COOKIE, SESS_COOKIE];

/**
 * The path of a serialized http(s) URL (as `Request.url` always is): after the authority, up to
 * the query or fragment; the serializer has already percent-encoded any `/`, `?` or `#` in the
 * user info. One native match instead of parsing the URL a second time per page.
 */
const HTTP_PATH = /^https?:\/\/[^/?#]*(\/[^?#]*)/;

function pathOf(url: string): string {
  const match = HTTP_PATH.exec(url);
  if (match !== null) return match[1]!;
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
