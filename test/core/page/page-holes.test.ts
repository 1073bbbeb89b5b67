/** A stored page with holes (page-holes.ts), written and read back (stored-page.ts), and filled for a visitor. */
import { describe, expect, it } from 'vitest';
import { pageOf, storedBody, storedMeta, type StoredPage } from '../../../src/core/page/stored-page.ts';
import { filledBody, type PlacedHole } from '../../../src/core/page/page-holes.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';
import type { EsiVariables } from '../../../src/core/esi/esi-variables.ts';
import { DOC, signals } from '../recs/recs-fixtures.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../../src/core/recs/compact-format.ts';
import { CHECKED_COMPACT_TYPE, rankFragment } from '../../../src/core/esi/ranked-include.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const JSON_DOC = encoder.encode(JSON.stringify(DOC));
const HOLES: PlacedHole[] = [
  { at: 3, doc: JSON_DOC, mediaType: 'application/json', spec: { count: 2, exclude: [] } },
  { at: 10, doc: JSON_DOC, mediaType: 'application/json', spec: { count: 1, exclude: ['r1'] } },
];
const PAGE: StoredPage = { body: encoder.encode('<p>|middle|</p>'), status: 200, contentType: 'text/html', holes: HOLES };
const VARS: EsiVariables = { segment: 'general', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: null, query: '', signals: null };

function stored(page: StoredPage = PAGE): { body: Uint8Array; meta: string; stale: boolean } {
  return { body: storedBody(page), meta: storedMeta(page), stale: false };
}

function fill(page: StoredPage, vars: EsiVariables = VARS): string | null {
  const body = filledBody(page.body, page.holes ?? [], vars, DEFAULT_SETTINGS);
  return body === null ? null : decoder.decode(body);
}

describe('a stored page with holes', () => {
  it('reads back with its bytes, holes and documents as stored', () => {
    const read = pageOf(stored());
    expect(read && decoder.decode(read.body)).toBe('<p>|middle|</p>');
    expect(read?.holes?.map(({ at, mediaType, spec }) => ({ at, mediaType, spec }))).toEqual(HOLES.map(({ at, mediaType, spec }) => ({ at, mediaType, spec })));
    expect(read?.holes?.map((hole) => decoder.decode(hole.doc))).toEqual([JSON.stringify(DOC), JSON.stringify(DOC)]);
  });

  it('keeps its status where a reader that knows no holes finds none (that reader misses)', () => {
    const meta = JSON.parse(storedMeta(PAGE)) as Record<string, unknown>;
    expect(meta.status).toBeUndefined();
    expect(meta.holed).toBe(200);
  });

  it('fills each hole with its ranking for the visitor, in place', () => {
    expect(fill(pageOf(stored())!)).toBe('<p><ul class="recs"><li data-item="r1">r1</li><li data-item="r2">r2</li></ul>|middle<ul class="recs"><li data-item="r2">r2</li></ul>|</p>');
    const outdoor = { ...VARS, signals: signals({ sessionCategories: ['outdoor'] }) };
    expect(fill(pageOf(stored())!, outdoor)).toContain('<p><ul class="recs"><li data-item="o1">o1</li><li data-item="o2">o2</li></ul>|middle');
  });

  it('is no page (a miss) when a document fails to rank', () => {
    const broken = { ...PAGE, holes: [{ ...HOLES[0]!, doc: encoder.encode('{"not":"candidates"}') }] };
    const read = pageOf(stored(broken));
    expect(read).not.toBeNull();
    expect(fill(read!)).toBeNull();
  });

  const meta = (holes: unknown): string => JSON.stringify({ holed: 200, contentType: 'text/html', holes });
  const length = JSON_DOC.byteLength;
  it.each([
    { name: 'holes that are not a list', meta: meta(5) },
    { name: 'an empty list of holes', meta: meta([]) },
    { name: 'a hole of four fields', meta: meta([[3, length, 'application/json', 2]]) },
    { name: 'a document longer than the body', meta: meta([[3, 10 * length, 'application/json', 2, []], [10, length, 'application/json', 1, ['r1']]]) },
    { name: 'a negative document length', meta: meta([[3, -1, 'application/json', 2, []], [10, length, 'application/json', 1, ['r1']]]) },
    { name: 'a hole past the page', meta: meta([[3, length, 'application/json', 2, []], [99, length, 'application/json', 1, ['r1']]]) },
    { name: 'holes out of order', meta: meta([[10, length, 'application/json', 2, []], [3, length, 'application/json', 1, ['r1']]]) },
    { name: 'a count that is not a number', meta: meta([[3, length, 'application/json', '2', []], [10, length, 'application/json', 1, ['r1']]]) },
    { name: 'exclusions that are not strings', meta: meta([[3, length, 'application/json', 2, [1]], [10, length, 'application/json', 1, ['r1']]]) },
    { name: 'no status', meta: JSON.stringify({ contentType: 'text/html', holes: [[3, length, 'application/json', 2, []], [10, length, 'application/json', 1, ['r1']]] }) },
    { name: 'a status where a page with holes has none', meta: JSON.stringify({ status: 200, contentType: 'text/html', holes: [[3, length, 'application/json', 2, []], [10, length, 'application/json', 1, ['r1']]] }) },
  ])('is not a page for $name', ({ meta: written }) => {
    expect(pageOf({ body: storedBody(PAGE), meta: written, stale: false })).toBeNull();
  });

  it('is not a page when the body is shorter than its documents say', () => {
    const entry = stored();
    expect(pageOf({ ...entry, body: entry.body.subarray(0, 12) })).toBeNull();
  });

  it('joins holes at the page\'s very start and end, and gives a fresh array (the stored bytes stay as they are)', () => {
    const page: StoredPage = { body: encoder.encode('<p></p>'), status: 200, contentType: 'text/html', holes: [{ ...HOLES[0]!, at: 0 }, { ...HOLES[1]!, at: 7 }] };
    const read = pageOf(stored(page))!;
    const body = filledBody(read.body, read.holes!, VARS, DEFAULT_SETTINGS)!;
    expect(decoder.decode(body)).toBe('<ul class="recs"><li data-item="r1">r1</li><li data-item="r2">r2</li></ul><p></p><ul class="recs"><li data-item="r2">r2</li></ul>');
    body.fill(0);
    expect(decoder.decode(read.body)).toBe('<p></p>');
  });
});

