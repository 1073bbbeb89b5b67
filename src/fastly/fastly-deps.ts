/**
 * The Fastly Compute implementation of the core's ports. This is the only code that touches
 * `fastly:*` modules; everything it returns is plain data or web-platform objects.
 */
import { CacheOverride } from 'fastly:cache-override';
import { ConfigStore } from 'fastly:config-store';
import { SecretStore } from 'fastly:secret-store';
import { Logger } from 'fastly:logger';
import { getGeolocationForIpAddress } from 'fastly:geolocation';
import { Device } from 'fastly:device';
import { env } from 'fastly:env';
import { vCpuTime } from 'fastly:compute';
import { EdgeRateLimiter, PenaltyBox, RateCounter } from 'fastly:edge-rate-limiter';
import type { BackendFetchOptions, BackendName, CacheState, Deps, LogEndpoint } from '../core/ports.ts';
import { webCrypto } from '../core/crypto/web-crypto.ts';
import { fastlyEdgeCache } from './fastly-edge-cache.ts';

const loggers = new Map<LogEndpoint, Logger>();

function logger(endpoint: LogEndpoint): Logger {
  let found = loggers.get(endpoint);
  if (!found) {
    found = new Logger(endpoint);
    loggers.set(endpoint, found);
  }
  return found;
}

async function fetchBackend(backend: BackendName, request: Request, options: BackendFetchOptions = {}) {
  const init: RequestInit = { backend };
  if (options.pass) init.cacheOverride = new CacheOverride('pass');
  if (options.cacheKey !== undefined && !options.pass) init.cacheKey = options.cacheKey;
  const response = await fetch(request, init);
  return { response, cache: cacheState(response, options.pass === true) } as const;
}

/**
 * `Response.cached` is only defined with the HTTP-cache hostcalls (`--enable-http-cache`); without
 * them it is undefined for hits and misses alike, so an `Age` above zero (the time a stored object
 * has spent in cache, RFC 9111 §5.1) is taken as a hit instead. A hit younger than a second reads as
 * a miss: the log undercounts hits slightly rather than inventing them.
 */
function cacheState(response: Response, pass: boolean): CacheState {
  if (pass) return 'PASS';
  const cached = response.cached ?? Number(response.headers.get('age') ?? '0') > 0;
  if (!cached) return 'MISS';
  return response.stale ? 'STALE' : 'HIT';
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
  return {
    fetchBackend,
    config: (key) => config.get(key),
    secret: async (key) => (await secrets.get(key))?.plaintext() ?? null,
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
