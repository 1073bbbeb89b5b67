/**
 * A fake `deps` for beacon tests: fixed config and secrets, platform geo/device answers, a sink
 * that records emitted log lines, and a backend that fails the test if a beacon ever calls it.
 */
import type { Deps, LogEndpoint } from '../../../src/core/ports.ts';
import { createHandler } from '../../../src/core/handler.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { MemoryEdgeCache } from '../profile/memory-edge-cache.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { relaxedSettings } from '../../../src/local-platform/relaxed-timeouts.ts';

export const COOKIE_SECRET = 'beacon-test-cookie-key-0123456789';
export const LOG_SECRET = 'beacon-test-log-key-0123456789';

export const EXPERIMENTS = JSON.stringify([
  { id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], rollout: 100, segments: ['general', 'mobile-visitor'] },
]);
export const SEGMENTS = JSON.stringify({
  version: 1,
  default: 'general',
  rules: [{ segment: 'mobile-visitor', when: { device: { eq: 'mobile' } } }],
});

export interface FakeDeps extends Deps {
  lines: Array<{ endpoint: LogEndpoint; line: string }>;
  backendCalls: number;
}

export interface DepsOptions {
  config?: Partial<Record<'settings' | 'segments' | 'experiments', string>>;
  secrets?: Partial<Record<'cookie_signing_key' | 'log_hash_key', string | null>>;
  mobile?: boolean;
  /** The rate limiter's verdict per entry; never limited by default. */
  overRateLimit?: Deps['overRateLimit'];
}

export function makeDeps(options: DepsOptions = {}): FakeDeps {
  const config = { segments: SEGMENTS, experiments: EXPERIMENTS, ...options.config, settings: relaxedSettings(options.config?.settings) };
  const secrets: Record<string, string | null> = { cookie_signing_key: COOKIE_SECRET, log_hash_key: LOG_SECRET, ...options.secrets };
  const deps: FakeDeps = {
    lines: [],
    backendCalls: 0,
    fetchBackend: () => {
      deps.backendCalls++;
      return Promise.reject(new Error('a beacon must not call a backend'));
    },
    config: (key) => config[key] ?? null,
    secret: (key) => Promise.resolve(secrets[key] ?? null),
    geo: () => ({ countryCode: 'GB', continent: 'EU', region: null, city: null }),
    device: () => ({ isMobile: options.mobile ?? false, isTablet: false, isDesktop: !(options.mobile ?? false), isBot: false }),
    emit: (endpoint, line) => deps.lines.push({ endpoint, line }),
    cache: new MemoryEdgeCache(),
    crypto: webCrypto,
    now: () => performance.now(),
    overRateLimit: options.overRateLimit ?? (() => false),
    cpuMs: () => null,
    pop: 'TEST',
    version: 'test',
    runtime: 'node',
  };
  return deps;
}

export interface BeaconCall {
  body?: BodyInit | null;
  contentType?: string | null;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Sends one beacon through the real handler, as a client would; `waitUntil` work is collected in `pending`. */
export async function postBeacon(deps: Deps, call: BeaconCall = {}, pending: Array<Promise<unknown>> = []): Promise<Response> {
  const headers = new Headers(call.headers);
  const contentType = call.contentType === undefined ? 'application/json' : call.contentType;
  if (contentType !== null) headers.set('content-type', contentType);
  if (call.cookie !== undefined) headers.set('cookie', call.cookie);
  const request = new Request('https://shop.example/__beacon', { method: 'POST', body: call.body ?? null, headers });
  return createHandler(deps)(request, { clientAddress: '192.0.2.7', requestId: 'req-beacon-1', waitUntil: (work) => void pending.push(work) });
}

export function beaconJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017', ...overrides });
}

/** A valid signed `vid` cookie value for `id`. */
export async function signedVid(id: string): Promise<string> {
  return signToken(await importHmacKey(COOKIE_SECRET), id);
}

export function clickstreamLines(deps: FakeDeps): Array<Record<string, unknown>> {
  return deps.lines.filter((l) => l.endpoint === 'clickstream').map((l) => JSON.parse(l.line) as Record<string, unknown>);
}
