/**
 * The Fastly Compute implementation of the core's ports. This is the only code that touches
 * `fastly:*` modules; everything it returns is plain data or web-platform objects.
 */
import { ConfigStore } from 'fastly:config-store';
import { SecretStore } from 'fastly:secret-store';
import { Logger } from 'fastly:logger';
import { getGeolocationForIpAddress } from 'fastly:geolocation';
import { Device } from 'fastly:device';
import { env } from 'fastly:env';
import { vCpuTime } from 'fastly:compute';
import { EdgeRateLimiter, PenaltyBox, RateCounter } from 'fastly:edge-rate-limiter';
import type { ConfigKey, Deps, LogEndpoint } from '../core/ports.ts';
import { webCrypto } from '../core/crypto/web-crypto.ts';
import { fastlyEdgeCache } from './fastly-edge-cache.ts';
import { fetchBackend } from './fastly-backend-fetch.ts';

const loggers = new Map<LogEndpoint, Logger>();

function logger(endpoint: LogEndpoint): Logger {
  let found = loggers.get(endpoint);
  if (!found) {
    found = new Logger(endpoint);
    loggers.set(endpoint, found);
  }
  return found;
}

/**
 * Fastly's Edge Rate Limiter (js-compute `fastly:edge-rate-limiter`): the counter is shared by the
 * POP and lags by a few seconds, so a burst is caught on its way rather than at the first request.
 * A limiter the platform cannot open (a runtime without the hostcalls) lets the request through:
 * beacons are cheap, and failing closed would drop every visitor's analytics.
 */
function overRateLimit(entry: string, perSecond: number, windowSeconds: 1 | 10 | 60): boolean {
  try {
    const limiter = new EdgeRateLimiter(new RateCounter('beacon_rate'), new PenaltyBox('beacon_penalty'));
    return limiter.checkRate(entry, 1, windowSeconds, perSecond, 1);
  } catch {
    return false;
  }
}

export function fastlyDeps(version: string): Deps {
  const config = new ConfigStore('personalization_config');
  const secrets = new SecretStore('personalization_secrets');
  // A request reads `settings` twice (the router, then the page's config load): one hostcall each
  // in the guest. The store does not change under a request, so each key is read once per request.
  const read = new Map<ConfigKey, string | null>();
  return {
    fetchBackend,
    config(key) {
      let value = read.get(key);
      if (value === undefined) read.set(key, (value = config.get(key)));
      return value;
    },
    // The store's own promise and entry as they are: the core reads `plaintext()` in the reaction it
    // already has, so no reaction here (one promise job fewer per secret in the guest).
    secret: (key) => secrets.get(key),
    geo(address) {
      try {
        const geo = getGeolocationForIpAddress(address);
        if (!geo) return null;
        return { countryCode: geo.country_code, continent: geo.continent, region: geo.region, city: geo.city };
      } catch {
        return null;
      }
    },
    device(userAgent) {
      const device = Device.lookup(userAgent);
      if (!device) return null;
      return { isMobile: device.isMobile, isTablet: device.isTablet, isDesktop: device.isDesktop, isBot: device.isBot };
    },
    emit: (endpoint, line) => logger(endpoint).log(line),
    cache: fastlyEdgeCache,
    crypto: webCrypto,
    now: () => performance.now(),
    overRateLimit,
    cpuMs: () => vCpuTime(),
    pop: env('FASTLY_POP') ?? 'unknown',
    version,
    runtime: 'fastly',
  };
}
