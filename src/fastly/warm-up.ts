/**
 * Build-time warm-up of the Wasm guest. js-compute-runtime snapshots the module after its top level
 * has run (Wizer), and SpiderMonkey compiles a function's bytecode only when it first runs, so a
 * function first called while handling a request is parsed and compiled then, in every fresh
 * instance, on the request's CPU budget. Running page requests and a beacon through the real handler
 * once at build time leaves that bytecode in the snapshot.
 *
 * The page views go through the real edge-cache adapter over an in-memory core cache
 * (warm-up-core-cache.ts), so the views that come back are answered from it: a bytecode-less path
 * costs a request far more than it seems (a RegExp first run inside a request: ~0.5 ms).
 *
 * Nothing request-specific stays behind: the inputs are fixed samples (warm-up-samples.ts), the key
 * is a constant that is not a secret, the clock reads 0, no visitor id is minted (the sample
 * visitor's cookies are signed with the constant key), the cache is dropped with the warm-up, and
 * the module-level memos this touches are keyed by their input text. The beacon's rate limit is a
 * stand-in that never counts, its profile write reaches the sample backend, its purge and its log
 * lines go nowhere. A failure only costs the warm-up, never the service.
 */
import type { BackendName, Deps, EdgeCache } from '../core/ports.ts';
import { createHandler } from '../core/handler.ts';
import { webCrypto } from '../core/crypto/web-crypto.ts';
import { signToken } from '../core/visitor/signed-token.ts';
import { signDecision } from '../core/experiments/decision-token.ts';
import { sessionPayload } from '../core/visitor/session-cookie.ts';
import { installStandIns } from './warm-up-stand-ins.ts';
import { KNOWN_DEVICE_AGENT, UNKNOWN_DEVICE_AGENT, sampleBackend, sampleBeacon, sampleConfig, SAMPLE_DECISION, SAMPLE_KEY, SAMPLE_VISITS, type SampleVisit } from './warm-up-samples.ts';
import { edgeCacheOn } from './edge-cache-on.ts';
import { backendPort } from '../core/backend/backend-port.ts';
import { warmUpCoreCache } from './warm-up-core-cache.ts';
import { zeroFreeBlocks, zeroNursery, zeroSpent } from './warm-up-spent.ts';
import { loadConfig } from '../core/config/load-config.ts';
import { DEPLOYED_CONFIG, SHIPPED_CONFIG } from './shipped-config.ts';

const PHONE = { isMobile: true, isTablet: false, isDesktop: false, isBot: false };

/** The sample backends, straight (for hosts whose own backend adapter cannot run at build time). */
const sampleFetch: Deps['fetchBackend'] = backendPort((backend, request) => Promise.resolve({ response: sampleBackend(backend, request.url), cache: 'MISS' }));

/** `cache` is shared by the warm-up's page views. */
function sampleDeps(cache: EdgeCache, fetchBackend: Deps['fetchBackend']): Deps {
  return {
    fetchBackend,
    config: sampleConfig,
    secret: () => Promise.resolve(SAMPLE_KEY),
    geo: () => ({ countryCode: 'GB', continent: 'EU', region: 'ENG', city: 'London' }),
    device: (userAgent) => (userAgent === KNOWN_DEVICE_AGENT ? PHONE : null),
    emit: () => undefined,
    cache,
    crypto: webCrypto,
    now: () => 0,
    overRateLimit: () => false,
    cpuMs: () => null,
    pop: 'warm-up',
    version: 'warm-up',
    runtime: 'fastly',
  };
}

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  while (!(await reader.read()).done);
}

interface SampleCookies {
  /** consent and `vid` */
  visitor: string;
  /** consent, `vid` and `sess` */
  session: string;
}

/** `request` through the real handler, its body read and its `waitUntil` work settled; its status. */
async function serveSample(request: Request, deps: Deps): Promise<number> {
  const pending: Promise<unknown>[] = [];
  const response = await createHandler(deps)(request, { clientAddress: '192.0.2.1', requestId: 'warm-up', waitUntil: (work) => void pending.push(work) });
  await drain(response.body);
  await Promise.allSettled(pending);
  return response.status;
}

function samplePage(visit: SampleVisit, cookies: SampleCookies, deps: Deps): Promise<number> {
  const headers: Record<string, string> = {
    cookie: visit.session ? cookies.session : cookies.visitor,
    // The second list's first entry matches no site locale: the full negotiation with q-values runs.
    'accept-language': visit.knownDevice ? 'en-GB,en;q=0.9' : 'fr-CH, de;q=0.8, *;q=0.5',
    'user-agent': visit.knownDevice ? KNOWN_DEVICE_AGENT : UNKNOWN_DEVICE_AGENT,
  };
  if (visit.anonymous) delete headers.cookie;
  return serveSample(new Request(`https://www.example.com${visit.path}`, { headers }), deps);
}

/**
 * One beacon as a page sends it: a click on a recommendation, carrying the page's decision token,
 * from the sample visitor (the session cookie moves, the profile write runs). Its parse, the token's
 * check and the beacon's RegExps were otherwise first run inside a beacon's own request.
 */
function sampleBeaconRequest(cookies: SampleCookies, token: string, deps: Deps): Promise<number> {
  // sendBeacon's type for a string: the charset parameter's check runs too (a Blob's `application/json` skips it).
  const headers = { cookie: cookies.session, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': KNOWN_DEVICE_AGENT };
  return serveSample(new Request('https://www.example.com/__beacon', { method: 'POST', headers, body: sampleBeacon(token) }), deps);
}

/**
 * Runs the sample page views and a beacon once; resolves (never rejects) with their statuses once
 * the runtime's builtins are back. Best effort: whatever did not run is compiled on first use, as without it.
 * `fetchBackend` is the service's own backend adapter, which then runs over a stand-in `fetch`
 * that answers with the samples.
 */
export async function warmUp(fetchBackend: Deps['fetchBackend'] = sampleFetch): Promise<number[]> {
  const restore = installStandIns((backend, url) => sampleBackend(backend as BackendName, url));
  const statuses: number[] = [];
  try {
    const key = await webCrypto.hmacKey(SAMPLE_KEY);
    const visitor = `consent=personalization,analytics; vid=${await signToken(key, 'warmupvisitor')}`;
    const cookies = { visitor, session: `${visitor}; sess=${await signToken(key, sessionPayload('warmupvisitor', ['running']))}` };
    const deps = sampleDeps(edgeCacheOn(warmUpCoreCache(), () => undefined), fetchBackend);
    for (const visit of SAMPLE_VISITS) statuses.push(await samplePage(visit, cookies, deps));
    statuses.push(await sampleBeaconRequest(cookies, await signDecision(key, SAMPLE_DECISION), deps));
    // The shipped documents parsed into the snapshot's config memo: a store holding exactly one
    // of these texts skips validation on every request (shipped-config.ts).
    loadConfig({ config: (name) => DEPLOYED_CONFIG[name] });
    loadConfig({ config: (name) => SHIPPED_CONFIG[name] });
  } catch {
    // Statuses so far tell how far it got.
  } finally {
    restore();
    zeroSpent();
    zeroFreeBlocks();
    zeroNursery();
  }
  return statuses;
}
