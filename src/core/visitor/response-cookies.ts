/**
 * The Set-Cookie values a personalized page response carries: the freshly minted `vid`, and the
 * updated `sess` when its categories changed. Without consent nothing, except that a visitor who
 * withdrew it (still holding `vid`/`sess`) gets both expired, so no identifier outlives the choice.
 */
import type { Consented, Identity } from './identity.ts';
import { VID_ATTRIBUTES, VID_COOKIE } from './visitor-id.ts';
import { SESS_ATTRIBUTES, SESS_COOKIE, sessionPayload } from './session-cookie.ts';
import type { HmacKey } from '../ports.ts';
import { signTokens } from '../crypto/token-mint.ts';

/** Same attributes as when set, so the browser matches and removes the stored cookies. */
export const EXPIRED_IDENTITY_COOKIES: readonly string[] = Object.freeze(
  // `sess` has the attributes both share (the `vid` adds only its Max-Age, here 0).
  [VID_COOKIE, SESS_COOKIE].map((name) => `${name}=; Max-Age=0; ${SESS_ATTRIBUTES}`),
);

/**
 * The cookies, synchronously when nothing needs signing: the caller awaits only what it must (in the
 * Wasm guest each promise and await costs ~10 µs, and most page views sign nothing). Both are
 * signed by one call to the minter. Never throws: a signing failure is a rejection.
 */
export function responseCookies(identity: Identity, signingKey: HmacKey | null): string[] | Promise<string[]> {
  if (identity.consent !== 'granted') return identity.withdrawn ? EXPIRED_IDENTITY_COOKIES.slice() : [];
  if (signingKey === null) return [];
  const minted = mintsId(identity);
  const sess = movesSession(identity);
  if (!minted && !sess) return [];
  const payloads: string[] = [];
  if (minted) payloads.push(identity.id!);
  // Bound to the id it is sent beside, verified or just minted (session-cookie.ts).
  if (sess) payloads.push(sessionPayload(identity.id!, identity.session.categories));
  return signTokens(signingKey, payloads).then((tokens) => {
    const cookies: string[] = [];
    if (minted) cookies.push(`${VID_COOKIE}=${tokens[0]!}; ${VID_ATTRIBUTES}`);
    if (sess) cookies.push(`${SESS_COOKIE}=${tokens[tokens.length - 1]!}; ${SESS_ATTRIBUTES}`);
    return cookies;
  });
}

/**
 * Whether the page's response sets a cookie (`responseCookies` gives some), known from the identity
 * before the decision: such a page is never stored in the page cache (page-lookup.ts).
 */
export function setsCookies(identity: Identity, signingKey: HmacKey | null): boolean {
  if (identity.consent !== 'granted') return identity.withdrawn;
  return signingKey !== null && (mintsId(identity) || movesSession(identity));
}

/** A `vid` is due: the id was minted on this request. */
function mintsId(identity: Consented): boolean {
  return identity.minted && identity.id !== null;
}

/** A new `sess` is due: the page changed the session's categories. */
function movesSession(identity: Consented): boolean {
  return identity.session.changed && identity.session.categories.length > 0 && identity.id !== null;
}
