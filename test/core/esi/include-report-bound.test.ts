/**
 * The assembly report keeps a bounded number of include entries, so a template with thousands of
 * include tags cannot make the decision event (and its serializer) grow without bound.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_INCLUDES } from '../../../src/core/esi/esi-limits.ts';
import { assemble, fakeFetcher, SETTINGS, VIEWS } from './esi-test-kit.ts';

describe('include report bound', () => {
  it.each([
    { includes: 10, reported: 10 },
    { includes: MAX_REPORTED_INCLUDES, reported: MAX_REPORTED_INCLUDES },
    { includes: 5_000, reported: MAX_REPORTED_INCLUDES },
  ])('reports $reported entries for $includes include tags', async ({ includes, reported }) => {
    const template = Array.from({ length: includes }, (_, i) => `<esi:include src="/fragments/n${i}"/>`).join('');
    const { report } = await assemble(template, fakeFetcher({}));
    expect(report.fragments).toHaveLength(reported);
  });

  it('keeps the entries of the first includes in document order', async () => {
    const template = Array.from({ length: 200 }, (_, i) => `<esi:include src="/fragments/n${i}"/>`).join('');
    const { report } = await assemble(template, fakeFetcher({}));
    expect(report.fragments.slice(0, 3).map((f) => f.src)).toEqual(['/fragments/n0', '/fragments/n1', '/fragments/n2']);
  });
});

describe('includes past the report bound and the fetch cap', () => {
  /** Enough distinct includes to fill the fetch cap and the report, then the cases under test. */
  const filler = Array.from({ length: MAX_REPORTED_INCLUDES + 10 }, (_, i) => `<esi:include src="/fragments/n${i}" onerror="continue"/>`).join('');

  it.each([
    { name: 'a plain path fetched earlier shares its fetch', tail: '[<esi:include src="/fragments/n0"/>]', html: '[N0]' },
    { name: 'an absolute URL of a path fetched earlier shares its fetch', tail: '[<esi:include src="https://www.example.com/fragments/n1"/>]', html: '[N1]' },
    { name: 'a plain path nobody fetched is skipped and fails its try', tail: '<esi:try><esi:attempt>[<esi:include src="/fragments/late"/>]</esi:attempt><esi:except>EXCEPT</esi:except></esi:try>', html: 'EXCEPT' },
    { name: 'a skipped include with onerror="continue" keeps its attempt', tail: '<esi:try><esi:attempt>[<esi:include src="/fragments/late" onerror="continue"/>]</esi:attempt><esi:except>EXCEPT</esi:except></esi:try>', html: '[]' },
    { name: 'a refused source is still refused and fails its try', tail: '<esi:try><esi:attempt><esi:include src="http://127.0.0.1/x"/></esi:attempt><esi:except>EXCEPT</esi:except></esi:try>', html: 'EXCEPT' },
  ])('$name', async ({ tail, html }) => {
    const fetcher = fakeFetcher({ '/fragments/n0': 'N0', '/fragments/n1': 'N1', '/fragments/late': 'LATE' });
    const { html: out, report } = await assemble(`${filler}${tail}`, fetcher);
    expect(out.endsWith(html)).toBe(true);
    expect(report.fetches).toBe(SETTINGS.maxIncludes);
    expect(fetcher.calls.some((call) => call.url.pathname === '/fragments/late')).toBe(false);
  });
});

describe.each(VIEWS)('includes skipped at the root past the report bound (%s views)', (_name, views) => {
  const filler = Array.from({ length: MAX_REPORTED_INCLUDES + 10 }, (_, i) => `<esi:include src="/fragments/n${i}" onerror="continue"/>`).join('');

  it('keeps the text around them byte for byte, in one piece or many', async () => {
    const skipped = Array.from({ length: 50 }, (_, i) => `<p>${i}</p><esi:include src="/fragments/late${i}"/>`).join('');
    const { html } = await assemble(`${filler}${skipped}<b>end</b>`, fakeFetcher({}), { views });
    expect(html).toBe(`${Array.from({ length: 50 }, (_, i) => `<p>${i}</p>`).join('')}<b>end</b>`);
  });

  it("tells the problem of an include past the bound once, skipped or not", async () => {
    const { problems } = await assemble(`${filler}<esi:include src="/fragments/late" timeout="soon"/><esi:include src="/fragments/n0" timeout="soon"/>`, fakeFetcher({}), { views });
    // The page's one problem line counts each kind: `… ignored ×2`.
    expect(problems.join('\n')).toMatch(/timeout is not a number of milliseconds: ignored ×2\b/);
  });
});
