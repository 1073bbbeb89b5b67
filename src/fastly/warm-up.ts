/**
 * Build-time warm-up of the Wasm guest. js-compute-runtime snapshots the module after its top level
 * has run (Wizer), and SpiderMonkey compiles a function's bytecode only when it first runs, so a
 * function first called while handling a request is parsed and compiled then, in every fresh
 * instance, on the request's CPU budget. Running a page request through the real handler once at
 * build time leaves that bytecode in the snapshot.
 *
 * Nothing request-specific stays behind: the inputs are fixed samples (warm-up-samples.ts), the key
 * is a constant that is not a secret, the clock reads 0, no visitor id is minted (the sample
 * visitor's cookies are signed with the constant key), and the module-level memos this touches are
 * keyed by their input text. A failure only costs the warm-up, never the service.
 */
import type { Deps, EdgeCache } from '../core/ports.ts';
import { createHandler } from '../core/handler.ts';
import { webCrypto } from '../core/crypto/web-crypto.ts';
import { signToken } from '../core/visitor/signed-token.ts';
import { installStandIns } from './warm-up-stand-ins.ts';
import { sampleBackend, sampleConfig, SAMPLE_KEY, SAMPLE_PAGES } from './warm-up-samples.ts';

const noCache: EdgeCache = {
  lookup: () => Promise.resolve(null),
  insert: () => Promise.resolve(),
  purgeSurrogateKey: () => Promise.resolve(),
};

function sampleDeps(): Deps {
  return {
    fetchBackend: (backend, request) => Promise.resolve({ response: sampleBackend(backend, request.url), cache: 'MISS' }),
    config: sampleConfig,
    secret: () => Promise.resolve(SAMPLE_KEY),
    geo: () => ({ countryCode: 'GB', continent: 'EU', region: 'ENG', city: 'London' }),
    device: () => ({ isMobile: true, isTablet: false, isDesktop: false, isBot: false }),
    emit: () => undefined,
    cache: noCache,
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

async function samplePage(path: string, cookie: string): Promise<number> {
  const handle = createHandler(sampleDeps());
  const pending: Promise<unknown>[] = [];
  const headers = { cookie, 'accept-language': 'en-GB,en;q=0.9', 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' };
  const request = new Request(`https://www.example.com${path}`, { headers });
  const response = await handle(request, { clientAddress: '192.0.2.1', requestId: 'warm-up', waitUntil: (work) => void pending.push(work) });
  await drain(response.body);
  await Promise.allSettled(pending);
  return response.status;
}

/**
 * Runs the sample pages once; resolves (never rejects) with their statuses once the runtime's
 * builtins are back. Best effort: whatever did not run is compiled on first use, as without it.
 */
export async function warmUp(): Promise<number[]> {
  const restore = installStandIns();
  const statuses: number[] = [];
  try {
    const key = await webCrypto.hmacKey(SAMPLE_KEY);
    const cookie = `consent=personalization,analytics; vid=${await signToken(key, 'warmupvisitor')}; sess=${await signToken(key, 's1~running')}`;
    for (const path of SAMPLE_PAGES) statuses.push(await samplePage(path, cookie));
  } catch {
    // Statuses so far tell how far it got.
  } finally {
    restore();
  }
  return statuses;
}
