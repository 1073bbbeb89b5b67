/**
 * Runs of plain includes that leave no trace (past the report's bound and the fetch cap, at the
 * page's root) are taken many per native match on the guest's search ports (tag-runs.ts): every
 * search port gives the same bytes, report and problem line, whatever breaks a run and wherever
 * the template's chunks are cut.
 */
import { expect, it } from 'vitest';
import { MAX_ESI_ELEMENTS, MAX_REPORTED_INCLUDES } from '../../../src/core/esi/esi-limits.ts';
import { dropRun } from '../../../src/core/esi/tag-runs.ts';
import { includeRun } from '../../../src/core/esi/include-run.ts';
import { assemble, decoder, encoder, fakeFetcher, VIEWS, type Assembled } from './esi-test-kit.ts';

/** Enough distinct includes to fill the fetch cap and the report. */
const FILLER = Array.from({ length: MAX_REPORTED_INCLUDES + 10 }, (_, i) => `<esi:include src="/fragments/n${i}"/>`).join('');
const RUN = (from: number, count: number): string => Array.from({ length: count }, (_, i) => `<p>${from + i}</p><esi:include src="/fragments/late${from + i}"/>`).join('');
const FRAGMENTS = { '/fragments/n0': 'N0', '/fragments/n1': 'N1' };

async function onEveryPort(chunks: ReadonlyArray<Uint8Array | string>): Promise<Assembled[]> {
  return Promise.all(VIEWS.map(([, views]) => assemble(chunks, fakeFetcher(FRAGMENTS), { views })));
}

function expectAlike(results: Assembled[]): void {
  const [first, ...rest] = results;
  for (const other of rest) {
    expect([...other.bytes]).toEqual([...first!.bytes]);
    expect(other.report.fragments).toEqual(first!.report.fragments.map((entry) => ({ ...entry, ms: expect.any(Number) as number })));
    expect(other.report.fetches).toBe(first!.report.fetches);
    expect(other.report.elementsDropped).toBe(first!.report.elementsDropped);
    expect(other.problems).toEqual(first!.problems);
  }
}

const BREAKS = [
  ['a src fetched earlier (its fragment goes in)', '<esi:include src="/fragments/n0"/>'],
  ['a second attribute', '<esi:include src="/fragments/late-x" onerror="continue"/>'],
  ['an entity in the src', '<esi:include src="/fragments/a&amp;b"/>'],
  ['a src that is not a plain path', '<esi:include src="/fragments/../n1"/>'],
  ['a block', '<esi:vars>$(SEGMENT)</esi:vars>'],
  ['text that is not ASCII', 'é€'],
  ['an ESI comment', '<!--esi <esi:include src="/fragments/n1"/> -->'],
  ['a stray closer', '</esi:try>'],
  ['an include written with spaces and no slash', '<esi:include\n src = "/fragments/late-y" >'],
  ['an include in single quotes', "<esi:include src='/fragments/late-z'/>"],
] as const;

it.each(BREAKS)('takes runs of skipped includes alike on every search port around %s', async (_case, breaker) => {
  const template = `${FILLER}${RUN(0, 70)}${breaker}${RUN(70, 70)}<b>end</b>`;
  const results = await onEveryPort([template]);
  expectAlike(results);
  expect(results[0]!.html).toContain('<p>139</p><b>end</b>');
});

it('keeps the text around skipped includes and counts them against the element cap', async () => {
  const skipped = MAX_ESI_ELEMENTS - (MAX_REPORTED_INCLUDES + 10);
  const template = `${FILLER}${RUN(0, skipped)}${RUN(skipped, 5)}<b>end</b>`;
  for (const result of await onEveryPort([template])) {
    expect(result.html).toBe(`N0N1${Array.from({ length: skipped + 5 }, (_, i) => `<p>${i}</p>`).join('')}<b>end</b>`);
    expect(result.report.elementsDropped).toBe(5);
    expect(result.report.fragments).toHaveLength(MAX_REPORTED_INCLUDES);
  }
});

it('gives the same bytes on every search port with the template cut at every point of a run', async () => {
  const tail = `${RUN(0, 40)}<esi:include src="/fragments/n1"/>${RUN(40, 3)}`;
  const at = FILLER.length + tail.indexOf('<p>31</p>');
  const template = FILLER + tail;
  for (let cut = at; cut <= at + 120; cut++) expectAlike(await onEveryPort([template.slice(0, cut), template.slice(cut)]));
});

it('keeps windows-1252 bytes between skipped includes byte for byte on every search port', async () => {
  const include = (i: number): Uint8Array => encoder.encode(`<esi:include src="/fragments/late${i}"/>`);
  // 0x80 (€) and 0x9F (Ÿ): the one-unit-per-byte view reads them as characters beyond U+00FF.
  const tail = [0x31, 0x80, ...include(0), 0x9f, 0x32, ...include(1), 0x33, ...Array.from({ length: 40 }, (_, i) => [...include(i + 2), 0x34]).flat()];
  const expected = [...encoder.encode('N0N1'), 0x31, 0x80, 0x9f, 0x32, 0x33, ...Array.from({ length: 40 }, () => 0x34)];
  for (const result of await onEveryPort([encoder.encode(FILLER), Uint8Array.from(tail)])) expect([...result.bytes]).toEqual(expected);
});

/** Runs whose text is not ASCII, and includes in single quotes: the shapes runs take since they keep text as ranges. */
const SHAPES = [
  ['UTF-8 text', (i: number) => encoder.encode(`<p>é${i}€</p><esi:include src="/fragments/late${i}"/>`)],
  ['windows-1252 and invalid UTF-8 bytes', (i: number) => Uint8Array.from([0x80, 0x9f, 0xff, 0xc3, ...encoder.encode(`${i}<esi:include src="/fragments/late${i}"/>`)])],
  ['includes in single quotes', (i: number) => encoder.encode(`<p>${i}</p><esi:include src='/fragments/late${i}'/>`)],
] as const;

