/**
 * The bodies the byte-exactness tests feed to ESI assembly on both hosts (Node, and the compiled
 * Wasm guest): UTF-8, windows-1252 and invalid UTF-8 text that cannot form ESI markup on its own,
 * an include between pieces, and every way of cutting a body into chunks.
 */
import fc from 'fast-check';
import type { FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';

const encoder = new TextEncoder();
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

export const ENCODINGS = [
  ['UTF-8', safe(utf8Text)],
  ['windows-1252', safe(windows1252Text)],
  ['invalid UTF-8', safe(invalidUtf8Text)],
] as const;

/** The fragment every include gets, in the page's own encoding: Latin-1 bytes and a lone continuation byte. */
export const FRAGMENT_BODY = Uint8Array.of(0x46, 0xe9, 0x80, 0x3c);
export const FRAGMENT: FragmentResult = { ok: true, body: FRAGMENT_BODY, cache: 'MISS', ttlMs: 60_000, surrogateKeys: [] };
export const INCLUDE_SRC = '/fragments/f';
export const INCLUDE = encoder.encode(`<esi:include src="${INCLUDE_SRC}"/>`);

export function join(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** Pieces with an include between each two, and the page expected from it. */
export function withIncludes(pieces: readonly Uint8Array[]): { body: Uint8Array; expected: Uint8Array } {
  return {
    body: join(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [INCLUDE, piece]))),
    expected: join(pieces.flatMap((piece, i) => (i === 0 ? [piece] : [FRAGMENT_BODY, piece]))),
  };
}

/** Every split into two chunks, plus one byte per chunk. */
export function splits(bytes: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[...bytes].map((byte) => Uint8Array.of(byte))];
  for (let cut = 0; cut <= bytes.length; cut++) out.push([bytes.slice(0, cut), bytes.slice(cut)]);
  return out;
}
