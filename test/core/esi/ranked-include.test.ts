import { describe, expect, it } from 'vitest';
import { assemble, fakeFetcher } from './esi-test-kit.ts';
import { DOC, item, signals } from '../recs/recs-fixtures.ts';
import { MAX_CANDIDATE_BYTES } from '../../../src/core/recs/candidate-document.ts';

const CANDIDATES = JSON.stringify(DOC);
const SRC = '/fragments/recs/candidates?seg=runner';
const ranked = (attributes: string): string => `<p>before</p><esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" ${attributes}/><p>after</p>`;
const outdoorVisitor = { signals: signals({ sessionCategories: ['outdoor'] }) };
const items = (n: number) => Array.from({ length: n }, (_, index) => item(`i${index}`, `c${index}`, 1 - index / 1000));

/** Candidate documents the include must treat as a failure, whatever the visitor. */
const BAD_DOCUMENTS = [
  { name: 'not JSON', body: '<ul><li>old html</li></ul>' },
  { name: 'of the wrong shape', body: JSON.stringify({ items: 'no' }) },
  { name: 'an item of the wrong shape', body: JSON.stringify({ before: '', after: '', items: [{ id: 'x', category: 'c', score: 'high', html: '' }] }) },
  { name: 'over 200 items', body: JSON.stringify({ before: '', after: '', items: items(201) }) },
  { name: 'over 256 KiB', body: JSON.stringify({ before: 'x'.repeat(MAX_CANDIDATE_BYTES), after: '', items: [] }) },
];

describe('ranked includes', () => {
  it('inserts the segment order without signals and keeps the page shareable', async () => {
    const { html, report } = await assemble(ranked('count="3"'), fakeFetcher({ [SRC]: CANDIDATES }), { vars: { signals: null } });
    expect(html).toBe('<p>before</p><ul class="recs"><li data-item="r1">r1</li><li data-item="r2">r2</li><li data-item="s1">s1</li></ul><p>after</p>');
    expect(report.perVisitor).toBe(false);
    expect(report.variables).toContain('RANKING');
  });

  it('re-ranks for a visitor whose session is in outdoor, and keeps the page shareable (its output is a hole)', async () => {
    const fetcher = fakeFetcher({ [SRC]: CANDIDATES });
    const { html, report } = await assemble(ranked('count="2"'), fetcher, { vars: outdoorVisitor });
    expect(html).toContain('<ul class="recs"><li data-item="o1">o1</li><li data-item="o2">o2</li></ul>');
    // Shareable: its ranked output is a hole in the stored copy (page-holes.ts), keyed apart from pages without signals.
    expect(report.perVisitor).toBe(false);
    expect(report.variables).toContain('RANKING');
    expect(fetcher.calls.map((call) => call.perVisitor)).toEqual([false]);
  });

  it('drops the items in exclude, whitespace or comma separated, and the per-category cap applies', async () => {
    const { html } = await assemble(ranked('count="4" exclude="r1, s1 nope"'), fakeFetcher({ [SRC]: CANDIDATES }), { vars: { signals: null }, settings: { recsMaxPerCategory: 1 } });
    expect(html).toContain('<li data-item="r2">r2</li><li data-item="s2">s2</li><li data-item="o1">o1</li><li data-item="j1">j1</li>');
  });

  it.each(BAD_DOCUMENTS)('falls back to the except branch when the candidate document is $name', async ({ body }) => {
    const template = `<esi:try><esi:attempt>${ranked('count="2"')}</esi:attempt><esi:except>fallback</esi:except></esi:try>`;
    const { html, problems } = await assemble(template, fakeFetcher({ [SRC]: body }), { vars: outdoorVisitor });
    expect(html).toBe('fallback');
    expect(problems.join()).toContain('ranked include failed');
  });

  it.each(BAD_DOCUMENTS)('tries the alt when the candidate document is $name', async ({ body }) => {
    const template = '<esi:include src="/fragments/bad" alt="/fragments/recs/candidates?seg=runner" rank="visitor" count="1"/>';
    const { html } = await assemble(template, fakeFetcher({ '/fragments/bad': body, [SRC]: CANDIDATES }), { vars: outdoorVisitor });
    expect(html).toBe('<ul class="recs"><li data-item="o1">o1</li></ul>');
  });

  it('fails the include, with no 5xx-worthy throw, when both src and alt are bad and there is no try', async () => {
    const template = '<p>a</p><esi:include src="/fragments/bad" alt="/fragments/bad2" rank="visitor" onerror="continue"/><p>b</p>';
    const { html } = await assemble(template, fakeFetcher({ '/fragments/bad': 'nope', '/fragments/bad2': JSON.stringify({ before: 1 }) }), { vars: outdoorVisitor });
    expect(html).toBe('<p>a</p><p>b</p>');
  });

  it('never processes ESI inside item html', async () => {
    const doc = { before: '', after: '', items: [{ id: 'x', category: 'c', score: 1, html: '<esi:include src="/fragments/secret"/>' }] };
    const fetcher = fakeFetcher({ [SRC]: JSON.stringify(doc), '/fragments/secret': 'SECRET' });
    const { html } = await assemble(ranked('count="1"'), fetcher, { vars: { signals: null } });
    expect(html).toContain('<esi:include src="/fragments/secret"/>');
    expect(fetcher.calls).toHaveLength(1);
  });

  it('never processes ESI variables or markup inside item html, nor in before and after', async () => {
    const doc = { before: '<ul data-s="$(SEGMENT)">', after: '<esi:comment text="x"/></ul>', items: [{ id: 'x', category: 'c', score: 1, html: '<li>$(HTTP_COOKIE{vid})<esi:vars>$(SEGMENT)</esi:vars></li>' }] };
    const { html } = await assemble(ranked('count="1"'), fakeFetcher({ [SRC]: JSON.stringify(doc) }), { vars: outdoorVisitor });
    expect(html).toContain('<ul data-s="$(SEGMENT)"><li>$(HTTP_COOKIE{vid})<esi:vars>$(SEGMENT)</esi:vars></li><esi:comment text="x"/></ul>');
  });

  it('caps a huge count at the 200 items a document may hold', async () => {
    const body = JSON.stringify({ before: '<ul>', after: '</ul>', items: items(200) });
    const { html } = await assemble(ranked('count="999999999"'), fakeFetcher({ [SRC]: body }), { vars: outdoorVisitor });
    expect(html.match(/<li /g)).toHaveLength(200);
  });

  it('ignores exclusions of ids the document does not hold', async () => {
    const { html } = await assemble(ranked('count="3" exclude="sku-9999 nope,,  r9"'), fakeFetcher({ [SRC]: CANDIDATES }), { vars: { signals: null } });
    expect(html).toBe('<p>before</p><ul class="recs"><li data-item="r1">r1</li><li data-item="r2">r2</li><li data-item="s1">s1</li></ul><p>after</p>');
  });

  it('inserts an ordinary include verbatim even when its body is JSON', async () => {
    const { html } = await assemble(`<esi:include src="${SRC}"/>`, fakeFetcher({ [SRC]: CANDIDATES }), { vars: outdoorVisitor });
    expect(html).toBe(CANDIDATES);
  });

  it.each(['count="abc"', 'count="99999999999"', ''])('treats %s as the default or a capped count without failing', async (attributes) => {
    const { html } = await assemble(ranked(attributes), fakeFetcher({ [SRC]: CANDIDATES }), { vars: { signals: null } });
    expect(html).toContain('<li data-item="r1">');
  });
});
