import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pushCategory, readSession, sessionCookie, sessionFrom, sessionIdOf } from '../../../src/core/visitor/session-cookie.ts';
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

const ID = 'u00042';

describe('sess cookie', () => {
  it('round-trips categories through its Set-Cookie value, bound to the visitor id', async () => {
    const header = await sessionCookie(key, ID, ['running', 'shoes']);
    expect(header).toMatch(/^sess=s2~u00042~running~shoes\.[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    expect(await readSession(key, valueOf(header), ID)).toEqual(['running', 'shoes']);
  });

  it('reads nothing from a session bound to another visitor id', async () => {
    expect(await readSession(key, valueOf(await sessionCookie(key, ID, ['running'])), 'u00043')).toEqual([]);
  });

  it('round-trips an empty list', async () => {
    expect(await readSession(key, valueOf(await sessionCookie(key, ID, [])), ID)).toEqual([]);
  });

  it('never writes more than five valid categories', async () => {
    const header = await sessionCookie(key, ID, ['a', 'b', 'Bad!', 'c', 'd', 'e', 'f']);
    expect(await readSession(key, valueOf(header), ID)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('writes a repeated category once, in its first place, and caps after dropping repeats', async () => {
    const header = await sessionCookie(key, ID, ['a', 'b', 'a', 'Bad!', 'b', 'c', 'd', 'e', 'f']);
    expect(header.startsWith('sess=s2~u00042~a~b~c~d~e.')).toBe(true);
  });

  it.each([
    { name: 'the old unbound version', payload: 's1~running' },
    { name: 'the old version holding the id', payload: 's1~u00042~running' },
    { name: 'no id', payload: 's2~running' },
    { name: 'an empty id', payload: 's2~~running' },
    { name: 'an id of 65 characters', payload: `s2~${'a'.repeat(65)}~running` },
    { name: 'six categories', payload: 's2~u00042~a~b~c~d~e~f' },
    { name: 'a duplicate category', payload: 's2~u00042~a~a' },
    { name: 'an invalid category', payload: 's2~u00042~Running' },
    { name: 'an empty category', payload: 's2~u00042~~a' },
  ])('reads no categories from a correctly signed payload with $name', async ({ payload }) => {
    expect(await readSession(key, await signToken(key, payload), payload.startsWith('s2~running') ? 'running' : ID)).toEqual([]);
  });

  it('cannot be replayed as a vid, nor a vid as a sess', async () => {
    const sess = valueOf(await sessionCookie(key, ID, ['u00042']));
    expect(await readVisitorId(key, sess)).toBeNull();
    expect(await readSession(key, await signToken(key, ID), ID)).toEqual([]);
  });

  it('rejects every mutation of a valid cookie', async () => {
    const valid = valueOf(await sessionCookie(key, ID, ['running', 'shoes', 'trail']));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 127 }), fc.boolean(), async (at, code, truncate) => {
        const mutated = truncate ? valid.slice(0, at) : valid.slice(0, at) + String.fromCharCode(code) + valid.slice(at + 1);
        fc.pre(mutated !== valid);
        expect(await readSession(key, mutated, ID)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('treats an 8 KB value as empty', async () => {
    expect(await readSession(key, `s2~u00042~a.${'A'.repeat(8192)}`, ID)).toEqual([]);
  });

  it('reads the longest cookie it writes: a 64-character id and five 32-character categories', async () => {
    const id = 'i'.repeat(64);
    const categories = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(32));
    expect(await readSession(key, valueOf(await sessionCookie(key, id, categories)), id)).toEqual(categories);
  });
});

describe('sessionIdOf', () => {
  it.each([
    { payload: 's2~u00042~running', id: 'u00042' },
    { payload: 's2~u00042', id: 'u00042' },
    { payload: 's2~', id: '' },
    { payload: 's1~running', id: null },
    { payload: 'u00042', id: null },
  ])('reads the id $payload claims as $id', ({ payload, id }) => {
    expect(sessionIdOf(payload)).toBe(id);
  });
});

/** A verified payload read part by part (version, id, count, each category's pattern, no repeats), as a reference. */
function referenceSession(payload: string, id: string): readonly string[] {
  const parts = payload.split('~');
  if (parts[0] !== 's2' || parts[1] !== id || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || parts.length - 2 > 5) return [];
  const categories = parts.slice(2);
  return categories.every((category, i) => /^[a-z0-9-]{1,32}$/.test(category) && categories.indexOf(category) === i) ? categories : [];
}

describe('sessionFrom on any verified payload', () => {
  const piece = fc.constantFrom('s1', 's2', '~', 'u00042', 'shoes', 'hats', 'RUN', 'a'.repeat(32), 'a'.repeat(33), '-', '\n', '');
  const id = fc.constantFrom('u00042', 'shoes', 'RUN', 'a'.repeat(33), '');
  it('reads every payload exactly as checking it part by part does', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), id, (pieces, bound) => {
        const payload = pieces.join('');
        expect(sessionFrom(payload, bound)).toEqual(referenceSession(payload, bound));
      }),
      { numRuns: 3000 },
    );
  });
});
