/**
 * The Set-Cookie values a personalized page response carries: the freshly minted `vid`, and the
 * updated `sess` when its categories changed. Nothing at all without consent or without a key.
 */
import type { ConsentState } from '../context/consent.ts';
import { visitorIdCookie } from './visitor-id.ts';
import { sessionCookie } from './session-cookie.ts';
import { categoryFromPath } from './page-category.ts';

/** The part of the visitor context (decision/visitor-context.ts) the cookies depend on. */
export interface CookieFacts {
  consent: ConsentState;
  personalize: boolean;
  visitorId: string | null;
  mintedVisitorId: boolean;
  session: { categories: readonly string[] };
  /** Whether the session cookie is due; absent means "derive it from the page path". */
  sessionChanged?: boolean;
}

export async function responseCookies(context: CookieFacts, signingKey: CryptoKey | null, pagePath: string): Promise<string[]> {
  if (!context.personalize || context.consent !== 'granted' || signingKey === null) return [];
  const cookies: Promise<string>[] = [];
  if (context.mintedVisitorId && context.visitorId !== null) cookies.push(visitorIdCookie(signingKey, context.visitorId));
  // Contexts from resolveVisitorContext say whether the session changed; for others, a category
  // or product page is the only thing that can change it.
  const changed = context.sessionChanged ?? categoryFromPath(pagePath) !== null;
  if (changed && context.session.categories.length > 0) cookies.push(sessionCookie(signingKey, context.session.categories));
  return Promise.all(cookies);
}
