/**
 * The page cache under both key forms (cache-key.ts): a page is stored under its plain canonical
 * key and, for a URL past 1 KiB, under the digest, and in both cases the fill this request held is
 * the one that stores it and a later lookup finds it.
 */
import { describe, expect, it, vi } from 'vitest';
import { openPageCache } from '../../../src/core/page/page-cache.ts';
import { normalizeUrl } from '../../../src/core/cache-key/url-normalize.ts';
import { MemoryEdgeCache } from '../../../src/local-platform/memory-edge-cache.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { VARS } from '../esi/esi-test-kit.ts';

const PAGE = { body: new TextEncoder().encode('<p>stored</p>'), status: 200, contentType: 'text/html' };

describe('page-cache keys', () => {
  it.each([
    { form: 'the plain canonical text', path: '/category/running?sort=price', key: /^page:\["page\/v3","https:\/\/shop\.example\/category\/running\?sort=price","en-US",\[/ },
    { form: 'the SHA-256 past 1 KiB', path: `/category/running?q=${'x'.repeat(1100)}`, key: /^page:[0-9a-f]{64}$/ },
  ])('stores a page under $form and finds it again', async ({ path, key }) => {
    const cache = new MemoryEdgeCache();
    const insert = vi.spyOn(cache, 'insert');
    const open = () => openPageCache({ cache, url: normalizeUrl(new URL(`https://shop.example${path}`)), locale: 'en-US', templateKey: 'tpl:key', hash: webCrypto, collapses: true });

    const filler = await open();
    const claim = await filler.lookup(VARS, true);
    expect(claim.fill).not.toBeNull();
    await filler.store(['DEVICE'], VARS, PAGE, 60_000, [], claim.fill);
    const found = await (await open()).lookup(VARS, true);

    expect(found.page && new TextDecoder().decode(found.page.body)).toBe('<p>stored</p>');
    const pageKeys = insert.mock.calls.map(([stored]) => stored).filter((stored) => stored.startsWith('page:'));
    expect(pageKeys.length).toBeGreaterThan(0);
    for (const stored of pageKeys) expect(stored).toMatch(key);
  });
});
