import { describe, expect, it } from 'vitest';
import { countryCode, geoRegion, GEO_REGIONS } from '../../../src/core/visitor/geo-region.ts';

describe('geoRegion', () => {
  it.each([
    { country: 'GB', subdivision: 'ENG', expected: 'eu-west' },
    { country: 'DE', subdivision: 'BE', expected: 'eu-central' },
    { country: 'SE', subdivision: null, expected: 'eu-north' },
    { country: 'IT', subdivision: null, expected: 'eu-south' },
    { country: 'RO', subdivision: null, expected: 'eu-east' },
    { country: 'US', subdivision: 'NY', expected: 'na-east' },
    { country: 'US', subdivision: 'CA', expected: 'na-west' },
    { country: 'US', subdivision: null, expected: 'na-east' },
    { country: 'CA', subdivision: 'BC', expected: 'na-west' },
    { country: 'CA', subdivision: 'QC', expected: 'na-east' },
    { country: 'MX', subdivision: null, expected: 'latam' },
    { country: 'BR', subdivision: null, expected: 'latam' },
    { country: 'JP', subdivision: null, expected: 'apac' },
    { country: 'AU', subdivision: null, expected: 'apac' },
    { country: 'ZA', subdivision: null, expected: 'mea' },
    { country: 'AE', subdivision: null, expected: 'mea' },
    { country: 'ZZ', subdivision: null, expected: 'unknown' },
    { country: null, subdivision: 'CA', expected: 'unknown' },
  ])('maps $country/$subdivision to $expected', ({ country, subdivision, expected }) => {
    expect(geoRegion(country, subdivision)).toBe(expected);
  });

  it('only ever returns a region of the closed set', () => {
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        expect(GEO_REGIONS).toContain(geoRegion(String.fromCharCode(a, b), 'CA'));
      }
    }
  });
});

describe('countryCode', () => {
  it.each([
    { raw: 'GB', expected: 'GB' },
    { raw: 'gb', expected: null },
    { raw: 'GBR', expected: null },
    { raw: '', expected: null },
    { raw: null, expected: null },
  ])('reads $raw as $expected', ({ raw, expected }) => {
    expect(countryCode(raw)).toBe(expected);
  });
});
