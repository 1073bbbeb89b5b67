/**
 * Where the visitor is, on what device, in which language: from the platform's geolocation and
 * device detection of the client address and `User-Agent`, and the standard `Accept-Language`
 * header. Client-sent "internal" headers such as `X-Geo-*` are never read.
 */
import type { Deps } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import { countryCode, geoRegion } from './geo-region.ts';
import { deviceClass, type DeviceClass } from './device-class.ts';
import { negotiateLocale } from './locale.ts';

export interface VisitorPlace {
  /** `region` is one of GEO_REGIONS (geo-region.ts). */
  geo: { country: string | null; region: string };
  device: DeviceClass;
  locale: string;
}

export interface PlaceInput {
  request: Request;
  clientAddress: string;
  settings: Settings;
  geo: Deps['geo'];
  device: Deps['device'];
}

/** A platform lookup that fails is noted in `problems` and counts as unknown. */
export function placeOf(input: PlaceInput, problems: string[]): VisitorPlace {
  const geoRecord = platformCall(() => input.geo(input.clientAddress), 'geolocation', problems);
  const userAgent = input.request.headers.get('user-agent') ?? '';
  const deviceRecord = platformCall(() => input.device(userAgent), 'device detection', problems);
  const country = countryCode(geoRecord?.countryCode ?? null);
  return {
    geo: { country, region: geoRegion(country, geoRecord?.region ?? null) },
    device: deviceClass(deviceRecord, userAgent),
    locale: negotiateLocale(input.request.headers.get('accept-language'), input.settings.locales),
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
