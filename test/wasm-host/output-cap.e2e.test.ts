/**
 * The inserted-bytes cap inside the compiled guest (`bin/main.wasm`), against mock origins: a small
 * template repeating one 256 KiB fragment 1,000 times answers 200 with the page cut to the cap and
 * the rest of the template, and the guest's memory stays far under Compute's 128 MB heap (without
 * the cap it grew to 274 MB: the output queue's ready bytes are joined into one chunk); likewise
 * 100,000 references to a long query parameter and 190,000 `$(DECISION)` in `<esi:vars>`.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { startWasmHost, type RunningWasmHost } from '../../wasm-host/wasm-server.ts';
import { withOrigins } from '../../src/local-platform/with-origins.ts';
import { MAX_INSERTED_BYTES, MAX_VARIABLE_BYTES } from '../../src/core/esi/esi-limits.ts';
import { ESI_HEADERS, send, startMockOrigin, type MockHandler, type MockOrigin } from '../security/support/mock-origin.ts';
import { counted } from '../security/support/http-client.ts';

const buildError = await ensureWasm('bin/main.wasm').then(() => null, (error: unknown) => (error instanceof Error ? error.message : String(error)));
if (buildError) console.warn(`[wasm-host test] ${buildError}; testing the existing bin/main.wasm`);
const noWasm = !existsSync('bin/main.wasm');

const BIG = Buffer.alloc(256 * 1024, 0x42);
const FULL = MAX_INSERTED_BYTES / BIG.length;
const TEMPLATE_TEXT = '<main></main><p>end-page</p>'.length;

const templates: MockHandler = (req, res) => {
  const count = Number(req.url.searchParams.get('n'));
  const element = req.url.pathname === '/vars' ? (req.url.searchParams.get('v') ?? '$(QUERY_STRING{q})') : '<esi:include src="/fragments/big"/>';
  const [open, close] = req.url.pathname === '/vars' ? ['<esi:vars>', '</esi:vars>'] : ['', ''];
  send(res, 200, `<main>${open}${element.repeat(count)}${close}</main><p>end-page</p>`, ESI_HEADERS);
};
const fragments: MockHandler = (_req, res) => send(res, 200, BIG, { 'cache-control': 'public, max-age=60' });
const profiles: MockHandler = (_req, res) => send(res, 404, 'none');

let origins: MockOrigin[] = [];
let host: RunningWasmHost;
const lines: string[] = [];
beforeAll(async () => {
  if (noWasm) return;
  origins = await Promise.all([templates, profiles, fragments].map((handler) => startMockOrigin(handler)));
  const [t, p, f] = origins.map((origin) => origin.url);
  const manifestPath = withOrigins({ urls: { templates: t!, profiles: p!, fragments: f! }, relaxedTimeouts: true, label: 'wasm-output-cap' });
  host = await startWasmHost({ manifestPath, host: '127.0.0.1', port: 0, stdout: (line) => lines.push(line), guestOutput: () => undefined });
}, 60_000);
afterAll(async () => {
  await host?.close();
  await Promise.all(origins.map((origin) => origin.close()));
});

/** The page's status, byte count, tail, and the guest's memory and event for it. */
async function page(count: number, path = 'amp', query = ''): Promise<{ status: number; bytes: number; tail: string; memoryBytes: number; event: Record<string, unknown> }> {
  const read = await counted(`${host.url}${path}?n=${count}${query}`);
  await host.settled();
  const events = lines.filter((line) => line.startsWith('personalization_events :: ')).map((line) => JSON.parse(line.slice(26)) as Record<string, unknown>);
  return { ...read, memoryBytes: host.memoryBytes.at(-1)!, event: events.at(-1)! };
}

describe.skipIf(noWasm)('the inserted-bytes cap in the Wasm guest', () => {
  it('cuts 1,000 includes of one 256 KiB fragment to the cap in far under 128 MB of guest memory', async () => {
    const capped = await page(1000);
    expect(capped.status).toBe(200);
    expect(capped.bytes).toBe(MAX_INSERTED_BYTES + TEMPLATE_TEXT);
    expect(capped.tail.endsWith('B</main><p>end-page</p>')).toBe(true);
    expect(capped.event.esiOutputCapped).toBe(1000 - FULL);
    expect(capped.memoryBytes).toBeGreaterThan(0);
    expect(capped.memoryBytes).toBeLessThan(64 * 1000 * 1000);
  }, 60_000);

  it('leaves the rest of the vars text unsubstituted past the cap: 100,000 references to a 2,000-character query parameter', async () => {
    // The runtime refuses a URL over 8 KiB before the handler runs (as Fastly's edge does): 2,000 `<`, each `&lt;`.
    const capped = await page(100_000, 'vars', `&q=${'%3C'.repeat(2000)}`);
    const fit = Math.floor(MAX_VARIABLE_BYTES / 8_000);
    expect(capped.status).toBe(200);
    expect(capped.bytes).toBe(fit * 8_000 + (100_000 - fit) * '$(QUERY_STRING{q})'.length + TEMPLATE_TEXT);
    expect(capped.tail.endsWith('$(QUERY_STRING{q})</main><p>end-page</p>')).toBe(true);
    expect(capped.event.esiOutputCapped).toBe(1);
    expect(capped.memoryBytes).toBeLessThan(64 * 1000 * 1000);
  }, 60_000);

  it('substitutes at most 1,000 of 190,000 $(DECISION) references (uncapped: 108 MB and a 6-byte page)', async () => {
    const capped = await page(190_000, 'vars', '&v=%24(DECISION)');
    expect(capped.status).toBe(200);
    expect(capped.tail.endsWith('$(DECISION)</main><p>end-page</p>')).toBe(true);
    expect(capped.event.esiOutputCapped).toBe(1);
    expect(capped.memoryBytes).toBeLessThan(64 * 1000 * 1000);
  }, 60_000);

  it('inserts a page that fills the cap exactly, and skips one include more', async () => {
    const full = await page(FULL);
    const over = await page(FULL + 1);
    expect([full.status, over.status]).toEqual([200, 200]);
    expect([full.bytes, over.bytes]).toEqual([MAX_INSERTED_BYTES + TEMPLATE_TEXT, MAX_INSERTED_BYTES + TEMPLATE_TEXT]);
    expect([full.event.esiOutputCapped, over.event.esiOutputCapped]).toEqual([undefined, 1]);
    expect(over.tail.endsWith('</main><p>end-page</p>')).toBe(true);
  }, 60_000);
});
