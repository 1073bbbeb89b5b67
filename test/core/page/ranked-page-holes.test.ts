/**
 * A page whose only per-visitor parts are ranked includes is stored with holes (page-holes.ts):
 * a hit ranks each hole for its own visitor, giving the bytes a fresh assembly would give that
 * visitor, and the stored entry holds nothing of the visitor whose request stored it. Visitors
 * without signals (`$(RANKING)` empty) keep their own copy, the segment order stored as it is.
 */
import { describe, expect, it, vi } from 'vitest';
import { blocks, fresh, site, view, type DocKind } from './ranked-page-kit.ts';

describe.each<DocKind>(['json', 'compact'])('a page with ranked includes, stored with holes (%s candidates)', (kind) => {
  it('serves another visitor with signals the bytes a fresh assembly gives them, from the copy visitor A stored', async () => {
    const deps = site(kind);
    const stored = await view(deps, 'visitor-a');
    expect(stored.cache).toBe('MISS');
    const hit = await view(deps, 'visitor-b');
    expect(hit.cache).toBe('HIT');
    expect(hit.body).toBe(await fresh(kind, 'visitor-b'));
    expect(blocks(hit.body)).not.toEqual(blocks(stored.body));
    // The candidates and the banner, fetched once for A's assembly: the hit ranks the stored document.
    expect(deps.calls.filter((call) => call.backend === 'fragments')).toHaveLength(2);
    // B's profile came from the store (a first visit): the template was fetched beside that call and
    // discarded; with B's profile in the edge cache, none is (template-beside-profile.test.ts).
    expect(deps.calls.filter((call) => call.backend === 'templates')).toHaveLength(2);
  });

  it('keeps visitors without signals (no consent, or no profile) on a copy of their own in the segment order, with no holes', async () => {
    const deps = site(kind);
    const inserts = vi.spyOn(deps.cache, 'insert');
    await view(deps, 'visitor-a');
    const anonymous = await view(deps, null);
    const unknown = await view(deps, 'visitor-unknown');
    expect([anonymous.cache, unknown.cache]).toEqual(['MISS', 'HIT']);
    expect(anonymous.body).toBe(await fresh(kind, null));
    expect(unknown.body).toBe(anonymous.body);
    const pages = inserts.mock.calls.filter(([, , options]) => options.meta?.includes('"contentType"')).map(([, , options]) => options.meta?.includes('"holed"'));
    expect(pages).toEqual([true, false]);
  });

  it("gives visitor A, served from B's copy, A's own ranking", async () => {
    const deps = site(kind);
    await view(deps, 'visitor-b');
    const hit = await view(deps, 'visitor-a');
    expect(hit.cache).toBe('HIT');
    expect(hit.body).toBe(await fresh(kind, 'visitor-a'));
  });

  it("stores nothing of visitor A's ranking: B's page holds B's ranking, and neither B's nor an anonymous visitor's holds A's order-specific blocks", async () => {
    const deps = site(kind);
    const inserts = vi.spyOn(deps.cache, 'insert');
    const a = await view(deps, 'visitor-a');
    const b = await view(deps, 'visitor-b');
    const anonymous = await view(deps, null);
    expect([b.cache, anonymous.cache]).toEqual(['HIT', 'MISS']);
    const aBlocks = blocks(a.body);
    expect(aBlocks).toHaveLength(2);
    expect(blocks(b.body)).toEqual(blocks(await fresh(kind, 'visitor-b')));
    for (const block of aBlocks) {
      expect(b.body).not.toContain(block);
      expect(anonymous.body).not.toContain(block);
    }
    // The entry itself: the page's bytes without any ranked block, then the candidate documents.
    const page = inserts.mock.calls.find(([, , options]) => options.meta?.includes('"holed"'));
    const entry = new TextDecoder().decode(page?.[1]);
    for (const block of aBlocks) expect(entry).not.toContain(block);
    expect(entry).not.toContain('visitor-a');
  });
});
