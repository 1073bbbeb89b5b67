/**
 * The guest's UTF-16 pair search finds every construct the one-unit-per-byte search finds, at any
 * byte alignment, whatever bytes surround it: unpaired and paired surrogate units, a leading
 * byte-order mark, an odd trailing byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latin1Views, pairViews } from '../../../src/core/esi/runtime-views.ts';
import type { ChunkView } from '../../../src/core/esi/chunk-view.ts';
import { PairView } from '../../../src/core/esi/pair-view.ts';

const encoder = new TextEncoder();
const PIECES = ['<esi:', '</esi:', '<!--esi', '-->', '<esi:include src="/f"/>', '</esi:try >', '<esi:x a=\'1\'>', '<', '-', '>', 'esi:', 'e', '"', ' '].map((p) => encoder.encode(p));
/** Bytes that make surrogate units, a byte-order mark, UTF-8 and windows-1252 text. */
const ODD_BYTES = [[0xd8], [0xdc], [0xdf], [0xd8, 0x3d], [0xff, 0xfe], [0xfe, 0xff], [0xc3, 0xa9], [0x80], [0x00]];
const bytes = fc
  .array(fc.oneof(fc.constantFrom(...PIECES).map((p) => [...p]), fc.constantFrom(...ODD_BYTES), fc.integer({ min: 0, max: 255 }).map((b) => [b])), { maxLength: 40 })
  .map((parts) => Uint8Array.from(parts.flat()));

/** The same with long runs between the pieces, so that constructs fall across the view's latin1 windows. */
const long = fc
  .array(fc.oneof(fc.constantFrom(...PIECES).map((p) => [...p]), fc.constantFrom(...ODD_BYTES), fc.integer({ min: 1, max: 2100 }).map((n) => Array<number>(n).fill(0x78))), { maxLength: 24 })
  .map((parts) => Uint8Array.from(parts.flat()));

/** Every construct from `from` on, as the tokenizer walks them: where, where it ends, what it parsed. */
function walk(view: ChunkView, inComment: boolean): unknown[] {
  const seen: unknown[] = [];
  for (let from = 0; from <= view.bytes.length; ) {
    const match = view.nextMatch!(from, inComment);
    if (match === null) break;
    seen.push(match);
    from = match.end === -1 ? match.at + 1 : match.end;
  }
  return seen;
}

