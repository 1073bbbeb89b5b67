/**
 * In-process `deps` for the whole handler: each backend is a plain function from request to
 * response, the edge cache is the production memory cache on a clock the test moves by hand, and
 * every emitted log line is kept. Nothing listens on a socket.
 */
import type { BackendName, BackendFetchOptions, Deps, LogEndpoint, RequestContext } from '../../src/core/ports.ts';
import { MemoryEdgeCache } from '../../src/local-platform/memory-edge-cache.ts';
import { webCrypto } from '../../src/core/crypto/web-crypto.ts';
import { relaxedSettings } from '../../src/local-platform/relaxed-timeouts.ts';
import { asRequest } from '../../src/core/http/edge-get.ts';
import { backendPort } from '../../src/core/backend/backend-port.ts';

export type Backend = (request: Request) => Response | Promise<Response>;

export interface BackendCall {
  backend: BackendName;
  url: string;
  options: BackendFetchOptions;
}

export interface TestDeps extends Deps {
  cache: MemoryEdgeCache;
  calls: BackendCall[];
  lines: Array<{ endpoint: LogEndpoint; line: string }>;
  /** Moves the cache's clock (TTLs) and `now()` forward. */
  advance(ms: number): void;
  /** The decision events written so far, parsed. */
  events(): Array<Record<string, unknown>>;
}

export interface MakeDepsOptions {
  backends?: Partial<Record<BackendName, Backend>>;
  config?: Partial<Record<'settings' | 'segments' | 'experiments', string>>;
  secrets?: Partial<Record<'cookie_signing_key' | 'log_hash_key', string | null>>;
}

export const TEST_SECRETS = { cookie_signing_key: 'test-cookie-key-0123456789abcdef', log_hash_key: 'test-log-key-0123456789abcdef' };

export function makeDeps(options: MakeDepsOptions = {}): TestDeps {
  let clock = 1_000_000;
  const secrets: Record<string, string | null> = { ...TEST_SECRETS, ...options.secrets };
  const deps: TestDeps = {
    calls: [],
    lines: [],
    advance: (ms) => void (clock += ms),
    events: () => deps.lines.filter((l) => l.endpoint === 'personalization_events').map((l) => JSON.parse(l.line) as Record<string, unknown>),
    fetchBackend: backendPort(async (backend, request, fetchOptions) => {
      // No readthrough cache here: every call would reach its backend, so each asks the gate first.
      if (fetchOptions.gate) await fetchOptions.gate.beforeOrigin();
      deps.calls.push({ backend, url: request.url, options: fetchOptions });
      const answer = options.backends?.[backend];
      if (!answer) throw new Error(`backend ${backend} is down`);
      return { response: await answer(asRequest(request)), cache: fetchOptions.pass ? 'PASS' : 'MISS' };
    }),
    config: (key) => (key === 'settings' ? relaxedSettings(options.config?.settings) : options.config?.[key] ?? null),
    secret: (key) => Promise.resolve(secrets[key] ?? null),
    geo: () => ({ countryCode: 'GB', continent: 'EU', region: null, city: null }),
    device: () => ({ isMobile: false, isTablet: false, isDesktop: true, isBot: false }),
    emit: (endpoint, line) => void deps.lines.push({ endpoint, line }),
    cache: new MemoryEdgeCache({ clock: () => clock }),
    crypto: webCrypto,
    now: () => clock,
    overRateLimit: () => false,
    cpuMs: () => null,
    pop: 'TEST',
    version: 'test',
    runtime: 'node',
  };
  return deps;
}

/** A request context whose background work the test can wait for. */
export function makeContext(requestId = 'req-1'): RequestContext & { settled(): Promise<void> } {
  const work: Array<Promise<unknown>> = [];
  return {
    clientAddress: '192.0.2.7',
    requestId,
    waitUntil: (promise) => void work.push(promise),
    settled: async () => {
      // Background work may queue more background work: wait until none is left.
      let seen = 0;
      while (seen < work.length) {
        const batch = work.slice(seen);
        seen = work.length;
        await Promise.allSettled(batch);
      }
    },
  };
}
