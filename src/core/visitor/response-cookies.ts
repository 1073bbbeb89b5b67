/**
 * The Set-Cookie values a personalized page response carries: the freshly minted `vid`, and the
 * updated `sess` when its categories changed. Without consent nothing, except that a visitor who
 * withdrew it (still holding `vid`/`sess`) gets both expired, so no identifier outlives the choice.
 */
import type { Identity } from './identity.ts';
import { VID_COOKIE, visitorIdCookie } from './visitor-id.ts';
import { SESS_COOKIE, sessionCookie } from './session-cookie.ts';
import type { HmacKey } from '../ports.ts';
import { rejected } from '../backend/rejected.ts';

/** Same attributes as when set, so the browser matches and removes the stored cookies. */
export const EXPIRED_IDENTITY_COOKIES: readonly string[] = Object.freeze(
  [VID_COOKIE, SESS_COOKIE].map((name) => `${name}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`),
);

/**
 * The cookies, synchronously when nothing needs signing: the caller awaits only what it must (in the
 * Wasm guest each promise and await costs ~10 µs, and most page views sign nothing). Never throws:
 * a signing failure is a rejection, as from an async function.
 */
export function responseCookies(identity: Identity, signingKey: HmacKey | null): string[] | Promise<string[]> {
  if (identity.consent !== 'granted') return identity.withdrawn ? EXPIRED_IDENTITY_COOKIES.slice() : [];
  if (signingKey === null) return [];
  const minted = identity.minted && identity.id !== null;
  const sess = identity.session.changed && identity.session.categories.length > 0;
  if (!minted && !sess) return [];
  try {
    const cookies: Promise<string>[] = [];
    if (minted) cookies.push(visitorIdCookie(signingKey, identity.id!));
    if (sess) cookies.push(sessionCookie(signingKey, identity.session.categories));
    return Promise.all(cookies);
  } catch (error) {
    return rejected(error);
  }
}
