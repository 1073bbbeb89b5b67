/**
 * The template breaker on the compiled guest, where it is read in the HTTP cache's `beforeSend` hook
 * (fastly-backend-fetch.ts): only a readthrough miss asks it. A hanging template origin costs the
 * first miss its first-byte timeout and no miss after it (the last good copy answers at once, the
 * origin is not asked), a template the HTTP cache still holds is served from it with the breaker
 * open, and after the cool-down one background probe at a time asks the origin (the README's
 * "Template origin hanging", test/e2e/template-breaker.e2e.test.ts on the Node host).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';
import { startWasmStack, type WasmStack } from './wasm-stack.ts';

const FIRST_BYTE_TIMEOUT_MS = 5_000;
/** Well under the first-byte timeout: an answer this fast did not wait on the origin. */
const DID_NOT_WAIT_MS = 2_500;
/** TEMPLATE_BREAKER_OPTIONS.cooldownMs plus room. */
const AFTER_COOLDOWN_MS = 2_300;

await ensureWasm('bin/main.wasm').catch(() => undefined);
const noWasm = !existsSync('bin/main.wasm');
let stack: WasmStack;

beforeAll(async () => {
  if (noWasm) return;
  stack = await startWasmStack({
    editManifest: (local) => Object.assign((local.backends as Record<string, Record<string, unknown>>).templates!, { first_byte_timeout_ms: FIRST_BYTE_TIMEOUT_MS }),
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(path: string, cookie = ''): Promise<{ status: number; ms: number; template: string }> {
  const started = performance.now();
  const before = stack.events('personalization_events').length;
  const response = await fetch(stack.url(path), { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(10_000) });
  await response.text();
  const ms = performance.now() - started;
  await stack.host.settled().catch(() => undefined);
  const event = stack.events('personalization_events').slice(before).at(-1);
  return { status: response.status, ms, template: (event?.template as { cache?: string } | undefined)?.cache ?? '' };
}

describe.skipIf(noWasm)('the template breaker on the Wasm host', () => {
  it('asks the origin on no miss while open, serves a template the HTTP cache holds, probes once after the cool-down, and closes', async () => {
    const path = '/category/outdoor?breaker=wasm';
    // The ranked home page is the visitor's own, never stored: each view fetches its template.
    const held = `consent=personalization; vid=${await signedVid(loadManifest('fastly.toml'), 'u00021')}`;
    expect((await timed(path)).status).toBe(200);
    await stack.host.purge('template');
    expect((await timed('/', held)).template).toBe('MISS');
    stack.origin.faults.set('templates', { kind: 'hang' });

    const first = await timed(path);
    expect(first.ms).toBeGreaterThanOrEqual(FIRST_BYTE_TIMEOUT_MS - 100);

    const askedBefore = stack.origin.requests.count('templates');
    const during = [];
    for (let i = 0; i < 8; i++) during.push(await timed(path));
    expect(during.map((r) => [r.status, r.template])).toEqual(Array(8).fill([200, 'STALE']));
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(DID_NOT_WAIT_MS);
    expect(await timed('/', held)).toMatchObject({ status: 200, template: 'HIT' });
    expect(stack.origin.requests.count('templates')).toBe(askedBefore);

    await sleep(AFTER_COOLDOWN_MS);
    const halfOpen = await Promise.all(Array.from({ length: 8 }, () => timed(path)));
    expect(Math.max(...halfOpen.map((r) => r.ms))).toBeLessThan(DID_NOT_WAIT_MS);
    await sleep(200);
    expect(stack.origin.requests.count('templates') - askedBefore).toBe(1);

    stack.origin.faults.clear();
    await stack.host.settled();
    await sleep(AFTER_COOLDOWN_MS);
    await timed(path);
    expect((await timed(path)).template).not.toBe('STALE');
  }, 60_000);

  it("opens on a stale template's revalidation that hangs: no hook sees it fail, so its deadline does", async () => {
    const path = '/category/outdoor?breaker=revalidation';
    await timed(path);
    expect(await templatesBreaker()).toBe('closed');
    // Stale inside its stale-while-revalidate window: answered from the HTTP cache, refreshed in the background.
    await stack.host.purge('template', true);
    stack.origin.faults.set('templates', { kind: 'hang' });
    try {
      const asked = stack.origin.requests.count('templates');
      // `timed` waits for the instance to end: past the first-byte timeout and the revalidation's deadline.
      const stale = await timed(path);
      expect(stale).toMatchObject({ status: 200, template: 'STALE' });
      expect(stack.origin.requests.count('templates') - asked).toBe(1);
      expect(await templatesBreaker()).not.toBe('closed');
    } finally {
      stack.origin.faults.clear();
    }
  }, 60_000);

  it("is probed after the cool-down by a stale template's revalidation, whose breaker read settles after the answer", async () => {
    // The test before left the breaker open and the template stale, inside its stale-while-revalidate window.
    const path = '/category/outdoor?breaker=revalidation';
    await sleep(AFTER_COOLDOWN_MS);
    expect(await templatesBreaker()).toBe('half-open');
    const asked = stack.origin.requests.count('templates');
    // `timed` waits for the instance to end: the revalidation, now the probe, has been answered and recorded.
    expect(await timed(path)).toMatchObject({ status: 200, template: 'STALE' });
    expect(stack.origin.requests.count('templates') - asked).toBe(1);
    expect(await templatesBreaker()).toBe('closed');
    // The probe was the revalidation itself, through the HTTP cache: the copy is fresh again.
    expect((await timed(path)).template).toBe('HIT');
  }, 60_000);
});

async function templatesBreaker(): Promise<string> {
  const health = (await (await fetch(stack.url('/__health'))).json()) as { backends: { templates: { breaker: string } } };
  return health.backends.templates.breaker;
}
