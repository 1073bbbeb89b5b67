/**
 * Fidelity probes: platform behaviours whose expected results come from Fastly's documentation,
 * checked against the Wasm host (and Viceroy when installed) through the product's HTTP surface or a
 * tiny probe guest. Where a runtime diverges from the documented platform, the case is skipped there
 * with the divergence as its reason, never counted as a pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProbeGuest } from './probe-guest.ts';
import { startFixtureServer } from './fixture-server.ts';
import type { FixtureServer } from './fixture-server.ts';
import type { ContractStack, RuntimeName } from '../../support/contract/runtime-driver.ts';
import { runtimeDrivers } from './runtime-drivers.ts';

const drivers = (await runtimeDrivers('fidelity.e2e')).filter((driver) => driver.name !== 'node');
const built = (flags: readonly string[] = []) =>
  buildProbeGuest(flags).then(
    (path) => ({ path, error: null }),
    (error: unknown) => ({ path: '', error: error instanceof Error ? error.message : String(error) }),
  );
const probeGuest = await built();
/** The same probe built the way the product is, with the HTTP cache API. */
const cachingGuest = await built(['--enable-http-cache']);

const DOCS = {
  firstByte: 'Fastly backend first_byte_timeout (fastly.com/documentation/reference/api/services/backend); js-compute-runtime#1209: the guest gets a SendError',
  unknownBackend: '@fastly/js-compute 3.46 types/globals.d.ts RequestInit.backend: a named static backend of the service',
  clone: '@fastly/js-compute 3.46 types/globals.d.ts: Response.clone is not declared (js-compute-runtime#901)',
  cached: '@fastly/js-compute 3.46 types/globals.d.ts Response.cached: undefined if the environment does not support the HTTP Cache hostcalls',
  httpCache: '@fastly/js-compute 3.46 types/cache-override.d.ts: beforeSend/afterSend hooks with --enable-http-cache; globals.d.ts Response.cached: whether the Response resulted from a cache hit',
  noHttpCache: 'js-compute-runtime runtime/fastly/builtins/fetch/fetch.cpp get_caching_mode: hooks on a host without the HTTP cache hostcalls throw "HTTP caching API is not enabled"',
  backendLimit: 'docs.fastly.com/products/compute-resource-limits: at most 32 backend requests per execution',
  headers: 'fastly.com/documentation/reference/vcl/constraints-and-limitations: request headers up to 69 KB',
};

/** Known divergences of a runtime from the documented platform: the case is skipped there with this reason. */
const DIVERGENCES: Record<string, Partial<Record<RuntimeName, string>>> = {
  httpCache: { viceroy: 'Viceroy does not implement the HTTP cache hostcalls (fastly_http_cache answers NotAvailable)' },
  noHttpCache: { wasm: 'the Wasm host implements the HTTP cache hostcalls, as Compute does' },
  backendLimit: { wasm: 'the Wasm host does not count backend requests per execution, so a 33rd fetch succeeds' },
};

