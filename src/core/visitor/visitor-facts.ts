/**
 * Works out who and where the visitor is from trusted sources only (docs/contracts.md#cookies-identity-and-consent): the
 * platform's client address, geolocation and device detection, signed cookies, and the standard
 * `Accept-Language`, `Sec-GPC` and `User-Agent` headers. Client-sent "internal" headers such as
 * `Fastly-Client-IP`, `X-Forwarded-For`, `X-Geo-*` or `X-Segment` are never read.
 */
import type { Deps, HmacKey } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import { parseCookieHeader } from './cookie-header.ts';
import { mintVisitorId, readVisitorId, VID_COOKIE } from './visitor-id.ts';
import { pushCategory, readSession, SESS_COOKIE } from './session-cookie.ts';
import { categoryFromPath } from './page-category.ts';
import { CONSENT_COOKIE, resolveConsentPurposes } from './consent.ts';
import type { Consented, Identity } from './identity.ts';
import { countryCode, geoRegion } from './geo-region.ts';
import { deviceClass } from './device-class.ts';
import type { DeviceClass } from './device-class.ts';
import { negotiateLocale } from './locale.ts';

export interface VisitorFacts {
  /** Consent, id and session together: the id and session exist only with consent. */
  identity: Identity;
  /** `region` is one of GEO_REGIONS (geo-region.ts). */
  geo: { country: string | null; region: string };
  device: DeviceClass;
  locale: string;
  problems: string[];
}

export interface VisitorFactsInput {
  request: Request;
  clientAddress: string;
  settings: Settings;
  signingKey: HmacKey | null;
  geo: Deps['geo'];
  device: Deps['device'];
}

export async function resolveVisitorFacts(input: VisitorFactsInput): Promise<VisitorFacts> {
  const { request, settings } = input;
  const problems: string[] = [];
  const cookies = parseCookieHeader(request.headers.get('cookie'));
  const purposes = resolveConsentPurposes(settings.consentMode, request.headers.get('sec-gpc'), cookies.get(CONSENT_COOKIE));
  const geoRecord = platformCall(() => input.geo(input.clientAddress), 'geolocation', problems);
  const userAgent = request.headers.get('user-agent') ?? '';
  const deviceRecord = platformCall(() => input.device(userAgent), 'device detection', problems);
  const country = countryCode(geoRecord?.countryCode ?? null);
  const place = {
    geo: { country, region: geoRegion(country, geoRecord?.region ?? null) },
    device: deviceClass(deviceRecord, userAgent),
    locale: negotiateLocale(request.headers.get('accept-language'), settings.locales),
    problems,
  };
  if (purposes.state !== 'granted') {
    const withdrawn = cookies.has(VID_COOKIE) || cookies.has(SESS_COOKIE);
    return { ...place, identity: { consent: purposes.state, withdrawn } };
  }
  return { ...place, identity: await consentedIdentity(input, cookies, purposes.analytics, problems) };
}

async function consentedIdentity(input: VisitorFactsInput, cookies: ReadonlyMap<string, string>, analytics: boolean, problems: string[]): Promise<Consented> {
  const pageCategory = categoryFromPath(pathOf(input.request.url));
  if (input.signingKey === null) {
    problems.push('secret cookie_signing_key missing: no visitor id or session cookie');
    return { consent: 'granted', analytics, id: null, minted: false, session: { categories: pushCategory([], pageCategory), changed: false } };
  }
  const [storedId, stored] = await Promise.all([
    readVisitorId(input.signingKey, cookies.get(VID_COOKIE)),
    readSession(input.signingKey, cookies.get(SESS_COOKIE)),
  ]);
  const categories = pushCategory(stored, pageCategory);
  return {
    consent: 'granted',
    analytics,
    id: storedId ?? mintVisitorId(),
    minted: storedId === null,
    session: { categories, changed: categories.join('~') !== stored.join('~') },
  };
}

/** A platform lookup that throws (e.g. Fastly's geolocation on an invalid address) means "unknown". */
function platformCall<T>(call: () => T | null, what: string, problems: string[]): T | null {
  try {
    return call();
  } catch {
    problems.push(`${what} failed: treated as unknown`);
    return null;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
