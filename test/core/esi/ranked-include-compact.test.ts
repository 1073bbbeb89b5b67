import { describe, expect, it } from 'vitest';
import { assemble, fakeFetcher } from './esi-test-kit.ts';
import { DOC, signals } from '../recs/recs-fixtures.ts';
import { BAD_COMPACT } from '../recs/compact-fixtures.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../../src/core/recs/compact-format.ts';
import { CANDIDATES_ACCEPT, CANDIDATE_TYPES } from '../../../src/core/esi/ranked-include.ts';
import type { FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';

const SRC = '/fragments/recs/candidates?seg=runner';
const ranked = (attributes: string): string => `<p>before</p><esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" ${attributes}/><p>after</p>`;
const outdoorVisitor = { signals: signals({ sessionCategories: ['outdoor'] }) };

function served(body: Uint8Array | string, mediaType = COMPACT_CANDIDATES_TYPE): FragmentResult {
  return { ok: true, body: typeof body === 'string' ? new TextEncoder().encode(body) : body, cache: 'MISS', ttlMs: 60_000, surrogateKeys: [], mediaType };
}

const COMPACT = served(renderCompactDocument(DOC.before, DOC.after, DOC.items));

describe('ranked includes of a compact candidate document', () => {
  it('asks for the compact document first and takes JSON as the fallback type', () => {
    expect(CANDIDATES_ACCEPT).toBe('application/vnd.edge-recs.compact, application/json;q=0.9');
    expect(CANDIDATE_TYPES).toEqual([COMPACT_CANDIDATES_TYPE, 'application/json']);
  });

  it.each([
    { name: 'without signals', vars: { signals: null }, attributes: 'count="3"', expected: '<li data-item="r1">r1</li><li data-item="r2">r2</li><li data-item="s1">s1</li>' },
    { name: 'for an outdoor visitor', vars: outdoorVisitor, attributes: 'count="2"', expected: '<li data-item="o1">o1</li><li data-item="o2">o2</li>' },
    { name: 'with exclusions', vars: { signals: null }, attributes: 'count="3" exclude="r1 s1"', expected: '<li data-item="r2">r2</li><li data-item="r3">r3</li><li data-item="s2">s2</li>' },
  ])('renders the same block as the JSON document $name', async ({ vars, attributes, expected }) => {
    const fromCompact = await assemble(ranked(attributes), fakeFetcher({ [SRC]: COMPACT }), { vars });
    const fromJson = await assemble(ranked(attributes), fakeFetcher({ [SRC]: JSON.stringify(DOC) }), { vars });
    expect(fromCompact.html).toBe(`<p>before</p><ul class="recs">${expected}</ul><p>after</p>`);
    expect(fromCompact.html).toBe(fromJson.html);
    expect(fromCompact.report.perVisitor).toBe(fromJson.report.perVisitor);
  });

  it('never processes ESI inside the items of a compact document', async () => {
    const items = [{ id: 'x', category: 'c', score: 1, html: '<esi:include src="/fragments/secret"/>$(SEGMENT)' }];
    const fetcher = fakeFetcher({ [SRC]: served(renderCompactDocument('<ul data-s="$(SEGMENT)">', '</ul>', items)), '/fragments/secret': 'SECRET' });
    const { html } = await assemble(ranked('count="1"'), fetcher, { vars: outdoorVisitor });
    expect(html).toContain('<ul data-s="$(SEGMENT)"><esi:include src="/fragments/secret"/>$(SEGMENT)</ul>');
    expect(fetcher.calls).toHaveLength(1);
  });

  it('reads a JSON document served as the compact type as a malformed compact document', async () => {
    const template = `<esi:try><esi:attempt>${ranked('count="2"')}</esi:attempt><esi:except>fallback</esi:except></esi:try>`;
    const { html } = await assemble(template, fakeFetcher({ [SRC]: served(JSON.stringify(DOC)) }), { vars: outdoorVisitor });
    expect(html).toBe('fallback');
  });

  it.each(BAD_COMPACT)('falls back to the except branch when the compact document is $name', async ({ body }) => {
    const template = `<esi:try><esi:attempt>${ranked('count="2"')}</esi:attempt><esi:except>fallback</esi:except></esi:try>`;
    const { html, problems } = await assemble(template, fakeFetcher({ [SRC]: served(body) }), { vars: outdoorVisitor });
    expect(html).toBe('fallback');
    expect(problems.join()).toContain('ranked include failed: compact candidate document');
  });

  it.each(BAD_COMPACT)('tries the alt when the compact document is $name', async ({ body }) => {
    const template = '<esi:include src="/fragments/bad" alt="/fragments/recs/candidates?seg=runner" rank="visitor" count="1"/>';
    const { html } = await assemble(template, fakeFetcher({ '/fragments/bad': served(body), [SRC]: COMPACT }), { vars: outdoorVisitor });
    expect(html).toBe('<ul class="recs"><li data-item="o1">o1</li></ul>');
  });
});