describe.each(drivers)('platform fidelity of $name', (driver) => {
  const guestError = probeGuest.error ?? cachingGuest.error;
  const unavailable = driver.unavailable ?? (guestError ? `probe guest: ${guestError}` : null);
  const named = (name: string, probe: keyof typeof DOCS) => {
    const divergence = DIVERGENCES[probe]?.[driver.name];
    return divergence ? `${name} (${DOCS[probe]}) — divergence on ${driver.name}: ${divergence}` : `${name} (${DOCS[probe]})`;
  };
  const skip = (probe: keyof typeof DOCS) => unavailable !== null || DIVERGENCES[probe]?.[driver.name] !== undefined;
  let silent: FixtureServer;
  let slowTemplates: ContractStack;
  let probe: ContractStack;
  let noFragments: ContractStack;
  let caching: ContractStack;

  beforeAll(async () => {
    if (unavailable) return;
    silent = await startFixtureServer({ '/': { hang: true }, '/profiles/x': { hang: true } });
    const hanging = { url: silent.url, first_byte_timeout_ms: 300 };
    [slowTemplates, probe, noFragments, caching] = await Promise.all([
      driver.start({ backends: { templates: hanging } }),
      driver.start({ backends: { profiles: hanging }, wasmPath: probeGuest.path }),
      driver.start({ backends: { fragments: null } }),
      driver.start({ wasmPath: cachingGuest.path }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([slowTemplates?.close(), probe?.close(), noFragments?.close(), caching?.close()]);
    await silent?.close();
  });

  async function probeJson(path: string, stack = probe): Promise<Record<string, unknown>> {
    const response = await fetch(stack.url(path));
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it.skipIf(skip('firstByte'))(named('fails the page fast when the template backend passes its first-byte timeout', 'firstByte'), async () => {
    // The backend never answers, so only the 300 ms first-byte timeout can end this request.
    const response = await fetch(slowTemplates.url('/'));
    await response.text();
    expect(response.status).toBeGreaterThanOrEqual(500);
    await slowTemplates.settled();
    expect(slowTemplates.events().at(-1)?.status).toBe(response.status);
  });

  it.skipIf(skip('firstByte'))(named('rejects the guest fetch once the first-byte timeout fires', 'firstByte'), async () => {
    // The probe's /first-byte fetch goes to `templates`; this stack's hanging backend is `profiles`, so ask the guest directly.
    const started = performance.now();
    const body = await probeJson('/first-byte-profiles');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(body.firstByte).toMatchObject({ ok: false });
  });

  it.skipIf(skip('unknownBackend'))(named('rejects a fetch to a backend the service does not define', 'unknownBackend'), async () => {
    const body = await probeJson('/unknown-backend');
    expect(body.unknownBackend).toEqual({ ok: false, error: expect.stringMatching(/^TypeError: .*no-such-backend.*does not exist/) as string });
  });

  it.skipIf(skip('unknownBackend'))(named('still renders the page when a configured backend is missing', 'unknownBackend'), async () => {
    const response = await fetch(noFragments.url('/category/running'));
    const html = await response.text();
    await noFragments.settled();
    expect(response.status).toBe(200);
    expect(html).toContain('</html>');
    const outcomes = (noFragments.events().at(-1)?.fragments as Array<{ outcome: string }>).map((fragment) => fragment.outcome);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((outcome) => outcome !== 'ok')).toBe(true);
  });

  it.skipIf(skip('clone'))(named('has Request.clone but no Response.clone', 'clone'), async () => {
    expect(await probeJson('/')).toMatchObject({ responseClone: 'undefined', requestClone: 'function' });
  });

  it.skipIf(skip('cached'))(named('leaves Response.cached undefined without --enable-http-cache, even for a readthrough hit', 'cached'), async () => {
    const before = probe.origin.requests.count('templates', '/static/site.css');
    const body = await probeJson('/cached');
    expect(body.cached).toEqual(['undefined', 'undefined']);
    // The host's readthrough cache did serve the second fetch: the origin saw at most one request.
    expect(probe.origin.requests.count('templates', '/static/site.css') - before).toBeLessThanOrEqual(1);
  });

  it.skipIf(skip('httpCache'))(named('runs beforeSend and afterSend on a miss only, stores what afterSend set, and reports the hit', 'httpCache'), async () => {
    const before = caching.origin.requests.count('templates', '/static/site.css');
    const body = await probeJson('/hooks', caching);
    expect(body.hooks).toEqual({
      ok: true,
      value: { cached: ['false', 'true'], stale: 'false', surrogateKeys: ['probe-tag'], ttlAtMost120: true, calls: ['beforeSend', 'afterSend 200'] },
    });
    expect(caching.origin.requests.count('templates', '/static/site.css') - before).toBe(1);
  });

  it.skipIf(skip('noHttpCache'))(named('throws for hooks where the host has no HTTP cache API, which the product falls back from', 'noHttpCache'), async () => {
    const body = await probeJson('/hooks', caching);
    expect(body.hooks).toEqual({ ok: false, error: expect.stringMatching(/HTTP caching API is not enabled/) as string });
  });

  it.skipIf(skip('backendLimit'))(named('fails the 33rd backend request of one execution', 'backendLimit'), async () => {
    const body = await probeJson('/backend-limit');
    const statuses = body.backendRequests as unknown[];
    expect(statuses.slice(0, 32).every((status) => status === 200)).toBe(true);
    expect(statuses[32]).not.toBe(200);
  });

  it.skipIf(skip('headers')).each([
    { size: 20 * 1024, accepted: true },
    { size: 80 * 1024, accepted: false },
  ])(named('accepts a request header of $size bytes: $accepted', 'headers'), async ({ size, accepted }) => {
    const response = await fetch(noFragments.url('/'), { headers: { 'x-padding': 'a'.repeat(size) } }).catch(() => null);
    await response?.text();
    expect(response !== null && response.status === 200).toBe(accepted);
  });
});
