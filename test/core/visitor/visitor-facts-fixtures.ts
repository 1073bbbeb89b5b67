/** Builds resolveVisitorFacts inputs with fake platform lookups that record their arguments. */
import { DEFAULT_SETTINGS, type Settings } from '../../../src/core/config/settings.ts';
import type { DeviceRecord, GeoRecord, HmacKey } from '../../../src/core/ports.ts';
import type { VisitorFactsInput } from '../../../src/core/visitor/visitor-facts.ts';

export const LONDON: GeoRecord = { countryCode: 'GB', continent: 'EU', region: 'ENG', city: 'London' };
export const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148';

export interface Recorded {
  geoCalls: string[];
  deviceCalls: string[];
}

export function contextInput(options: {
  url?: string;
  headers?: Record<string, string>;
  settings?: Partial<Settings>;
  signingKey: HmacKey | null;
  geo?: GeoRecord | null | 'throw';
  device?: DeviceRecord | null;
}): { input: VisitorFactsInput; recorded: Recorded } {
  const recorded: Recorded = { geoCalls: [], deviceCalls: [] };
  const input: VisitorFactsInput = {
    request: new Request(options.url ?? 'https://www.example.com/', { headers: options.headers ?? {} }),
    clientAddress: '192.0.2.10',
    settings: { ...DEFAULT_SETTINGS, locales: ['en-US', 'en-GB', 'de-DE'], ...options.settings },
    signingKey: options.signingKey,
    geo: (address) => {
      recorded.geoCalls.push(address);
      if (options.geo === 'throw') throw new Error('invalid address');
      return options.geo === undefined ? LONDON : options.geo;
    },
    device: (userAgent) => {
      recorded.deviceCalls.push(userAgent);
      return options.device ?? null;
    },
  };
  return { input, recorded };
}
