import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categoryFromPath, categoryFromUrl } from '../../../src/core/visitor/page-category.ts';

// categoryFromUrl reads a serialized URL's path with one match of its own; it must agree with
// categoryFromPath of the path the URL parser gives, whatever the path.
const PIECES = ['category', 'product', 'Category', 'PRODUCT', 'running', 'Trail-Running', 'sku-1', '', '.', '..', '%2F', 'a'.repeat(32), 'a'.repeat(33), 'é', 'x y', '?q=1', '#f', '//'];

describe('categoryFromUrl', () => {
  it.each([
    { url: 'https://www.example.com/category/running', expected: 'running' },
    { url: 'https://www.example.com/category/Trail-Running/?utm_source=x', expected: 'trail-running' },
    { url: 'https://www.example.com/product/shoes/sku-123/#top', expected: 'shoes' },
    { url: 'https://www.example.com/product/shoes/', expected: null },
    { url: 'https://www.example.com/category/running//', expected: null },
    { url: 'https://www.example.com/category/a/b', expected: null },
    { url: `https://www.example.com/product/shoes/${'x'.repeat(520)}`, expected: null },
    { url: 'https://www.example.com/', expected: null },
    { url: 'not a url', expected: null },
  ])('reads $url as $expected', ({ url, expected }) => {
    expect(categoryFromUrl(url)).toBe(expected);
  });

  it('agrees with categoryFromPath of the parsed path', () => {
    const path = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(path, fc.constantFrom('', '/', '?a=1', '/?a=1', '#x'), (p, tail) => {
        const url = new URL(`https://www.example.com${p}${tail}`).href;
        expect(categoryFromUrl(url)).toBe(categoryFromPath(new URL(url).pathname));
      }),
      { numRuns: 3000 },
    );
  });
});