const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

it.each(SHAPES)('gives the same bytes on every search port for runs of %s, the template cut at every point of a run', async (_shape, element) => {
  const elements = Array.from({ length: 40 }, (_, i) => element(i));
  const template = concat([encoder.encode(FILLER), ...elements, encoder.encode('<b>end</b>')]);
  const at = FILLER.length + elements.slice(0, 31).reduce((sum, part) => sum + part.length, 0);
  for (let cut = at; cut <= at + 2 * elements[31]!.length + 1; cut++) {
    const results = await onEveryPort([template.subarray(0, cut), template.subarray(cut)]);
    expectAlike(results);
    expect(results[0]!.report.fragments).toHaveLength(MAX_REPORTED_INCLUDES);
  }
});

it.each(SHAPES)('gives the same bytes on every search port for %s past the element cap, the template cut at every point of a run', async (_shape, element) => {
  const elements = Array.from({ length: MAX_ESI_ELEMENTS + 40 }, (_, i) => element(i));
  const template = concat([...elements, encoder.encode('<b>end</b>')]);
  const at = elements.slice(0, MAX_ESI_ELEMENTS + 3).reduce((sum, part) => sum + part.length, 0);
  for (let cut = at; cut <= at + elements[0]!.length + 1; cut++) {
    const results = await onEveryPort([template.subarray(0, cut), template.subarray(cut)]);
    expectAlike(results);
    expect(results[0]!.report.elementsDropped).toBe(40);
  }
});

it('takes a run of plain includes many per match, stopping at the first one not taken and keeping the text before it', () => {
  const chars = `${RUN(0, 100)}<p>x</p><esi:include src="/fragments/stop"/>${RUN(100, 5)}`;
  const asked: string[] = [];
  const run = includeRun(chars, 0, MAX_ESI_ELEMENTS, (srcs) => {
    asked.push(...srcs);
    return !srcs.includes('/fragments/stop');
  });
  expect(run.count).toBe(100);
  expect(run.end).toBe(chars.indexOf('<esi:include src="/fragments/stop"/>'));
  expect(decoder.decode(run.text!)).toBe(`${Array.from({ length: 100 }, (_, i) => `<p>${i}</p>`).join('')}<p>x</p>`);
  // Whole matches are asked about once each: far fewer questions than includes.
  expect(asked.length).toBeLessThan(200);
});

it('takes no more includes than the room left under the element cap', () => {
  const run = includeRun(RUN(0, 100), 0, 40, () => true);
  expect(run.count).toBe(40);
  expect(run.end).toBe(RUN(0, 40).length);
});

it('drops any complete tag past the cap with its text kept, counting opening tags only', () => {
  const chars = `${'a<esi:include src="/x"/>b</esi:try>'.repeat(50)}c<esi:include src="/y`;
  const run = dropRun(chars, 0);
  expect(run.count).toBe(50);
  expect(run.end).toBe(chars.length - 'c<esi:include src="/y'.length);
  expect(decoder.decode(run.text!)).toBe('ab'.repeat(50));
});

it('keeps text that is not ASCII as ranges of the chunk, for the bytes to go out as they came', () => {
  // One unit per byte: 'é' and '\u201a' stand for the bytes 0xE9 and 0x82 of a latin1 view.
  const chars = `é<esi:include src="/x"/>ab<esi:include src='/y'/>\u201a</esi:try>`;
  expect(dropRun(chars, 0)).toEqual({ end: chars.length, text: null, ranges: [0, 1, 24, 26, 49, 50], count: 2 });
  const taken = includeRun(chars, 0, MAX_ESI_ELEMENTS, () => true);
  // The text after the last include goes to the ordinary scan.
  expect(taken).toEqual({ end: chars.indexOf('\u201a'), text: null, ranges: [0, 1, 24, 26], count: 2 });
});

/** A run's kept text: its ASCII text, then its ranges of `chars`. */
const keptText = (run: ReturnType<typeof dropRun>, chars: string): string =>
  (run.text === null ? '' : decoder.decode(run.text)) + (run.ranges ?? []).map((at, i, all) => (i % 2 === 0 ? chars.slice(at, all[i + 1]) : '')).join('');

it.each([
  ['ASCII', (i: number) => `<p>${i}</p>`],
  ['not ASCII', (i: number) => `<p>é${i}</p>`],
  ['ASCII, then not from the 40th', (i: number) => (i < 40 ? `<p>${i}</p>` : `<p>\u201a${i}</p>`)],
  ['ASCII, then not from the 300th', (i: number) => (i < 300 ? `<p>${i}</p>` : `<p>\u201a${i}</p>`)],
  ['not ASCII only in the 333rd', (i: number) => (i === 333 ? `<p>é${i}</p>` : `<p>${i}</p>`)],
  ['not ASCII only in the 2,333rd (past a check in the middle of the run)', (i: number) => (i === 2333 ? `<p>é${i}</p>` : `<p>${i}</p>`)],
])('takes runs of many includes, and drops them past the cap, keeping text that is %s', (_case, text) => {
  const length = 2400;
  const chars = Array.from({ length }, (_, i) => `${text(i)}<esi:include src="/fragments/late${i}"/>`).join('');
  const expected = Array.from({ length }, (_, i) => text(i)).join('');
  for (const run of [includeRun(chars, 0, length, () => true), dropRun(chars, 0)]) {
    expect([run.count, run.end]).toEqual([length, chars.length]);
    expect(keptText(run, chars)).toBe(expected);
  }
});
