/**
 * Bounded work whatever the template holds: at most MAX_ESI_ELEMENTS opening tags are processed
 * per page, the rest are dropped (their text kept) and counted in the report, on both search
 * ports; and a page's problems are one summary line, not one line per malformed element.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ESI_ELEMENTS, MAX_TAG_BYTES } from '../../../src/core/esi/esi-limits.ts';
import { assemble, encoder, fakeFetcher, VIEWS } from './esi-test-kit.ts';

const COMMENTS = (count: number): string => '<esi:comment text="c"/>'.repeat(count);

describe.each(VIEWS)('with %s', (_name, views) => {
  it('drops include tags past the cap, keeps the text between them and reports how many', async () => {
    const template = Array.from({ length: MAX_ESI_ELEMENTS + 500 }, (_, i) => `${i % 10}<esi:include src="/fragments/a"/>`).join('') + 'end';
    const { html, report } = await assemble([template.slice(0, 7_000), template.slice(7_000)], fakeFetcher({ '/fragments/a': 'A' }), { views });
    const digits = Array.from({ length: MAX_ESI_ELEMENTS + 500 }, (_, i) => `${i % 10}`).join('');
    // Under load a late include may time out against the page deadline; only its bytes can go.
    expect(html.replaceAll('A', '')).toBe(`${digits}end`);
    expect(html.endsWith(`${digits.slice(MAX_ESI_ELEMENTS)}end`)).toBe(true);
    expect(report.elementsDropped).toBe(500);
  });

  it('still closes a block opened before the cap', async () => {
    const template = `${COMMENTS(MAX_ESI_ELEMENTS - 1)}<esi:remove>hidden${COMMENTS(3)}hidden</esi:remove>shown`;
    const { html, report } = await assemble(template, fakeFetcher({}), { views });
    expect(html).toBe('shown');
    expect(report.elementsDropped).toBe(3);
  });

  it('passes the content of a block dropped past the cap through unprocessed', async () => {
    const template = `${COMMENTS(MAX_ESI_ELEMENTS)}<esi:vars>$(SEGMENT)</esi:vars><esi:remove>kept</esi:remove>`;
    const { html, report } = await assemble(template, fakeFetcher({}), { views });
    expect(html).toBe('$(SEGMENT)kept');
    expect(report.elementsDropped).toBe(2);
  });

  it('tells elements dropped past the cap when they are the only problem (no tally made before the report)', async () => {
    const { problems } = await assemble(COMMENTS(MAX_ESI_ELEMENTS + 2), fakeFetcher({}), { views });
    expect(problems).toEqual([`2 problems: esi elements past the first ${MAX_ESI_ELEMENTS} dropped ×2`]);
  });

  it('reports a page of 400-deep nesting and stray closers as one summary line', async () => {
    const template = '<esi:try><esi:attempt>'.repeat(400) + '</esi:choose>'.repeat(300) + '<esi:bogus/>'.repeat(2) + COMMENTS(200);
    const { problems, report } = await assemble(template, fakeFetcher({}), { views });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\d+ problems: /);
    expect(problems[0]).toContain('stray closing tag dropped ×300');
    expect(problems[0]).toContain('unknown esi element dropped ×2');
    expect(problems[0]).toContain(`esi elements past the first ${MAX_ESI_ELEMENTS} dropped ×2`);
    expect(report.elementsDropped).toBe(2);
  });

  it('reports nothing for a well-formed page', async () => {
    const { problems, report } = await assemble('<esi:include src="/fragments/a"/>', fakeFetcher({ '/fragments/a': 'A' }), { views });
    expect(problems).toEqual([]);
    expect(report.elementsDropped).toBe(0);
  });
});

it('gives the same output past the cap on both search ports, split at every boundary of the tail', async () => {
  const tail = 'a<esi:include src="/x" alt=\'>\'/>b</esi:vars><!--esi c<esi:comment text="-->"/> -->d<esi:x>e<esi:include src="';
  const head = COMMENTS(MAX_ESI_ELEMENTS);
  for (let cut = 0; cut <= tail.length; cut++) {
    const chunks = [head + tail.slice(0, cut), tail.slice(cut)];
    const [bytes, latin1] = await Promise.all(VIEWS.map(([, views]) => assemble(chunks, fakeFetcher({}), { views })));
    expect(latin1?.html).toBe(bytes?.html);
    expect(latin1?.report.elementsDropped).toBe(bytes?.report.elementsDropped);
  }
  const whole = await assemble([head + tail], fakeFetcher({}));
  expect(whole.html).toBe('ab c de<esi:include src="');
});

const TAILS = [
  ['ASCII text between tags', '1<esi:include src="/x"/>2</esi:try>3<esi:include src="/y" alt=\'>\'/>4'],
  ['text that is not ASCII', 'é<esi:include src="/x"/>€<esi:comment text="ü"/>ß'],
  ['a bare construct mid-way', '1<esi:include src="/x"/>2<esi:3<esi:include src="/y"/>4'],
  ['a tag holding another in quotes', '1<esi:include src="<esi:include src=\'/z\'/>"/>2<esi:include src="/y"/>3'],
  ['an oversized tag', `1<esi:include src="/x"/>2<esi:include src="${'v'.repeat(MAX_TAG_BYTES)}"/>3<esi:include src="/y"/>4`],
] as const;

it.each(TAILS)('drops tags past the cap alike on both search ports with %s, split at every boundary', async (_case, tail) => {
  const head = COMMENTS(MAX_ESI_ELEMENTS);
  const cuts = tail.length > 200 ? [0, 1, 30, tail.length - 30, tail.length] : Array.from({ length: tail.length + 1 }, (_, cut) => cut);
  for (const cut of cuts) {
    const chunks = [head + tail.slice(0, cut), tail.slice(cut)];
    const [bytes, latin1] = await Promise.all(VIEWS.map(([, views]) => assemble(chunks, fakeFetcher({}), { views })));
    expect(latin1?.html).toBe(bytes?.html);
    expect(latin1?.report.elementsDropped).toBe(bytes?.report.elementsDropped);
  }
});

it('keeps windows-1252 bytes between tags dropped past the cap byte for byte on both search ports', async () => {
  const head = encoder.encode(COMMENTS(MAX_ESI_ELEMENTS));
  // 0x80 (€) and 0x9F (Ÿ): the Latin-1 view reads them as characters beyond U+00FF.
  const tail = Uint8Array.from([0x31, 0x80, ...encoder.encode('<esi:include src="/x"/>'), 0x9f, 0x32, ...encoder.encode('<esi:include src="/y"/>'), 0x33]);
  const expected = Uint8Array.from([0x31, 0x80, 0x9f, 0x32, 0x33]);
  for (const [, views] of VIEWS) {
    const { bytes, report } = await assemble([head, tail], fakeFetcher({}), { views });
    expect([...bytes]).toEqual([...expected]);
    expect(report.elementsDropped).toBe(2);
  }
});
