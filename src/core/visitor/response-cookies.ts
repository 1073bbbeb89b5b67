/**
 * The Set-Cookie values a personalized page response carries: the freshly minted `vid`, and the
 * updated `sess` when its categories changed. Without consent nothing, except that a visitor who
 * withdrew it (still holding `vid`/`sess`) gets both expired, so no identifier outlives the choice.
 */
import type { Identity } from './identity.ts';
import { VID_COOKIE, visitorIdCookie } from './visitor-id.ts';
import { SESS_COOKIE, sessionCookie } from './session-cookie.ts';
import type { HmacKey } from '../ports.ts';

/** Same attributes as when set, so the browser matches and removes the stored cookies. */
export const EXPIRED_IDENTITY_COOKIES: readonly string[] = Object.freeze(
  [VID_COOKIE, SESS_COOKIE].map((name) => `${name}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`),
);

export async function responseCookies(identity: Identity, signingKey: HmacKey | null): Promise<string[]> {
  if (identity.consent !== 'granted') return identity.withdrawn ? [...EXPIRED_IDENTITY_COOKIES] : [];
  if (signingKey === null) return [];
  const cookies: Promise<string>[] = [];
  if (identity.minted && identity.id !== null) cookies.push(visitorIdCookie(signingKey, identity.id));
  if (identity.session.changed && identity.session.categories.length > 0) cookies.push(sessionCookie(signingKey, identity.session.categories));
  return Promise.all(cookies);
}
