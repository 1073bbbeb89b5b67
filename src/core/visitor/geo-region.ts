/**
 * Reduces the platform's country (and, for the US and Canada, its subdivision code) to a closed
 * set of regions, so geo can be a cache-key dimension with a known, small cardinality.
 */

export const GEO_REGIONS = [
  'eu-west', 'eu-central', 'eu-north', 'eu-south', 'eu-east',
  'na-east', 'na-west', 'latam', 'apac', 'mea', 'unknown',
] as const;
export type GeoRegion = (typeof GEO_REGIONS)[number];

const COUNTRIES: Readonly<Record<Exclude<GeoRegion, 'unknown' | 'na-west'>, string>> = {
  'eu-west': 'GB IE FR BE NL LU MC AD PT ES GI JE GG IM FO',
  'eu-central': 'DE AT CH LI CZ SK PL HU SI',
  'eu-north': 'SE NO DK FI IS EE LV LT AX SJ GL',
  'eu-south': 'IT MT SM VA GR CY HR BA RS ME MK AL XK',
  'eu-east': 'RO BG MD UA BY RU GE AM AZ',
  'na-east': 'US CA PM BM',
  latam:
    'MX GT BZ SV HN NI CR PA CU DO HT JM PR BS BB TT AG DM GD KN LC VC AW CW SX BQ KY TC VG VI AI MS GP MQ BL MF ' +
    'CO VE EC PE BO BR PY UY AR CL GY SR GF FK',
  apac:
    'CN HK MO TW JP KR KP MN IN PK BD LK NP BT MV AF SG MY ID TH VN PH KH LA MM BN TL AU NZ PG FJ SB VU NC PF WS ' +
    'TO KI TV NR FM MH PW GU MP AS CK NU TK WF NF CX CC KZ UZ TM KG TJ',
  mea:
    'AE SA QA KW BH OM YE IQ IR IL PS JO LB SY TR EG LY TN DZ MA EH SD SS ET ER DJ SO KE UG TZ RW BI CD CG CF CM ' +
    'GA GQ ST TD NE NG BJ TG GH CI LR SL GN GW SN GM ML MR BF CV AO ZM ZW MW MZ MG MU SC KM RE YT NA BW ZA LS SZ SH',
};

const REGION_BY_COUNTRY: ReadonlyMap<string, GeoRegion> = new Map(
  Object.entries(COUNTRIES).flatMap(([region, codes]) => codes.split(' ').map((code) => [code, region as GeoRegion] as const)),
);

/** US states and Canadian provinces west of the Rockies (ISO 3166-2 subdivision codes). */
const WEST = new Set(['WA', 'OR', 'CA', 'NV', 'ID', 'MT', 'WY', 'UT', 'CO', 'AZ', 'NM', 'AK', 'HI', 'BC', 'AB', 'YT', 'NT']);

/** A country is only ever a two-letter uppercase code from the platform record. */
export function countryCode(raw: string | null): string | null {
  return raw !== null && /^[A-Z]{2}$/.test(raw) ? raw : null;
}

/**
 * The region for a country; the US and Canada split into `na-west`/`na-east` by the platform's
 * subdivision code (unknown subdivision → `na-east`). Unknown countries → `unknown`.
 */
export function geoRegion(country: string | null, subdivision: string | null): GeoRegion {
  if (country === null) return 'unknown';
  const region = REGION_BY_COUNTRY.get(country) ?? 'unknown';
  if (region === 'na-east' && (country === 'US' || country === 'CA') && subdivision !== null && WEST.has(subdivision.toUpperCase())) {
    return 'na-west';
  }
  return region;
}
