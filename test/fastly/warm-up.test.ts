/**
 * The build-time warm-up of the Wasm guest (src/fastly/warm-up.ts): it must take the sample pages
 * down the whole page path (a 200 each, not an early error), and leave the runtime's own
 * `Request`, `Response`, timers and `fetch` in place afterwards, also when it fails.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUp } from '../../src/fastly/warm-up.ts';
import { SAMPLE_DECISION, SAMPLE_KEY, SAMPLE_VISITS, sampleBackend, sampleBeacon } from '../../src/fastly/warm-up-samples.ts';
import { signDecision, verifyDecision } from '../../src/core/experiments/decision-token.ts';
import { parseBeaconBody } from '../../src/core/beacon/beacon-body.ts';
import { MAX_ESI_ELEMENTS, MAX_REPORTED_INCLUDES } from '../../src/core/esi/esi-limits.ts';
import { RUN } from '../../src/core/esi/run-text.ts';
import { webCrypto } from '../../src/core/crypto/web-crypto.ts';
import type { Deps } from '../../src/core/ports.ts';
import { installStandIns } from '../../src/fastly/warm-up-stand-ins.ts';
import { backendPort } from '../../src/core/backend/backend-port.ts';

const builtins = () => ({ Request: globalThis.Request, Response: globalThis.Response, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, fetch: globalThis.fetch });

describe('build-time warm-up', () => {
  afterEach(() => vi.restoreAllMocks());

  it('serves every sample page through the real handler', async () => {
    expect(await warmUp()).toEqual([...SAMPLE_VISITS.map(() => 200), 204]);
  });

  it('takes every page view through the backend adapter it is given, over a fetch that answers with the samples', async () => {
    const backends: string[] = [];
    const adapter: Deps['fetchBackend'] = backendPort((backend, request) => {
      backends.push(backend);
      return fetch(request instanceof Request ? request : request.url, { backend }).then((response) => ({ response, cache: 'MISS' as const }));
    });
    expect(await warmUp(adapter)).toEqual([...SAMPLE_VISITS.map(() => 200), 204]);
    expect(new Set(backends)).toEqual(new Set(['templates', 'profiles', 'fragments']));
  });

  it('sends a beacon the route accepts, whose decision token checks out until 2100 (so attribution runs whole)', async () => {
    const key = await webCrypto.hmacKey(SAMPLE_KEY);
    const token = await signDecision(key, SAMPLE_DECISION);
    expect(parseBeaconBody(sampleBeacon(token))).toMatchObject({ ok: true, beacon: { type: 'click', slot: 'recs', decision: token } });
    expect(await verifyDecision(key, token, Date.UTC(2099, 11, 31))).toEqual(SAMPLE_DECISION);
  });

  it('takes the beacon\'s profile write to the sample backend through the adapter it is given', async () => {
    const writes: string[] = [];
    const adapter: Deps['fetchBackend'] = backendPort((backend, request) => {
      const { body } = request as { body?: unknown };
      if (typeof body === 'string') writes.push(`${backend} ${new URL(request.url).pathname} ${body}`);
      return Promise.resolve({ response: sampleBackend(backend, request.url), cache: 'MISS' as const });
    });
    expect(await warmUp(adapter)).toEqual([...SAMPLE_VISITS.map(() => 200), 204]);
    // The page views write views; the beacon's click is the last write.
    expect(writes.at(-1)).toMatch(/^profiles \/profiles\/warmupvisitor\/events .*"click"/);
  });

  it('serves one sample page whose template holds runs of includes past the report, but stays under the element cap', async () => {
    // Past the cap the sample cost the snapshot 125 pages of 4 KB that every fresh instance copies.
    const counts = await Promise.all(SAMPLE_VISITS.map(async (visit) => (await sampleBackend('templates', `https://www.example.com${visit.path}`).text()).split('<esi:').length - 1));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(MAX_REPORTED_INCLUDES + 2 * RUN);
    expect(Math.max(...counts)).toBeLessThan(MAX_ESI_ELEMENTS);
  });

  it('serves one sample page whose template the edge already holds, with its length declared, so it is read whole', async () => {
    const templates = SAMPLE_VISITS.map((visit) => sampleBackend('templates', `https://www.example.com${visit.path}`));
    // Outside the HTTP cache API the service's backend adapter takes an `Age` above zero for a hit (fastly-backend-fetch.ts).
    const held = templates.filter((response) => Number(response.headers.get('age') ?? '0') > 0);
    expect(held.length).toBe(1);
    expect(Number(held[0]!.headers.get('content-length'))).toBe((await held[0]!.arrayBuffer()).byteLength);
  });

  it('reads a stand-in answer whole as the runtime does', async () => {
    const restore = installStandIns(() => new Response('—é'));
    try {
      const response = await fetch('https://www.example.com/');
      expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('—é');
    } finally {
      restore();
    }
  });

  it('puts the runtime builtins back once it is done', async () => {
    const before = builtins();
    await warmUp();
    expect(builtins()).toEqual(before);
  });

  it('resolves, with the builtins back, when a step fails', async () => {
    const before = builtins();
    vi.spyOn(webCrypto, 'hmacKey').mockRejectedValue(new Error('no crypto at build time'));
    expect(await warmUp()).toEqual([]);
    expect(builtins()).toEqual(before);
  });
});
