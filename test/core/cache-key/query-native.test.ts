/**
 * normalizeQuery's general path sorts `name \0 =value` keys with the native default sort and keeps
 * its last answer in the caller's memo (query-normalize.ts): the same normal form as the comparator
 * sort it replaced, for names that are prefixes of others, duplicates, tracking names, escapes and
 * NUL, asked in any order, with a memo or without.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeQuery, queryMemo, type QueryMemo } from '../../../src/core/cache-key/query-normalize.ts';
import { normalizeEncoding, QUERY_RAW } from '../../../src/core/cache-key/encoding-normalize.ts';
import { isTrackingParameter } from '../../../src/core/cache-key/tracking-parameters.ts';

/** The general path as it was: objects sorted by a comparator on their names. */
function comparatorQuery(search: string): string {
  if (search.length <= 1) return '';
  const seen = new Set<string>();
  const params: Array<{ name: string; pair: string }> = [];
  for (const part of search.slice(1).split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const name = normalizeEncoding(eq < 0 ? part : part.slice(0, eq), QUERY_RAW);
    if (seen.has(name) || isTrackingParameter(name)) continue;
    seen.add(name);
    params.push({ name, pair: eq < 0 ? name : `${name}=${normalizeEncoding(part.slice(eq + 1), QUERY_RAW)}` });
  }
  if (params.length === 0) return '';
  params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `?${params.map((p) => p.pair).join('&')}`;
}

const token = fc.constantFrom('a', 'a-b', 'ab', 'a%2D', 'A', 'b', 'a b', 'a\u0000', '%00', 'utm_x', 'GCLID', '%41', '%7e', 'é', "'", '=', '', 'z', '~', '!', '%zz', '\ud800');
const query = fc.array(fc.tuple(token, fc.option(fc.array(token, { maxLength: 3 }).map((t) => t.join('')))), { maxLength: 8 })
  .map((params) => `?${params.map(([name, value]) => (value === null ? name : `${name}=${value}`)).join('&')}`);

describe('normalizeQuery general path', () => {
  it('gives what the comparator sort gave, whatever was asked before', () => {
    fc.assert(fc.property(fc.array(query, { minLength: 1, maxLength: 4 }), (searches) => {
      const memo: QueryMemo = queryMemo('');
      for (const search of [...searches, ...searches]) {
        expect(normalizeQuery(search), search).toBe(comparatorQuery(search));
        expect(normalizeQuery(search, memo), search).toBe(comparatorQuery(search));
      }
    }), { numRuns: 2000 });
  });

  it("keeps the last general answer in the caller's memo, and a memo seeded with a normal query answers it", () => {
    const memo: QueryMemo = { lastSearch: '?b&a', lastNormal: 'remembered' };
    expect(normalizeQuery('?b&a', memo)).toBe('remembered');
    expect(normalizeQuery('?b&a')).toBe('?a&b');
    expect(normalizeQuery('?d&c', memo)).toBe('?c&d');
    expect(memo).toEqual({ lastSearch: '?d&c', lastNormal: '?c&d' });
    // A simple query never reaches the memo.
    expect(normalizeQuery('?a&b', memo)).toBe('?a&b');
    expect(memo.lastSearch).toBe('?d&c');
    fc.assert(fc.property(query, (search) => {
      const normal = normalizeQuery(search);
      expect(normalizeQuery(normal, queryMemo(normal))).toBe(normal);
    }), { numRuns: 500 });
  });

  it('sorts 2,000 names given in reverse, a name before those it prefixes', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `n${i}`);
    const search = `?${[...names].reverse().map((name) => `${name}=%3c`).join('&')}`;
    expect(normalizeQuery(search)).toBe(comparatorQuery(search));
    expect(normalizeQuery('?ab=1&a=2&a-b=3&%3C')).toBe('?%3C&a=2&a-b=3&ab=1');
  });
});
