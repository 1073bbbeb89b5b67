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
import type { ConfigKey, Deps, DeviceRecord, GeoRecord, LogEndpoint } from '../core/ports.ts';
import { webCrypto } from '../core/crypto/web-crypto.ts';
import { fastlyEdgeCache } from './fastly-edge-cache.ts';
import { fetchBackend } from './fastly-backend-fetch.ts';

const loggers = new Map<LogEndpoint, Logger>();

/** Writes one line to a log endpoint; each endpoint's Logger is opened once (opening one is a hostcall). */
function emit(endpoint: LogEndpoint, line: string): void {
  let found = loggers.get(endpoint);
  if (!found) {
    found = new Logger(endpoint);
    loggers.set(endpoint, found);
  }
  found.log(line);
}

function now(): number {
  return performance.now();
}

function cpuMs(): number {
  return vCpuTime();
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

/** The platform's geolocation of a client address, as the core's record; null when it has none or cannot look. */
function geo(address: string): GeoRecord | null {
  try {
    const found = getGeolocationForIpAddress(address);
    if (!found) return null;
    return { countryCode: found.country_code, continent: found.continent, region: found.region, city: found.city };
  } catch {
    return null;
  }
}

/** Fastly's device detection of a user agent, as the core's record; null when it does not know it. */
function device(userAgent: string): DeviceRecord | null {
  const found = Device.lookup(userAgent);
  if (!found) return null;
  return { isMobile: found.isMobile, isTablet: found.isTablet, isDesktop: found.isDesktop, isBot: found.isBot };
}

/**
 * The ports for one request (each request is a fresh sandbox). Functions that need no per-request
 * state are the module's own, so the guest makes no closure for them per request.
 */
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
    geo,
    device,
    emit,
    cache: fastlyEdgeCache,
    crypto: webCrypto,
    now,
    overRateLimit,
    cpuMs,
    pop: env('FASTLY_POP') ?? 'unknown',
    version,
    runtime: 'fastly',
  };
}
