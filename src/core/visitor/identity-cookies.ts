/**
 * The visitor's identity as their cookies carry it, read under their consent: with the
 * personalization purpose, the signed `vid` and `sess` cookies are verified together (a visitor
 * without a valid `vid` gets a new id); without it, neither is read, and holding them means
 * consent was withdrawn, so both are expired (response-cookies.ts).
 */
import type { HmacKey } from '../ports.ts';
import type { ConsentPurposes } from './consent.ts';
import type { Identity } from './identity.ts';
import { mintVisitorId, readVisitorId, VID_COOKIE } from './visitor-id.ts';
import { pushCategory, readSession, SESS_COOKIE } from './session-cookie.ts';

export interface IdentityInput {
  purposes: ConsentPurposes;
  cookies: ReadonlyMap<string, string>;
  signingKey: HmacKey | null;
  /** This page's category, counted in the session at once. */
  category: string | null;
  problems: string[];
}

export async function readIdentity(input: IdentityInput): Promise<Identity> {
  const { purposes, cookies, signingKey, category } = input;
  if (purposes.state !== 'granted') return { consent: purposes.state, withdrawn: cookies.has(VID_COOKIE) || cookies.has(SESS_COOKIE) };
  const { analytics } = purposes;
  if (signingKey === null) {
    input.problems.push('secret cookie_signing_key missing: no visitor id or session cookie');
    return { consent: 'granted', analytics, id: null, minted: false, session: { categories: pushCategory([], category), changed: false } };
  }
  const [storedId, stored] = await Promise.all([readVisitorId(signingKey, cookies.get(VID_COOKIE)), readSession(signingKey, cookies.get(SESS_COOKIE))]);
  const categories = pushCategory(stored, category);
  return {
    consent: 'granted',
    analytics,
    id: storedId ?? mintVisitorId(),
    minted: storedId === null,
    session: { categories, changed: categories.join('~') !== stored.join('~') },
  };
}
