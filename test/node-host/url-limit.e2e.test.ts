/**
 * Both local servers refuse a URL past Compute's 8,192 bytes with 414, as the edge does before the
 * service sees it. Inside the Wasm guest js-compute's runtime cannot read a longer URL and failed
 * the request with a 500 before any of our code ran; the Node host served it, unlike the platform.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../support/local-stack.ts';
import { startWasmStack, type WasmStack } from '../wasm-host/wasm-stack.ts';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { MAX_URL_BYTES } from '../../src/node-host/url-limit.ts';

const buildError = await ensureWasm('bin/main.wasm').then(() => null, (error: unknown) => (error instanceof Error ? error.message : String(error)));
if (buildError) console.warn(`[url-limit test] ${buildError}; testing the existing bin/main.wasm`);
const noWasm = !existsSync('bin/main.wasm');

/** A page URL of exactly `bytes` bytes (its query padded; `pad` is one character of 1–3 UTF-8 bytes). */
function urlOf(base: string, bytes: number, pad = 'a'): string {
  const prefix = `${base.replace(/\/$/, '')}/?q=`;
  const padBytes = Buffer.byteLength(pad);
  const room = bytes - prefix.length;
  return prefix + pad.repeat(Math.floor(room / padBytes)) + 'a'.repeat(room % padBytes);
}

const hosts: Array<{ name: string; skip: boolean; start: () => Promise<{ base: string; close: () => Promise<void> }> }> = [
  { name: 'the Node host', skip: false, start: async () => ((stack: LocalStack) => ({ base: stack.edge.url, close: () => stack.close() }))(await startLocalStack()) },
  { name: 'the Wasm host', skip: noWasm, start: async () => ((stack: WasmStack) => ({ base: stack.url('/'), close: () => stack.close() }))(await startWasmStack({ workers: 1 })) },
];

describe.each(hosts)('$name', ({ skip, start }) => {
  let server: { base: string; close: () => Promise<void> } | null = null;
  beforeAll(async () => {
    if (!skip) server = await start();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it.skipIf(skip)('serves a URL of exactly the limit', async () => {
    const response = await fetch(urlOf(server!.base, MAX_URL_BYTES));
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });

  it.skipIf(skip)('answers 414 at once for a URL one byte past it, and for a much longer one', async () => {
    for (const bytes of [MAX_URL_BYTES + 1, 12_000]) {
      const response = await fetch(urlOf(server!.base, bytes));
      expect(response.status).toBe(414);
      expect(await response.json()).toEqual({ error: `uri too long: at most ${MAX_URL_BYTES} bytes` });
    }
  });

  it.skipIf(skip)('counts a non-ASCII query as the percent-encoded bytes the service is handed', async () => {
    // fetch sends 'é' as %C3%A9, six bytes: 1,366 of them alone are past the limit.
    const response = await fetch(`${server!.base.replace(/\/$/, '')}/?q=${'é'.repeat(1366)}`);
    await response.arrayBuffer();
    expect(response.status).toBe(414);
  });

  it.skipIf(skip)('still serves the next request on a new connection', async () => {
    await (await fetch(urlOf(server!.base, MAX_URL_BYTES + 1))).arrayBuffer();
    const response = await fetch(`${server!.base.replace(/\/$/, '')}/__health`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });
});
