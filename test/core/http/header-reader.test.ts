import { describe, expect, it } from 'vitest';
import { readOnce } from '../../../src/core/http/header-reader.ts';

/** Headers that count how often each name is read. */
function countingHeaders(init: Record<string, string>): { headers: Headers; reads: Map<string, number> } {
  const headers = new Headers(init);
  const reads = new Map<string, number>();
  const get = headers.get.bind(headers);
  headers.get = (name: string) => {
    reads.set(name, (reads.get(name) ?? 0) + 1);
    return get(name);
  };
  return { headers, reads };
}

describe('readOnce', () => {
  it('reads each header name from the headers once however often it is asked for', () => {
    const { headers, reads } = countingHeaders({ 'content-type': 'text/html', 'surrogate-control': 'content="ESI/1.0"' });
    const reader = readOnce(headers);
    expect([reader.get('content-type'), reader.get('content-type'), reader.get('surrogate-control')]).toEqual(['text/html', 'text/html', 'content="ESI/1.0"']);
    expect(Object.fromEntries(reads)).toEqual({ 'content-type': 1, 'surrogate-control': 1 });
  });

  it('remembers an absent header as absent without reading it again', () => {
    const { headers, reads } = countingHeaders({});
    const reader = readOnce(headers);
    expect([reader.get('age'), reader.has('age'), reader.get('age')]).toEqual([null, false, null]);
    expect(reads.get('age')).toBe(1);
  });

  it.each([
    ['set-cookie', { 'set-cookie': 'a=1' }, true],
    ['set-cookie', { 'cache-control': 'max-age=60' }, false],
    ['content-length', { 'content-length': '0' }, true],
  ] as const)('has(%s) answers as the headers do for %j', (name, init, expected) => {
    const headers = new Headers(init);
    expect(readOnce(headers).has(name)).toBe(expected);
    expect(headers.has(name)).toBe(expected);
  });
});
