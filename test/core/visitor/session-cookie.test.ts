import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pushCategory, readSession, sessionCookie, sessionFrom } from '../../../src/core/visitor/session-cookie.ts';
import { categoryFromPath } from '../../../src/core/visitor/page-category.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { readVisitorId } from '../../../src/core/visitor/visitor-id.ts';
import { signingKey } from './signing-key.ts';

const key = await signingKey();
const valueOf = (setCookie: string): string => setCookie.slice('sess='.length, setCookie.indexOf(';'));

describe('categoryFromPath', () => {
  it.each([
    { path: '/category/running', expected: 'running' },
    { path: '/category/running/', expected: 'running' },
    { path: '/category/Trail-Running', expected: 'trail-running' },
    { path: '/product/shoes/sku-123', expected: 'shoes' },
    { path: '/product/shoes/sku-123/', expected: 'shoes' },
    { path: '/product/shoes', expected: null },
    { path: '/product/shoes/', expected: null },
    { path: '/category/', expected: null },
    { path: '/category/a/b', expected: null },
    { path: '/category/%3Cscript%3E', expected: null },
    { path: `/category/${'a'.repeat(33)}`, expected: null },
    { path: '/about', expected: null },
    { path: '/', expected: null },
  ])('reads $path as $expected', ({ path, expected }) => {
    expect(categoryFromPath(path)).toBe(expected);
  });
});

describe('pushCategory', () => {
  it.each([
    { name: 'adds to an empty list', before: [], category: 'a', expected: ['a'] },
    { name: 'puts the newest first', before: ['a', 'b'], category: 'c', expected: ['c', 'a', 'b'] },
    { name: 'moves a repeat to the front', before: ['a', 'b', 'c'], category: 'c', expected: ['c', 'a', 'b'] },
    { name: 'caps at five', before: ['a', 'b', 'c', 'd', 'e'], category: 'f', expected: ['f', 'a', 'b', 'c', 'd'] },
    { name: 'keeps the list for a non-category page', before: ['a'], category: null, expected: ['a'] },
  ])('$name', ({ before, category, expected }) => {
    expect(pushCategory(before, category)).toEqual(expected);
  });
});

describe('sess cookie', () => {
  it('round-trips categories through its Set-Cookie value', async () => {
    const header = await sessionCookie(key, ['running', 'shoes']);
    expect(header).toMatch(/^sess=s1~running~shoes\.[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    expect(await readSession(key, valueOf(header))).toEqual(['running', 'shoes']);
  });

  it('round-trips an empty list', async () => {
    expect(await readSession(key, valueOf(await sessionCookie(key, [])))).toEqual([]);
  });

  it('never writes more than five valid categories', async () => {
    const header = await sessionCookie(key, ['a', 'b', 'Bad!', 'c', 'd', 'e', 'f']);
    expect(await readSession(key, valueOf(header))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each([
    { name: 'wrong version', payload: 's2~running' },
    { name: 'six categories', payload: 's1~a~b~c~d~e~f' },
    { name: 'a duplicate category', payload: 's1~a~a' },
    { name: 'an invalid category', payload: 's1~Running' },
    { name: 'an empty category', payload: 's1~~a' },
  ])('rejects a correctly signed payload with $name', async ({ payload }) => {
    expect(await readSession(key, await signToken(key, payload))).toEqual([]);
  });

  it('cannot be replayed as a vid, nor a vid as a sess', async () => {
    const sess = valueOf(await sessionCookie(key, ['u00042']));
    expect(await readVisitorId(key, sess)).toBeNull();
    expect(await readSession(key, await signToken(key, 'u00042'))).toEqual([]);
  });

  it('rejects every mutation of a valid cookie', async () => {
    const valid = valueOf(await sessionCookie(key, ['running', 'shoes', 'trail']));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 127 }), fc.boolean(), async (at, code, truncate) => {
        const mutated = truncate ? valid.slice(0, at) : valid.slice(0, at) + String.fromCharCode(code) + valid.slice(at + 1);
        fc.pre(mutated !== valid);
        expect(await readSession(key, mutated)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('treats an 8 KB value as empty', async () => {
    expect(await readSession(key, `s1~a.${'A'.repeat(8192)}`)).toEqual([]);
  });
});

/** A verified payload read part by part (version, count, each category's pattern, no repeats), as a reference. */
function referenceSession(payload: string): readonly string[] {
  const parts = payload.split('~');
  if (parts[0] !== 's1' || parts.length - 1 > 5) return [];
  const categories = parts.slice(1);
  return categories.every((category, i) => /^[a-z0-9-]{1,32}$/.test(category) && categories.indexOf(category) === i) ? categories : [];
}

describe('sessionFrom on any verified payload', () => {
  const piece = fc.constantFrom('s1', 's2', '~', 'shoes', 'hats', 'RUN', 'a'.repeat(32), 'a'.repeat(33), '-', '\n', '');
  it('reads every payload exactly as checking it part by part does', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const payload = pieces.join('');
        expect(sessionFrom(payload)).toEqual(referenceSession(payload));
      }),
      { numRuns: 3000 },
    );
  });
});
