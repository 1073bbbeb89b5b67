/**
 * `[local_server.geolocation]` and `[local_server.device_detection]` as Viceroy reads them, reduced to
 * the record fields the core uses (ports.ts `GeoRecord`, `DeviceRecord`).
 */
import type { DeviceRecord, GeoRecord } from '../core/ports.ts';
import { canonicalAddress, isLoopback } from './ip-address.ts';
import { readJsonFile } from './manifest-files.ts';
import type { FileContext } from './manifest-files.ts';
import { at, fail, onlyKeys, optionalBoolean, optionalString, string, table } from './toml-fields.ts';
import type { Place } from './toml-fields.ts';

export interface GeolocationConfig {
  /** Loopback addresses without an entry get Viceroy's default San Francisco record. */
  useDefaultLoopback: boolean;
  /** Keyed by canonical address (ip-address.ts). */
  addresses: Map<string, GeoRecord>;
}

/** Viceroy's built-in record for loopback clients (src/config/geolocation.rs, GeolocationData::default). */
export const DEFAULT_LOOPBACK_GEO: GeoRecord = { countryCode: 'US', continent: 'NA', region: 'CA', city: 'San Francisco' };

/** Viceroy's lookup: the exact address, else for loopback the 127.0.0.1/::1 entry or the default record. */
export function lookupGeo(config: GeolocationConfig, address: string): GeoRecord | null {
  const canonical = canonicalAddress(address);
  if (canonical === null) return null;
  const exact = config.addresses.get(canonical);
  if (exact) return exact;
  if (!isLoopback(canonical)) return null;
  return config.addresses.get(canonical.includes(':') ? '::1' : '127.0.0.1') ?? (config.useDefaultLoopback ? DEFAULT_LOOPBACK_GEO : null);
}

export function parseGeolocation(value: unknown, place: Place, context: FileContext): GeolocationConfig {
  if (value === undefined) return { useDefaultLoopback: true, addresses: new Map() };
  const fields = table(value, place);
  const useDefaultLoopback = optionalBoolean(fields.use_default_loopback, at(place, 'use_default_loopback')) ?? true;
  const { raw, rawPlace } = inlineOrJson(fields, place, 'addresses', ['use_default_loopback'], context);
  const addresses = new Map<string, GeoRecord>();
  for (const [address, record] of Object.entries(table(raw, rawPlace))) {
    const recordPlace = at(rawPlace, address);
    const canonical = canonicalAddress(address) ?? fail(recordPlace, 'is not an IP address');
    addresses.set(canonical, geoRecord(record, recordPlace));
  }
  return { useDefaultLoopback, addresses };
}

/** Viceroy's two layouts: an inline table under `inlineKey`, or `format = "json"` plus `file`. */
function inlineOrJson(
  fields: Record<string, unknown>,
  place: Place,
  inlineKey: string,
  extraKeys: readonly string[],
  context: FileContext,
): { raw: unknown; rawPlace: Place } {
  const format = optionalString(fields.format, at(place, 'format'));
  if (format === 'json') {
    onlyKeys(fields, [...extraKeys, 'format', 'file'], place);
    const rawPlace = at(place, 'file');
    return { raw: readJsonFile(fields.file, rawPlace, context), rawPlace };
  }
  if (format !== 'inline-toml' && format !== undefined) fail(at(place, 'format'), 'must be "inline-toml" or "json"');
  onlyKeys(fields, [...extraKeys, 'format', inlineKey], place);
  return { raw: fields[inlineKey] ?? {}, rawPlace: at(place, inlineKey) };
}

function geoRecord(value: unknown, place: Place): GeoRecord {
  const fields = table(value, place);
  const read = (key: string): string | null => optionalString(fields[key], at(place, key)) ?? null;
  return { countryCode: read('country_code'), continent: read('continent'), region: read('region'), city: read('city') };
}

/** Exact user-agent strings to device records. */
export function parseDeviceDetection(value: unknown, place: Place, context: FileContext): Map<string, DeviceRecord> {
  const devices = new Map<string, DeviceRecord>();
  if (value === undefined) return devices;
  const fields = table(value, place);
  const { raw, rawPlace } = inlineOrJson(fields, place, 'user_agents', [], context);
  for (const [userAgent, entry] of Object.entries(table(raw, rawPlace))) {
    const entryPlace = at(rawPlace, userAgent);
    const device = table(table(entry, entryPlace).device ?? {}, at(entryPlace, 'device'));
    devices.set(userAgent, deviceRecord(device, at(entryPlace, 'device')));
  }
  return devices;
}

function deviceRecord(device: Record<string, unknown>, place: Place): DeviceRecord {
  const flag = (key: string): boolean | null => optionalBoolean(device[key], at(place, key)) ?? null;
  const hwtype = device.hwtype === undefined ? null : string(device.hwtype, at(place, 'hwtype'));
  const isBot = flag('is_bot') ?? (hwtype === null ? null : hwtype.toLowerCase() === 'bot');
  return { isMobile: flag('is_mobile'), isTablet: flag('is_tablet'), isDesktop: flag('is_desktop'), isBot };
}
