/**
 * Works out who and where the visitor is from trusted sources only (docs/contracts.md#cookies-identity-and-consent): the
 * platform's client address, geolocation and device detection, signed cookies, and the standard
 * `Accept-Language`, `Sec-GPC` and `User-Agent` headers. Client-sent "internal" headers such as
 * `Fastly-Client-IP`, `X-Forwarded-For`, `X-Geo-*` or `X-Segment` are never read.
 */
import type { Deps, HmacKey } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import { parseCookieHeader } from './cookie-header.ts';
import { categoryFromPath } from './page-category.ts';
import { CONSENT_COOKIE, resolveConsentPurposes } from './consent.ts';
import type { Identity } from './identity.ts';
import { readIdentity } from './identity-cookies.ts';
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
  /** The page's category from its path (`shoes` for `/category/shoes`); null on other pages. */
  category: string | null;
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
  const path = pathOf(request.url);
  const geoRecord = platformCall(() => input.geo(input.clientAddress), 'geolocation', problems);
  const userAgent = request.headers.get('user-agent') ?? '';
  const deviceRecord = platformCall(() => input.device(userAgent), 'device detection', problems);
  const category = categoryFromPath(path);
  const country = countryCode(geoRecord?.countryCode ?? null);
  const geo = { country, region: geoRegion(country, geoRecord?.region ?? null) };
  const device = deviceClass(deviceRecord, userAgent);
  const locale = negotiateLocale(request.headers.get('accept-language'), settings.locales);
  const cookies = parseCookieHeader(request.headers.get('cookie'));
  const purposes = resolveConsentPurposes(settings.consentMode, request.headers.get('sec-gpc'), cookies.get(CONSENT_COOKIE));
  const identity = await readIdentity({ purposes, cookies, signingKey: input.signingKey, category, problems });
  return { identity, geo, device, locale, category, problems };
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
