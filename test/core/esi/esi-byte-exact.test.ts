/**
 * Byte-exactness on both search ports: UTF-8, windows-1252 and invalid UTF-8 bodies, ESI-free and
 * with includes, give the same output split at every chunk boundary. Outside ESI markup every
 * byte passes through unchanged, whatever the encoding. (test/wasm-host/esi-byte-exact.e2e.test.ts
 * runs the same cases inside the compiled Wasm guest.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, fakeFetcher, VIEWS } from './esi-test-kit.ts';
import { ENCODINGS, FRAGMENT, INCLUDE_SRC, join, splits, withIncludes } from './byte-exact-cases.ts';

async function outputsFor(chunkings: Uint8Array[][], views: (typeof VIEWS)[number][1]): Promise<Uint8Array[]> {
  const outputs: Uint8Array[] = [];
  for (const chunks of chunkings) outputs.push((await assemble(chunks, fakeFetcher({ [INCLUDE_SRC]: FRAGMENT }), { views })).bytes);
  return outputs;
}

describe.each(VIEWS)('with %s', (_name, views) => {
  it.each(ENCODINGS)('passes an ESI-free %s body through unchanged at every chunk boundary', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 3 }), async (pieces) => {
        const body = join(pieces);
        for (const out of await outputsFor(splits(body), views)) expect([...out]).toEqual([...body]);
      }),
      { numRuns: 15 },
    );
  });

  it.each(ENCODINGS)('stitches includes into a %s body byte for byte at every chunk boundary', async (_encoding, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 2, maxLength: 4 }), async (pieces) => {
        const { body, expected } = withIncludes(pieces);
        for (const out of await outputsFor(splits(body), views)) expect([...out]).toEqual([...expected]);
      }),
      { numRuns: 10 },
    );
  });
});
