/**
 * Session signals from a recommendation click: the clicked category moves to the front of the
 * signed `sess` cookie so the visitor's next page can react. The edge knows no catalog, so the
 * category comes from the beacon's page path (`/category/{slug}`, `/product/{category}/{sku}`);
 * a click on a page without a category changes nothing.
 */
import type { Beacon } from './beacon-body.ts';
import type { Identity } from '../visitor/identity.ts';
import { categoryFromPath } from '../visitor/page-category.ts';
import { pushCategory, sessionCookie } from '../visitor/session-cookie.ts';
import type { HmacKey } from '../ports.ts';

export const RECS_SLOT = 'recs';

export interface SessionUpdate {
  categories: readonly string[];
  /** The Set-Cookie value, or null when nothing changed or no cookie may be written. */
  cookie: string | null;
}

export async function sessionAfterBeacon(beacon: Beacon, identity: Identity, signingKey: HmacKey | null): Promise<SessionUpdate> {
  // The sess cookie is written only with consent and a signing key, exactly as on page views.
  if (identity.consent !== 'granted') return { categories: [], cookie: null };
  const stored = identity.session.categories;
  if (beacon.type !== 'click' || beacon.slot !== RECS_SLOT || signingKey === null || identity.id === null) return { categories: stored, cookie: null };
  const categories = pushCategory(stored, categoryFromPath(beacon.page));
  if (categories.join('~') === stored.join('~')) return { categories: stored, cookie: null };
  return { categories, cookie: await sessionCookie(signingKey, identity.id, categories) };
}
