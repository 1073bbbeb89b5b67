/**
 * The pass marker of a page with no variation yet (a page per visitor, never stored) is kept in
 * the variation's entry as well as under the page key: a later request of that locale learns both
 * from its one variation read and makes no page-key lookup; another locale, a variation stored
 * since, or a marker gone reads the page key as before.
 */
import { describe, expect, it, vi } from 'vitest';
import { openPageCache } from '../../../src/core/page/page-cache.ts';
import { PASS_MARKER_TTL_MS } from '../../../src/core/page/page-fill.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { MemoryEdgeCache } from '../../../src/local-platform/memory-edge-cache.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { VARS } from '../esi/esi-test-kit.ts';

const URL_OF_PAGE = normalizeUrl(new URL('https://shop.example/'));
const PAGE = { body: new TextEncoder().encode('<p>stored</p>'), status: 200, contentType: 'text/html' };

function open(cache: MemoryEdgeCache, locale = 'en-US') {
  return openPageCache({ cache, url: URL_OF_PAGE, locale, templateKey: 'template-key', hash: webCrypto, collapses: true });
}

/** Page-key reads (plain or collapsing), not the variation's. */
function countPageKeyReads(cache: MemoryEdgeCache): () => number {
  const plain = vi.spyOn(cache, 'lookup');
  const collapsing = vi.spyOn(cache, 'lookupOrFill');
  return () => plain.mock.calls.filter(([key]) => !key.startsWith('vary:')).length + collapsing.mock.calls.length;
}

/** A filler whose page turned out per-visitor. */
async function passOnce(cache: MemoryEdgeCache, locale = 'en-US'): Promise<void> {
  const pageCache = await open(cache, locale);
  const claim = await pageCache.lookup(VARS, true);
  expect(claim.fill).not.toBeNull();
  await pageCache.pass(claim.fill!);
}

describe('a pass marker in the variation entry', () => {
  it('answers a later request of the locale without a page-key lookup, and the waiters are released', async () => {
    const cache = new MemoryEdgeCache();
    const filler = await open(cache);
    const claim = await filler.lookup(VARS, true);
    const waiter = (await open(cache)).lookup(VARS, true);
    await filler.pass(claim.fill!);
    expect(await waiter).toEqual({ page: null, fill: null });
    const reads = countPageKeyReads(cache);

    const later = await (await open(cache)).lookup(VARS, true);

    expect(later).toEqual({ page: null, fill: null });
    expect(reads()).toBe(0);
  });

  it('is not taken for another locale: it reads its own page key and may fill it', async () => {
    const cache = new MemoryEdgeCache();
    await passOnce(cache, 'de-DE');
    const reads = countPageKeyReads(cache);

    const other = await (await open(cache)).lookup(VARS, true);

    expect(reads()).toBe(1);
    expect(other.fill).not.toBeNull();
    await other.fill?.release('abandon');
  });

  it('gives way to a variation stored after it, whose page is then served', async () => {
    const cache = new MemoryEdgeCache();
    await passOnce(cache);
    const shareable = await open(cache);
    await shareable.store(['DEVICE'], VARS, PAGE, 60_000, [], null);

    const found = await (await open(cache)).lookup(VARS, true);

    expect(found.page && new TextDecoder().decode(found.page.body)).toBe('<p>stored</p>');
  });

  it('lasts as long as the page-key pass marker, and is then looked past', async () => {
    const cache = new MemoryEdgeCache();
    const insert = vi.spyOn(cache, 'insert');
    await passOnce(cache);

    const variationInsert = insert.mock.calls.find(([key]) => key.startsWith('vary:'));
    expect(variationInsert?.[2]).toMatchObject({ ttlMs: PASS_MARKER_TTL_MS });
  });

  it('is not written once the page has a variation (the marker stays under the finer page key)', async () => {
    const cache = new MemoryEdgeCache();
    const shareable = await open(cache);
    await shareable.store(['DEVICE'], VARS, PAGE, 60_000, [], null);
    const insert = vi.spyOn(cache, 'insert');
    const varied = await open(cache);
    const claim = await varied.lookup({ ...VARS, device: 'tablet' }, true);
    expect(claim.fill).not.toBeNull();

    await varied.pass(claim.fill!);

    expect(insert.mock.calls.some(([key]) => key.startsWith('vary:'))).toBe(false);
  });
});
