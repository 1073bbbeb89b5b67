/**
 * The assembled-page tier through the real stack: a page is shared by every visitor whose values
 * of the variables it reads are equal (its ranked recommendations ranked again for each), never
 * when it reads a visitor's id, and a purge of any part drops it.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';
import { loadManifest } from '../../src/local-platform/manifest.ts';
import { signedVid } from '../../src/local-platform/signed-visitor.ts';

const stack = useLocalStack();
const manifest = loadManifest('fastly.toml');
const IPHONE = [...manifest.deviceDetection.keys()].find((ua) => ua.includes('iPhone')) ?? '';

async function view(path: string, headers: Record<string, string> = {}): Promise<{ cache: string; html: string }> {
  const response = await fetch(stack.url(path), { headers });
  const html = await response.text();
  await stack.edge.settled();
  const cache = /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? '';
  return { cache, html };
}

describe('assembled-page cache', () => {
  it('serves a second anonymous visitor the stored page without asking any origin', async () => {
    const path = '/category/running?pc=shared';
    expect((await view(path)).cache).toBe('MISS');
    const fragmentsBefore = stack.origin.requests.count('fragments');
    const second = await view(path, { 'sec-gpc': '1' });
    expect(second.cache).toBe('HIT');
    expect(second.html).toContain('</html>');
    expect(stack.origin.requests.count('templates', path)).toBe(1);
    expect(stack.origin.requests.count('fragments')).toBe(fragmentsBefore);
  });

  it('keeps a separate copy for a value of a variable the page reads (the layout reads the device)', async () => {
    const path = '/category/running?pc=device';
    await view(path);
    expect((await view(path, { 'user-agent': IPHONE })).cache).toBe('MISS');
    expect((await view(path, { 'user-agent': IPHONE })).cache).toBe('HIT');
  });

  it('stores a page whose recommendations were ranked for a visitor with the ranking left out, serves it to the next visitors, and shows no visitor id', async () => {
    const pages = [];
    const before = stack.events().length;
    for (const id of ['u00011', 'u00012', 'u00011']) {
      const cookie = `consent=personalization; vid=${await signedVid(manifest, id)}`;
      pages.push({ id, ...(await view('/?pc=visitor', { cookie })) });
    }
    // The copy holds holes, not u00011's ranking: each hit ranks the candidates for its own visitor (page-holes.ts).
    expect(pages.map((p) => p.cache)).toEqual(['MISS', 'HIT', 'HIT']);
    // The debug header and the decision event come from the one page run: they say the same.
    expect(stack.events().slice(before).map((event) => event.pageCache)).toEqual(pages.map((p) => p.cache));
    for (const page of pages) expect(page.html).not.toMatch(/u0001[12]/);
    for (const page of pages) expect(page.html).toContain('recs-block--ranked');
  });

  it.each([
    { name: 'an anonymous visitor (stored, then served)', cookie: () => Promise.resolve('') },
    { name: 'a visitor whose recommendations are ranked (stored with holes, then served)', cookie: async () => `consent=personalization; vid=${await signedVid(manifest, 'u00013')}` },
  ])('reports the same page-cache state in the debug header and the decision event for $name', async ({ cookie }) => {
    for (let i = 0; i < 2; i++) {
      const before = stack.events().length;
      const value = await cookie();
      const page = await view('/?pc=agree', value ? { cookie: value } : {});
      const events = stack.events().slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]?.pageCache).toBe(page.cache);
    }
  });

  it('drops a stored page when one of its fragments is purged by surrogate key', async () => {
    const path = '/category/outdoor?pc=purge';
    await view(path);
    expect((await view(path)).cache).toBe('HIT');
    await stack.edge.purge('recs-candidates');
    expect((await view(path)).cache).toBe('MISS');
  });
});
