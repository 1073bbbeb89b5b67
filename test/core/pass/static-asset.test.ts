/**
 * Which paths are static files: by extension (any case) or by a configured prefix. A dot
 * elsewhere in the path (a versioned directory, a dotted slug) is no extension.
 */
import { describe, expect, it } from 'vitest';
import { isStaticPath } from '../../../src/core/pass/static-asset.ts';

const NONE = { staticPaths: [] };

describe('isStaticPath', () => {
  it.each([
    { path: '/', expected: false },
    { path: '/category/running', expected: false },
    { path: '/product/running/sku-1001', expected: false },
    { path: '/assets/site.css', expected: true },
    { path: '/assets/SITE.CSS', expected: true },
    { path: '/img/logo.jpeg', expected: true },
    { path: '/fonts/a.woff2', expected: true },
    { path: '/v1.2/page', expected: false },
    { path: '/shop.example/running', expected: false },
    { path: '/report.pdf/', expected: false },
    { path: '/notes.md', expected: false },
    { path: '/.css', expected: true },
  ])('$path is static: $expected', ({ path, expected }) => {
    expect(isStaticPath(path, NONE)).toBe(expected);
  });

  it('counts a configured prefix as static whatever the extension', () => {
    expect(isStaticPath('/media/raw', { staticPaths: ['/media/'] })).toBe(true);
    expect(isStaticPath('/media.v2/raw', { staticPaths: ['/media/'] })).toBe(false);
  });
});
