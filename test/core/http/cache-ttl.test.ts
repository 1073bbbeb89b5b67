import { describe, expect, it } from 'vitest';
import { freshnessLeftMs, responseTtlMs } from '../../../src/core/http/cache-ttl.ts';

const h = (entries: Record<string, string>) => new Headers(entries);

describe('freshnessLeftMs: the shared lifetime a cached part has left', () => {
  it.each([
    ['no Age: the whole lifetime', { 'surrogate-control': 'max-age=3600' }, 3_600_000],
    ['Age taken off the Surrogate-Control lifetime', { 'surrogate-control': 'max-age=3600', age: '3000' }, 600_000],
    ['Age taken off s-maxage', { 'cache-control': 's-maxage=60, max-age=10', age: '15' }, 45_000],
    ['a lifetime used up is none', { 'cache-control': 'max-age=60', age: '60' }, null],
    ['an Age past the lifetime is none', { 'cache-control': 'max-age=60', age: '900' }, null],
    ['a malformed Age counts as none', { 'cache-control': 'max-age=60', age: 'soon' }, 60_000],
    ['an unshareable response stays unshareable', { 'cache-control': 'private, max-age=60' }, null],
  ])('%s', (_name, headers, expected) => {
    expect(freshnessLeftMs(h(headers))).toBe(expected);
  });

  it('leaves the lifetime the origin gave unchanged for storing the part itself', () => {
    expect(responseTtlMs(h({ 'cache-control': 'max-age=60', age: '30' }))).toBe(60_000);
  });
});
