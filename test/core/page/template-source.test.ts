import { describe, expect, it } from 'vitest';
import { templateSource } from '../../../src/core/page/template-source.ts';
import { MAX_TEMPLATE_BYTES } from '../../../src/core/esi/esi-limits.ts';
import type { FetchedTemplate } from '../../../src/core/page/template-fetch.ts';
import type { CacheState } from '../../../src/core/ports.ts';

function fetched(cache: CacheState, headers: Record<string, string>): FetchedTemplate {
  return { ok: true, response: new Response('<p>page</p>', { headers }), cache, ms: 0, staleKey: 'k' };
}

describe('templateSource', () => {
  it.each([
    ['a cache hit of a declared length within the cap', 'HIT', { 'content-length': '11' }, 'whole'],
    ['a stale copy of a declared length', 'STALE', { 'content-length': '11' }, 'whole'],
    ['a cache hit declared identity-encoded', 'HIT', { 'content-length': '11', 'content-encoding': 'identity' }, 'whole'],
    ['an origin answer still arriving (miss)', 'MISS', { 'content-length': '11' }, 'stream'],
    ['an uncached answer (pass)', 'PASS', { 'content-length': '11' }, 'stream'],
    ['a cache hit without a declared length', 'HIT', {}, 'stream'],
    ['a cache hit longer than the template cap', 'HIT', { 'content-length': String(MAX_TEMPLATE_BYTES + 1) }, 'stream'],
    ['a cache hit with a malformed length', 'HIT', { 'content-length': '11, 11' }, 'stream'],
    ['a compressed cache hit', 'HIT', { 'content-length': '11', 'content-encoding': 'gzip' }, 'stream'],
  ] as const)('reads %s as %s', async (_case, cache, headers, expected) => {
    const template = fetched(cache, headers);
    const stream = new ReadableStream<Uint8Array>();
    const source = templateSource(template, stream);
    expect('whole' in source ? 'whole' : 'stream').toBe(expected);
    if ('whole' in source) expect(new TextDecoder().decode(await source.whole)).toBe('<p>page</p>');
    else expect(source).toBe(stream);
  });
});
