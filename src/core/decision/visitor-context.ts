/**
 * Works out who and where the visitor is from trusted sources only (docs/contracts.md#cookies-identity-and-consent): the
 * platform's client address, geolocation and device detection, signed cookies, and the standard
 * `Accept-Language`, `Sec-GPC` and `User-Agent` headers. Client-sent "internal" headers such as
 * `Fastly-Client-IP`, `X-Forwarded-For`, `X-Geo-*` or `X-Segment` are never read.
 */
import type { Deps } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import { parseCookieHeader } from '../identity/cookie-header.ts';
import { mintVisitorId, readVisitorId, VID_COOKIE } from '../identity/visitor-id.ts';
import { pushCategory, readSession, SESS_COOKIE } from '../identity/session-cookie.ts';
import { categoryFromPath } from '../identity/page-category.ts';
import { CONSENT_COOKIE, resolveConsent } from '../context/consent.ts';
import type { ConsentState } from '../context/consent.ts';
import { countryCode, geoRegion } from '../context/geo-region.ts';
import { deviceClass } from '../context/device-class.ts';
import type { DeviceClass } from '../context/device-class.ts';
import { negotiateLocale } from '../context/locale.ts';

export interface VisitorContext {
  consent: ConsentState;
  /** Consent granted (and no GPC): profile lookup, visitor id and experiments are allowed. */
  personalize: boolean;
  visitorId: string | null;
  mintedVisitorId: boolean;
  /** `region` is one of GEO_REGIONS (context/geo-region.ts). */
  geo: { country: string | null; region: string };
  device: DeviceClass;
  locale: string;
  /** Recent categories, most recent first, including this page's; empty without consent. */
  session: { categories: readonly string[] };
  /**
   * True when `session.categories` differs from what the `sess` cookie held, so a new cookie is
   * due. Optional so hand-built contexts stay short; absent means "derive it from the page path".
   */
  sessionChanged?: boolean;
  problems: string[];
}

export interface VisitorContextInput {
  request: Request;
  clientAddress: string;
  settings: Settings;
  signingKey: CryptoKey | null;
  geo: Deps['geo'];
  device: Deps['device'];
}

export async function resolveVisitorContext(input: VisitorContextInput): Promise<VisitorContext> {
  const { request, settings, signingKey } = input;
  const problems: string[] = [];
  const cookies = parseCookieHeader(request.headers.get('cookie'));
  const consent = resolveConsent(settings.consentMode, request.headers.get('sec-gpc'), cookies.get(CONSENT_COOKIE));
  const personalize = consent === 'granted';
  const geoRecord = platformCall(() => input.geo(input.clientAddress), 'geolocation', problems);
  const userAgent = request.headers.get('user-agent') ?? '';
  const deviceRecord = platformCall(() => input.device(userAgent), 'device detection', problems);
  const country = countryCode(geoRecord?.countryCode ?? null);
  const base = {
    consent,
    personalize,
    geo: { country, region: geoRegion(country, geoRecord?.region ?? null) },
    device: deviceClass(deviceRecord, userAgent),
    locale: negotiateLocale(request.headers.get('accept-language'), settings.locales),
    problems,
  };
  if (!personalize) {
    return { ...base, visitorId: null, mintedVisitorId: false, session: { categories: [] }, sessionChanged: false };
  }
  const pageCategory = categoryFromPath(pathOf(request.url));
  if (signingKey === null) {
    problems.push('secret cookie_signing_key missing: no visitor id or session cookie');
    return { ...base, visitorId: null, mintedVisitorId: false, session: { categories: pushCategory([], pageCategory) }, sessionChanged: false };
  }
  const [storedId, stored] = await Promise.all([
    readVisitorId(signingKey, cookies.get(VID_COOKIE)),
    readSession(signingKey, cookies.get(SESS_COOKIE)),
  ]);
  const categories = pushCategory(stored, pageCategory);
  return {
    ...base,
    visitorId: storedId ?? mintVisitorId(),
    mintedVisitorId: storedId === null,
    session: { categories },
    sessionChanged: categories.join('~') !== stored.join('~'),
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
