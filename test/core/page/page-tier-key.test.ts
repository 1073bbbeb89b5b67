/**
 * The assembled pages' tier key (README "Invalidation"): every page stored in the page cache
 * carries `edge-pages`, however many keys its template and fragments bring, and a purge of it
 * drops the page; no template or fragment carries it, even when its origin sends it.
 */
import { describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import type { EdgeCacheInsert } from '../../../src/core/ports.ts';
import { storedSurrogateKeys } from '../../../src/core/http/storage-policy.ts';
import { makeContext, makeDeps, type TestDeps } from '../../support/make-deps.ts';

const TEMPLATE = '<html><body><esi:include src="/fragments/banner"/></body></html>';
const keys = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
/** More keys than the cap on both parts, a tier's name among the origins' own. */
const TEMPLATE_KEYS = ['edge-pages', ...keys('t', 100)].join(' ');
const FRAGMENT_KEYS = ['edge-pages', 'edge-templates', ...keys('f', 100)].join(' ');

function site(): TestDeps {
  return makeDeps({
    backends: {
      templates: () => new Response(TEMPLATE, { headers: { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=60', 'surrogate-key': TEMPLATE_KEYS } }),
      fragments: () => new Response('<aside>banner</aside>', { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=60', 'surrogate-key': FRAGMENT_KEYS } }),
    },
    config: { settings: JSON.stringify({ debugHeaders: true }) },
  });
}

async function view(deps: TestDeps): Promise<string | undefined> {
  const context = makeContext();
  const response = await createHandler(deps)(new Request('https://shop.example/p'), context);
  await response.text();
  await context.settled();
  return /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1];
}

/** The first request stores the page; returns the options it was stored with. */
async function stored(deps: TestDeps): Promise<EdgeCacheInsert> {
  const inserts = vi.spyOn(deps.cache, 'insert');
  expect(await view(deps)).toBe('MISS');
  const call = inserts.mock.calls.find(([, body]) => new TextDecoder().decode(body).includes('<aside>banner</aside>'));
  inserts.mockRestore();
  expect(call).toBeDefined();
  return call![2];
}

describe('the assembled pages tier key, edge-pages', () => {
  it('is carried by a page whose template and fragment each bring the most keys kept, beside both of theirs', async () => {
    const options = await stored(site());
    const pageKeys = options.surrogateKeys ?? [];
    expect(pageKeys[0]).toBe('edge-pages');
    expect(pageKeys.filter((key) => key === 'edge-pages')).toHaveLength(1);
    expect(pageKeys).toEqual(expect.arrayContaining(['t0', 't62', 'edge-templates', 'f0', 'f62', 'edge-fragments']));
  });

  it('drops the page when purged: the next request is assembled again', async () => {
    const deps = site();
    await stored(deps);
    expect(await view(deps)).toBe('HIT');
    await deps.cache.purgeSurrogateKey('edge-pages');
    expect(await view(deps)).toBe('MISS');
    expect(await view(deps)).toBe('HIT');
  });

  it.each(['templates', 'fragments'] as const)('is never kept on a part of the %s tier, even from its origin', (backend) => {
    const kept = storedSurrogateKeys(backend, new Headers({ 'surrogate-key': FRAGMENT_KEYS }));
    expect(kept).not.toContain('edge-pages');
    expect(kept).toHaveLength(64);
    expect(kept.at(-1)).toBe(`edge-${backend}`);
    expect(kept.filter((key) => key.startsWith('edge-'))).toEqual([`edge-${backend}`]);
  });
});
