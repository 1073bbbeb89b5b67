/**
 * What a page-cache lookup does with the marker a filler leaves when it stores no page under the
 * key it held: a plain pass marker (the page was not shareable) is hit-for-pass, and the
 * variation is not read again; a "finer" marker (the page went under a finer key) sends the
 * lookup to that key. A request that will not store its page (it sets a cookie) claims no fill,
 * and its plain read follows a "finer" marker too (a plain miss reads nothing more).
 */
import { describe, expect, it, vi } from 'vitest';
import { openPageCache } from '../../../src/core/page/page-cache.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { MemoryEdgeCache } from '../../../src/local-platform/memory-edge-cache.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { VARS } from '../esi/esi-test-kit.ts';

const URL_OF_PAGE = normalizeUrl(new URL('https://shop.example/category/running'));
const TEMPLATE_KEY = 'template-key';
const PAGE = { body: new TextEncoder().encode('<p>stored</p>'), status: 200, contentType: 'text/html' };

function open(cache: MemoryEdgeCache, collapses = true) {
  return openPageCache({ cache, url: URL_OF_PAGE, locale: 'en-US', templateKey: TEMPLATE_KEY, hash: webCrypto, collapses });
}

/** How many times the template's variation entry is read. */
function countVariationReads(cache: MemoryEdgeCache): () => number {
  const lookup = vi.spyOn(cache, 'lookup');
  return () => lookup.mock.calls.filter(([key]) => key.startsWith('vary:')).length;
}

describe('page-cache markers', () => {
  it('reads the variation once and serves nothing when the key holds a not-shareable page marker', async () => {
    const cache = new MemoryEdgeCache();
    const first = await (await open(cache)).lookup(VARS, true);
    await first.fill?.release('pass');
    const reads = countVariationReads(cache);

    const second = await (await open(cache)).lookup(VARS, true);

    expect(second).toEqual({ page: null, fill: null });
    expect(reads()).toBe(1);
  });

  it('finds the page its filler stored under a finer key after the variation grew', async () => {
    const cache = new MemoryEdgeCache();
    const filler = await open(cache);
    const waiter = await open(cache);
    const claim = await filler.lookup(VARS, true);
    expect(claim.fill).not.toBeNull();

    await filler.store(['DEVICE'], VARS, PAGE, 60_000, [], claim.fill);
    const found = await waiter.lookup(VARS, true);

    expect(found.page && new TextDecoder().decode(found.page.body)).toBe('<p>stored</p>');
  });

  it('claims no fill for a page that will not be stored, so a collapsing request still gets it', async () => {
    const cache = new MemoryEdgeCache();
    const collapsing = vi.spyOn(cache, 'lookupOrFill');

    const cookieSetter = await (await open(cache, false)).lookup(VARS, true);
    expect(cookieSetter).toEqual({ page: null, fill: null });
    expect(collapsing).not.toHaveBeenCalled();

    const next = await (await open(cache)).lookup(VARS, true);
    expect(next.fill).not.toBeNull();
    await next.fill?.release('abandon');
  });

  it('serves a stored page to a request that will not store its own', async () => {
    const cache = new MemoryEdgeCache();
    const filler = await open(cache);
    const claim = await filler.lookup(VARS, true);
    await filler.store([], VARS, PAGE, 60_000, [], claim.fill);

    const found = await (await open(cache, false)).lookup(VARS, true);

    expect(found.fill).toBeNull();
    expect(found.page && new TextDecoder().decode(found.page.body)).toBe('<p>stored</p>');
  });

  it('follows a finer marker on a plain read: a request that sets a cookie is served the page stored under the finer key', async () => {
    const cache = new MemoryEdgeCache();
    const filler = await open(cache);
    const reader = await open(cache, false);
    const claim = await filler.lookup(VARS, true);
    await filler.store(['DEVICE'], VARS, PAGE, 60_000, [], claim.fill);

    const found = await reader.lookup(VARS, true);

    expect(found.fill).toBeNull();
    expect(found.page && new TextDecoder().decode(found.page.body)).toBe('<p>stored</p>');
  });

  it('reads the variation no more on a plain miss or a plain pass marker', async () => {
    const cache = new MemoryEdgeCache();
    const reader = await open(cache, false);
    const reads = countVariationReads(cache);
    expect(await reader.lookup(VARS, true)).toEqual({ page: null, fill: null });
    const claim = await (await open(cache)).lookup(VARS, true);
    await claim.fill?.release('pass');
    const before = reads();
    expect(await reader.lookup(VARS, true)).toEqual({ page: null, fill: null });
    expect([before, reads()]).toEqual([1, 1]);
  });
});
