/**
 * Byte-exactness inside the compiled Wasm guest, where the ESI tokenizer searches a Latin-1 view
 * of each chunk made by the runtime's own decoder: UTF-8, windows-1252 and invalid UTF-8 bodies,
 * ESI-free and with includes, come out byte for byte at every chunk boundary and read whole (the same cases as
 * test/core/esi/esi-byte-exact.test.ts on Node).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';
import { stackManifest } from '../../support/local-stack.ts';
import { startWasmHost, type RunningWasmHost } from '../../wasm-host/wasm-server.ts';
import { ENCODINGS, join, withIncludes } from '../core/esi/byte-exact-cases.ts';
import { MAX_ESI_ELEMENTS } from '../../src/core/esi/esi-limits.ts';
import { compileGuest, sourceHash } from '../support/compile-guest.ts';

const GUEST = 'test/wasm-host/esi-byte-exact-guest.ts';

let origin: RunningOrigin;
let host: RunningWasmHost;

beforeAll(async () => {
  const wasmPath = await compileGuest(GUEST, 'esi-byte-exact', sourceHash(['src/core'], [GUEST, 'test/core/esi/byte-exact-cases.ts']));
  origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  host = await startWasmHost({ manifestPath: stackManifest(origin), wasmPath, host: '127.0.0.1', port: 0, stdout: () => undefined, guestOutput: () => undefined });
}, 180_000);

afterAll(async () => {
  await host?.close();
  await origin?.close();
});

/** The guest's output for every chunking of `body`. */
async function outputsInGuest(body: Uint8Array, elementsBefore = 0): Promise<number[][]> {
  const response = await fetch(host.url, { method: 'POST', body: new Uint8Array(body), headers: { 'x-elements-before': String(elementsBefore) } });
  expect(response.status).toBe(200);
  return (await response.json()) as number[][];
}

describe('inside the compiled Wasm guest', () => {
  it.each(ENCODINGS)('passes an ESI-free %s body through unchanged at every chunk boundary', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 3 }), async (pieces) => {
        const body = join(pieces);
        for (const out of await outputsInGuest(body)) expect(out).toEqual([...body]);
      }),
      { numRuns: 5 },
    );
  }, 120_000);

  it.each(ENCODINGS)('stitches includes into a %s body byte for byte at every chunk boundary', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 2, maxLength: 4 }), async (pieces) => {
        const { body, expected } = withIncludes(pieces);
        for (const out of await outputsInGuest(body)) expect(out).toEqual([...expected]);
      }),
      { numRuns: 5 },
    );
  }, 120_000);

  it('drops tags past the element cap between windows-1252 bytes byte for byte at every chunk boundary', async () => {
    // The guest's latin1 decoder is windows-1252: 0x80 and 0x9F read as characters beyond U+00FF.
    const tag = [...new TextEncoder().encode('<esi:include src="/fragments/f"/>')];
    const body = Uint8Array.from([0x31, 0x80, ...tag, 0x9f, 0x32, ...tag, 0xe9, ...tag, 0x33]);
    for (const out of await outputsInGuest(body, MAX_ESI_ELEMENTS)) expect(out).toEqual([0x31, 0x80, 0x9f, 0x32, 0xe9, 0x33]);
  }, 120_000);

  it('drops runs of tags past the element cap between bytes that are not ASCII byte for byte at every chunk boundary', async () => {
    // Forty in a row: runs take 32 tags per match, their text kept as ranges of the chunk's bytes.
    const texts = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? [0x80, 0x41 + (i % 26)] : i % 3 === 1 ? [0xc3, 0xa9] : [0x42]));
    const body = Uint8Array.from(texts.flatMap((text) => [...text, ...new TextEncoder().encode("<esi:x a='1'/>")]));
    for (const out of await outputsInGuest(body, MAX_ESI_ELEMENTS)) expect(out).toEqual(texts.flat());
  }, 120_000);
});
