/**
 * A consenting visitor's identity, from the verified payloads of their signed cookies: the id in
 * `vid`, else a freshly minted one; the categories in a `sess` bound to that id, with this page's category pushed on
 * (docs/contracts.md#cookies-identity-and-consent). Without the signing key nothing was verified
 * and nothing can be signed: no id, and a session that is never written.
 */
import type { Consented } from './identity.ts';
import { mintVisitorId, visitorIdFrom } from './visitor-id.ts';
import { pushCategory, sameCategories, sessionFrom } from './session-cookie.ts';

export interface VerifiedCookies {
  /** False when the `cookie_signing_key` secret is missing. */
  keyed: boolean;
  analytics: boolean;
  /** The payloads whose MAC holds; null for an absent, malformed or forged cookie (identity-cookies.ts). */
  vid: string | null;
  /** Counts only when bound to the id in `vid`: a `sess` never identifies anyone by itself. */
  sess: string | null;
  pageCategory: string | null;
}

export function consentedIdentity(verified: VerifiedCookies): Consented {
  const { keyed } = verified;
  const storedId = visitorIdFrom(verified.vid);
  const id = keyed ? (storedId ?? mintVisitorId()) : null;
  const stored = storedId === null ? [] : sessionFrom(verified.sess, storedId);
  const categories = pushCategory(stored, verified.pageCategory);
  const session = { categories, changed: keyed && !sameCategories(categories, stored) };
  return { consent: 'granted', analytics: verified.analytics, id, minted: keyed && storedId === null, session };
}
