/**
 * Works out who and where the visitor is from trusted sources only (docs/contracts.md#cookies-identity-and-consent): the
 * platform's client address, geolocation and device detection, signed cookies (and a QA preview
 * link's signed token), and the standard
 * `Accept-Language`, `Sec-GPC` and `User-Agent` headers. Client-sent "internal" headers such as
 * `Fastly-Client-IP`, `X-Forwarded-For`, `X-Geo-*` or `X-Segment` are never read.
 */
import type { HmacKey } from '../ports.ts';
import { readCookies } from './cookie-header.ts';
import { isVisitorId, MAX_VID_CHARS, VID_COOKIE } from './visitor-id.ts';
import { pseudonymSoon, verifiedPseudonym } from '../log/pseudonym.ts';
import { MAX_SESS_CHARS, SESS_COOKIE } from './session-cookie.ts';
import { MAX_SIGNED_JSON_CHARS, pendingAt, SEVERAL, tokenParts, verifyParts } from './signed-token.ts';
import { provenCookies, startCookieCheck } from './identity-cookies.ts';
import { categoryFromUrl } from './page-category.ts';
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
  /** The payload of the request's QA preview token, when its MAC holds (experiments/preview.ts reads it). */
  preview?: string;
}

export interface VisitorFactsInput extends PlaceInput {
  signingKey: HmacKey | null;
  /** With it, the pseudonym of the cookie's id is worked out beside the MAC checks. */
  logKey?: HmacKey | null;
  /**
   * Instead of `signingKey` and `logKey`: asked for both only once the visitor is known to consent,
   * so a page without consent imports neither (crypto/service-keys.ts).
   */
  identityKeys?: () => Promise<{ signingKey: HmacKey | null; logKey: HmacKey | null }>;
  /** With it, a QA preview link's token (`?__preview=`) is checked beside the cookies, whatever the consent. */
  previewKey?: HmacKey | null;
}

/** The request URL's parameter that carries a QA preview token. */
export const PREVIEW_PARAMETER = '__preview';

/**
 * Every signed input is read and their MAC checks start at once, so the platform's lookups run
 * while Web Crypto works: the cookies only with consent, a preview link whatever the consent. One
 * MAC covers both cookies when the `sess` names the `vid`'s id (identity-cookies.ts); a preview's
 * check joins only when there is one (Promise.all costs a reaction per element). The pseudonym of
 * the id is signed once the cookie's MAC has verified it, and awaited as it is: an unverified id
 * never gets one, and inside the guest an await takes no promise of its own where waiting for both
 * together took three and a job more (the MACs are worked out when called, so nothing waits longer).
 *
 * The one wait for the MACs: none when no check is a promise (no token, or a key that checks
 * synchronously); one promise awaited as it is; several with one await for all (inside the guest
 * each await, reaction or async call costs ~10 µs, a third of a verify). If anything fails, each
 * settles on its own: a key that fails makes its token invalid, as verifyToken does, and a
 * pseudonym that failed is worked out again later.
 */
export async function resolveVisitorFacts(input: VisitorFactsInput): Promise<VisitorFacts> {
  const { request } = input;
  const problems: string[] = [];
  const cookies = readCookies(request.headers.get('cookie'), COOKIE_NAMES);
  const purposes = resolveConsentPurposes(input.settings.consentMode, request.headers.get('sec-gpc'), cookies.get(CONSENT_COOKIE));
  const { signingKey: key, logKey } = purposes.state === 'granted' && input.identityKeys ? await input.identityKeys() : givenKeys(purposes.state === 'granted', input);
  const vid = key === null ? null : tokenParts(cookies.get(VID_COOKIE), MAX_VID_CHARS);
  const sess = key === null ? null : tokenParts(cookies.get(SESS_COOKIE), MAX_SESS_CHARS);
  const previewKey = input.previewKey ?? null;
  const preview = previewKey === null ? null : tokenParts(previewToken(request.url), MAX_SIGNED_JSON_CHARS);
  const cookieCheck = startCookieCheck(key, vid, sess);
  let valid: unknown[] = preview === null ? [cookieCheck.check] : [cookieCheck.check, verifyParts(previewKey, preview)];
  const pending = pendingAt(valid);
  const { geo, device, locale } = placeOf(input, problems);
  if (purposes.state === 'granted' && key === null) problems.push('secret cookie_signing_key missing: no visitor id or session cookie');
  if (pending >= 0) {
    try {
      valid[pending] = await valid[pending];
    } catch {
      valid[pending] = false;
    }
  } else if (pending === SEVERAL) {
    valid = await allSettled(valid);
  }
  let proven = provenCookies(key, vid, sess, cookieCheck, valid[0] === true);
  if (proven instanceof Promise) proven = await proven;
  const identity: Identity = purposes.state === 'granted'
    ? consentedIdentity({ keyed: key !== null, analytics: purposes.analytics, vid: proven.vid, sess: proven.sess, pageCategory: categoryFromUrl(request.url) })
    : { consent: purposes.state, withdrawn: cookies.has(VID_COOKIE) || cookies.has(SESS_COOKIE) };
  const facts: VisitorFacts = { geo, device, locale, problems, identity };
  if (valid[1] === true) facts.preview = preview!.payload;
  let claimed: unknown = logKey === null || proven.vid === null || !isVisitorId(proven.vid) ? false : pseudonymSoon(logKey, proven.vid);
  try {
    if (claimed instanceof Promise) claimed = await claimed;
  } catch {
    claimed = false;
  }
  if (claimed !== false) facts.idPseudonym = verifiedPseudonym(proven.vid!, claimed);
  return facts;
}

/** Several checks (a preview link's beside the cookies'), each a failure on its own when one rejects. */
async function allSettled(checks: unknown[]): Promise<unknown[]> {
  try {
    return await Promise.all(checks);
  } catch {
    return (await Promise.allSettled(checks)).map((result) => result.status === 'fulfilled' && result.value);
  }
}

/** The keys given up front rather than asked for: the cookie key counts only with consent. */
function givenKeys(consented: boolean, input: VisitorFactsInput): { signingKey: HmacKey | null; logKey: HmacKey | null } {
  return { signingKey: consented ? input.signingKey : null, logKey: input.logKey ?? null };
}

/** The only cookies a decision reads. */
const COOKIE_NAMES = [CONSENT_COOKIE, VID_COOKIE, SESS_COOKIE];

/** The preview parameter's token; undefined when the URL has none (most pages: one native search). */
function previewToken(url: string): string | undefined {
  if (!url.includes(PREVIEW_PARAMETER)) return undefined;
  try {
    return new URL(url).searchParams.get(PREVIEW_PARAMETER) ?? undefined;
  } catch {
    return undefined;
  }
}
