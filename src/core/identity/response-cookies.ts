/**
 * The Set-Cookie values a personalized page response carries: the freshly minted `vid`, and the
 * updated `sess` when its categories changed. Without consent nothing, except that a visitor who
 * withdrew it (still holding `vid`/`sess`) gets both expired, so no identifier outlives the choice.
 */
import type { ConsentState } from '../context/consent.ts';
import { VID_COOKIE, visitorIdCookie } from './visitor-id.ts';
import { SESS_COOKIE, sessionCookie } from './session-cookie.ts';
import { categoryFromPath } from './page-category.ts';
import type { HmacKey } from '../ports.ts';

/** Same attributes as when set, so the browser matches and removes the stored cookies. */
export const EXPIRED_IDENTITY_COOKIES: readonly string[] = Object.freeze(
  [VID_COOKIE, SESS_COOKIE].map((name) => `${name}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`),
);

/** The part of the visitor context (decision/visitor-context.ts) the cookies depend on. */
export interface CookieFacts {
  consent: ConsentState;
  personalize: boolean;
  visitorId: string | null;
  mintedVisitorId: boolean;
  session: { categories: readonly string[] };
  /** Whether the session cookie is due; absent means "derive it from the page path". */
  sessionChanged?: boolean;
  /** The visitor still holds `vid`/`sess` but no longer grants personalization. */
  withdrawn?: boolean;
}

export async function responseCookies(context: CookieFacts, signingKey: HmacKey | null, pagePath: string): Promise<string[]> {
  if (!context.personalize || context.consent !== 'granted') return context.withdrawn === true ? [...EXPIRED_IDENTITY_COOKIES] : [];
  if (signingKey === null) return [];
  const cookies: Promise<string>[] = [];
  if (context.mintedVisitorId && context.visitorId !== null) cookies.push(visitorIdCookie(signingKey, context.visitorId));
  // Contexts from resolveVisitorContext say whether the session changed; for others, a category
  // or product page is the only thing that can change it.
  const changed = context.sessionChanged ?? categoryFromPath(pagePath) !== null;
  if (changed && context.session.categories.length > 0) cookies.push(sessionCookie(signingKey, context.session.categories));
  return Promise.all(cookies);
}
