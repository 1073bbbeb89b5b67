/**
 * Byte-exactness on both search ports: UTF-8, windows-1252 and invalid UTF-8 bodies, ESI-free and
 * with includes, give the same output split at every chunk boundary. Outside ESI markup every
 * byte passes through unchanged, whatever the encoding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import { assemble, encoder, fakeFetcher, VIEWS } from './esi-test-kit.ts';

const INVALID_UTF8 = [[0x80], [0xbf], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xff], [0xfe]];
/** Bytes that start or end markup, so cuts land inside near-constructs. */
const MARKUP_BYTES = [0x3c, 0x3e, 0x2d, 0x21, 0x3a, 0x2f, 0x22, 0x27, 0x65, 0x73, 0x69];

const utf8Text = fc.string({ unit: 'grapheme', maxLength: 24 }).map((text) => encoder.encode(text));
const windows1252Text = fc.uint8Array({ maxLength: 24 });
const invalidUtf8Text = fc
  .array(fc.oneof(fc.constantFrom(...INVALID_UTF8), fc.constantFrom(...MARKUP_BYTES).map((b) => [b]), fc.integer({ min: 0x20, max: 0x7e }).map((b) => [b])), { maxLength: 16 })
  .map((parts) => Uint8Array.from(parts.flat()));

/** Text that cannot form ESI markup on its own or next to a tag (no `esi`, no `-->`). */
const safe = (text: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  text.filter((bytes) => {
    const latin = String.fromCharCode(...bytes);
    return !latin.includes('esi') && !latin.includes('-->') && !latin.endsWith('<') && !latin.endsWith('</');
  });

const ENCODINGS = [
  ['UTF-8', safe(utf8Text)],
  ['windows-1252', safe(windows1252Text)],
  ['invalid UTF-8', safe(invalidUtf8Text)],
] as const;

/** A fragment in the page's own encoding: Latin-1 bytes and a lone continuation byte. */
const FRAGMENT: FragmentResult = { ok: true, body: Uint8Array.of(0x46, 0xe9, 0x80, 0x3c), cache: 'MISS', ttlMs: 60_000, surrogateKeys: [] };
const INCLUDE = encoder.encode('<esi:include src="/fragments/f"/>');

function join(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** Every split into two chunks, plus one byte per chunk. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[...bytes].map((byte) => Uint8Array.of(byte))];
  for (let cut = 0; cut <= bytes.length; cut++) out.push([bytes.slice(0, cut), bytes.slice(cut)]);
  return out;
}

async function outputsFor(chunkings: Uint8Array[][], views: (typeof VIEWS)[number][1]): Promise<Uint8Array[]> {
  const outputs: Uint8Array[] = [];
  for (const chunks of chunkings) outputs.push((await assemble(chunks, fakeFetcher({ '/fragments/f': FRAGMENT }), { views })).bytes);
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
        const body = join(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [INCLUDE, piece])));
        const expected = join(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [FRAGMENT.body, piece])));
        for (const out of await outputsFor(splits(body), views)) expect([...out]).toEqual([...expected]);
      }),
      { numRuns: 10 },
    );
  });
});
