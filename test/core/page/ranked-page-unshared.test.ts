/**
 * Pages with a ranked include that are never stored, holes or not: one that also shows the visitor's
 * id (`$(VISITOR)` in a vars block, before or after the hole, or in an include's src), one whose
 * ranked output is empty for its visitor (no chunk to mark the hole with), and one whose
 * ranking failed for its visitor (a failure that may not happen for another visitor's signals is
 * transient: a compact document whose offsets decrease only for an item that visitor's ranking
 * copies). The latter neither replaces the copy with holes another visitor stored nor stands in for
 * the pages of visitors whose ranking works.
 */
import { describe, expect, it, vi } from 'vitest';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../../src/core/recs/compact-format.ts';
import { DOC } from '../recs/recs-fixtures.ts';
import { blocks, site, view } from './ranked-page-kit.ts';

const RANKED = '<esi:include src="/fragments/recs/candidates?seg=$(SEGMENT)" rank="visitor" count="3"/>';

describe('a page ranked for a visitor that shows the visitor id', () => {
  it.each([
    ['in a vars block before the hole', `<p><esi:vars>$(VISITOR)</esi:vars></p>${RANKED}`],
    ['in a vars block after the hole', `${RANKED}<p><esi:vars>$(VISITOR)</esi:vars></p>`],
    ["in an include's src", `${RANKED}<esi:include src="/fragments/banner?v=$(VISITOR)"/>`],
  ])('%s is not stored', async (_where, template) => {
    const deps = site('json', template);
    const inserts = vi.spyOn(deps.cache, 'insert');
    const a = await view(deps, 'visitor-a');
    expect([a.body, ...deps.calls.map((call) => call.url)].some((text) => text.includes('visitor-a'))).toBe(true);
    expect(inserts.mock.calls.filter(([, , options]) => options.meta?.includes('"contentType"'))).toEqual([]);
    const b = await view(deps, 'visitor-b');
    expect([b.cache, b.body.includes('visitor-a')]).toEqual(['MISS', false]);
  });
});

const TRIED = `<p>top</p><esi:try><esi:attempt>${RANKED}</esi:attempt><esi:except><p>no recs</p></esi:except></esi:try><p>end</p>`;

/** The demo's candidates with r2's offsets decreasing: visitor B's ranking copies r2 (and fails), visitor A's does not. */
function brokenForB(): Response {
  const text = new TextDecoder().decode(renderCompactDocument(DOC.before, DOC.after, DOC.items));
  const start = text.indexOf('\n') + 1;
  const head = JSON.parse(text.slice(start, text.indexOf('\n', start))) as { offsets: number[] };
  const offsets = JSON.stringify(head.offsets);
  head.offsets[2] = head.offsets[1]! - 1;
  const broken = text.replace(offsets, JSON.stringify(head.offsets).padEnd(offsets.length, ' '));
  return new Response(new TextEncoder().encode(broken), { headers: { 'content-type': COMPACT_CANDIDATES_TYPE, 'cache-control': 'max-age=60' } });
}

const brokenSite = () => site('compact', TRIED, undefined, { candidates: brokenForB });

describe('a ranking that fails for one visitor only', () => {
  it('ranks for visitor A and fails for visitor B (the fixture)', async () => {
    expect(blocks((await view(brokenSite(), 'visitor-a')).body)).toHaveLength(1);
    expect((await view(brokenSite(), 'visitor-b')).body).toContain('no recs');
  });

  it("leaves the copy visitor A stored: B's page does not replace it, and A is served A's ranking from it", async () => {
    const deps = brokenSite();
    const first = await view(deps, 'visitor-a');
    expect((await view(deps, 'visitor-b')).body).toContain('no recs');
    const again = await view(deps, 'visitor-a');
    expect([again.cache, again.body]).toEqual(['HIT', first.body]);
  });

  it("does not store B's page for visitors whose ranking works", async () => {
    const deps = brokenSite();
    await view(deps, 'visitor-b');
    const a = await view(deps, 'visitor-a');
    expect([a.cache, blocks(a.body).length]).toEqual(['MISS', 1]);
  });
});

/** One outdoor item and no markup around it: visitor A has seen o1 (an empty ranking), visitor B has not. */
const ONLY_O1 = { before: '', after: '', items: [{ id: 'o1', category: 'outdoor', score: 0.5, html: '<li>o1</li>' }] };

describe('a ranked output that is empty for its visitor', () => {
  it("leaves the page unshared: visitor B is not served A's page without the hole", async () => {
    const deps = site('json', `<p>top</p>${RANKED}<p>end</p>`, undefined, { candidates: () => Response.json(ONLY_O1, { headers: { 'cache-control': 'max-age=60' } }) });
    const a = await view(deps, 'visitor-a');
    expect(a.body).toBe('<p>top</p><p>end</p>');
    const b = await view(deps, 'visitor-b');
    expect([b.cache, b.body]).toEqual(['MISS', '<p>top</p><li>o1</li><p>end</p>']);
  });
});