describe('a stored page\'s compact documents', () => {
  const COMPACT = renderCompactDocument(DOC.before, DOC.after, DOC.items);
  const page: StoredPage = { ...PAGE, holes: [{ at: 3, doc: COMPACT, mediaType: COMPACT_CANDIDATES_TYPE, spec: { count: 2, exclude: [] } }, { at: 10, doc: COMPACT, mediaType: COMPACT_CANDIDATES_TYPE, spec: { count: 3, exclude: ['o1'] } }] };
  const visitors = [VARS, { ...VARS, signals: signals({ sessionCategories: ['outdoor'] }) }, { ...VARS, signals: signals({ recentItems: ['r1'], purchased: ['o2'], recentCategories: ['running'] }) }];

  it('are stored as checked (ranked when assembled), and a hit gives the bytes of the assembly\'s own ranking', () => {
    const read = pageOf(stored(page))!;
    expect(read.holes?.map((hole) => hole.mediaType)).toEqual([CHECKED_COMPACT_TYPE, CHECKED_COMPACT_TYPE]);
    for (const vars of visitors) {
      const fresh = page.holes!.map((hole) => rankFragment(hole.doc, COMPACT_CANDIDATES_TYPE, hole.spec, vars, DEFAULT_SETTINGS));
      const [first, second] = fresh.map((ranked) => (ranked.ok ? decoder.decode(ranked.body) : 'failed'));
      expect(fill(read, vars)).toBe(`<p>${first!}|middle${second!}|</p>`);
    }
  });

  it('still fill from an entry that keeps the plain compact type (stored before the checked type), checked in full', () => {
    const plain = stored(page);
    plain.meta = plain.meta.replaceAll(CHECKED_COMPACT_TYPE, COMPACT_CANDIDATES_TYPE);
    const read = pageOf(plain)!;
    expect(read.holes?.map((hole) => hole.mediaType)).toEqual([COMPACT_CANDIDATES_TYPE, COMPACT_CANDIDATES_TYPE]);
    expect(fill(read, visitors[1])).toBe(fill(pageOf(stored(page))!, visitors[1]));
  });

  it('make a miss, never a throw, when a checked document is not what was stored', () => {
    // Groups that are not columns: the ranking would throw on them.
    const wrong = encoder.encode('14\n{"groups":[5]}\n<li>');
    const corrupt: StoredPage = { ...page, holes: [{ ...page.holes![0]!, doc: wrong }] };
    expect(() => fill(pageOf(stored(corrupt))!, visitors[1])).not.toThrow();
    expect(fill(pageOf(stored(corrupt))!, visitors[1])).toBeNull();
  });
});