describe('the UTF-16 pair view', () => {
  it('matches the same constructs as the latin1 view, outside and inside a comment, from every offset', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), fc.nat(), (chunk, inComment, start) => {
        const pairs = pairViews(chunk);
        const latin1 = latin1Views(chunk);
        expect(walk(pairs, inComment)).toEqual(walk(latin1, inComment));
        const from = chunk.length === 0 ? 0 : start % chunk.length;
        expect(pairs.nextConstruct!(from, inComment)).toBe(latin1.nextConstruct!(from, inComment));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers searches from offsets in any order like the latin1 view (each needle remembers its last answer)', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 12 }), (chunk, searches) => {
        const pairs = pairViews(chunk);
        const latin1 = latin1Views(chunk);
        for (const [start, inComment] of searches) {
          const from = start % (chunk.length + 1);
          expect(pairs.nextConstruct!(from, inComment)).toBe(latin1.nextConstruct!(from, inComment));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('matches the same constructs as the latin1 view once the whole chunk was read one unit per byte (a run past the cap), its pairs never decoded', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, long), fc.boolean(), fc.nat(), (chunk, inComment, start) => {
        const pairs = pairViews(chunk);
        const latin1 = latin1Views(chunk);
        expect(pairs.oneCharPerByte!()).toBe(latin1.oneCharPerByte!());
        const from = chunk.length === 0 ? 0 : start % chunk.length;
        expect(pairs.nextConstruct!(from, inComment)).toBe(latin1.nextConstruct!(from, inComment));
        expect(walk(pairs, inComment)).toEqual(walk(latin1, inComment));
      }),
      { numRuns: 1000 },
    );
  });

  it('matches the same constructs as the latin1 view across its windows', () => {
    fc.assert(
      fc.property(long, fc.boolean(), (chunk, inComment) => {
        expect(walk(pairViews(chunk), inComment)).toEqual(walk(latin1Views(chunk), inComment));
      }),
      { numRuns: 1000 },
    );
  });

  it.each(['<esi:x/>', '</esi:x>', '<!--esi', '-->'])('matches %s cut by the end of a latin1 window at every byte', (construct) => {
    for (let gap = 2030; gap < 2050; gap++) {
      const chunk = encoder.encode(`<esi:a/>${'x'.repeat(gap)}${construct}<esi:b/>`);
      for (const inComment of [false, true]) expect(walk(pairViews(chunk), inComment)).toEqual(walk(latin1Views(chunk), inComment));
    }
  });

  it('matches a tag longer than a window, and one cut by the cap, as the latin1 view does', () => {
    for (const size of [3000, 8100, 8300]) {
      const chunk = encoder.encode(`${'x'.repeat(2040)}<esi:include src="${'a'.repeat(size)}"/><esi:x/>`);
      expect(walk(pairViews(chunk), false)).toEqual(walk(latin1Views(chunk), false));
    }
  });

  it('matches a tag far from the last construct and longer than the window read there, as the latin1 view does', () => {
    for (const gap of [2048, 5000]) {
      for (const size of [2000, 2010, 2020, 3000]) {
        for (const value of ['a'.repeat(size), `${'a'.repeat(size)}é`, `é${'b'.repeat(size)}`]) {
          const chunk = encoder.encode(`<esi:a/>${'x'.repeat(gap)}<esi:include src="${value}" alt="/b"/>${'y'.repeat(gap)}<esi:c/>`);
          expect(walk(pairViews(chunk), false)).toEqual(walk(latin1Views(chunk), false));
        }
      }
    }
  });

  it('answers find, tagEnd and code like the latin1 view', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.constantFrom('>', '"', "'", '<', '-', 'esi:', '<!--esi', '-->'), (chunk, start, needle) => {
        const pairs = pairViews(chunk);
        const latin1 = latin1Views(chunk);
        const from = chunk.length === 0 ? 0 : start % chunk.length;
        expect(pairs.find(needle, from)).toBe(latin1.find(needle, from));
        const tag = latin1.find('<esi:', from);
        if (tag !== -1) expect(pairs.tagEnd!(tag)).toBe(latin1.tagEnd!(tag));
        if (from < chunk.length) expect(pairs.code(from) >= 0x80).toBe(latin1.code(from) >= 0x80);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a construct at an odd offset', 'x<esi:include src="/f"/>', 1],
    ['a construct at an even offset', 'xy<esi:include src="/f"/>', 2],
    ['a construct after a byte-order mark', '\ufeff<!--esi', 3],
  ])('finds %s', (_name, text, at) => {
    expect(pairViews(encoder.encode(text)).nextConstruct!(0, false)).toBe(at);
  });

  it('views a whole template within 64 KiB as latin1 at once, and a streamed chunk or a larger template as pairs', () => {
    const small = encoder.encode('x<esi:include src="/f"/>'.repeat(100));
    const large = new Uint8Array(64 * 1024 + 1).fill(0x78);
    expect(pairViews(small, true)).not.toBeInstanceOf(PairView);
    expect(pairViews(small, true).nextMatch!(1, false)).toEqual(pairViews(small).nextMatch!(1, false));
    expect(pairViews(small)).toBeInstanceOf(PairView);
    expect(pairViews(large, true)).toBeInstanceOf(PairView);
  });

  it('finds a construct right after an unpaired surrogate unit', () => {
    const chunk = Uint8Array.of(0x00, 0xd8, ...encoder.encode('<esi:x/>'));
    expect(pairViews(chunk).nextMatch!(0, false)).toMatchObject({ at: 2, end: 10, name: 'x' });
  });
});
