import { describe, expect, it } from 'vitest';
import { NEGATIVE_TTL_SECONDS, STALE_GRACE_SECONDS, storageDecision } from '../../../src/core/http/storage-policy.ts';

const decide = (headers: Record<string, string | undefined>, status = 200, backend: 'templates' | 'fragments' = 'templates') =>
  storageDecision(backend, status, new Headers(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined)));

describe('storageDecision', () => {
  it.each([
    { name: 'Set-Cookie', headers: { 'set-cookie': 'a=1', 'cache-control': 'max-age=60' }, reason: 'set-cookie' },
    { name: 'Cache-Control: private', headers: { 'cache-control': 'private, max-age=60' }, reason: 'cache-control private' },
    { name: 'Cache-Control: no-store', headers: { 'cache-control': 'no-store' }, reason: 'cache-control no-store' },
    { name: 'Cache-Control: no-cache', headers: { 'cache-control': 'no-cache' }, reason: 'cache-control no-cache' },
    { name: 'Surrogate-Control: no-store', headers: { 'surrogate-control': 'no-store' }, reason: 'surrogate-control no-store' },
  ])('never stores a response with $name', ({ headers, reason }) => {
    expect(decide(headers)).toEqual({ store: false, reason });
  });

  it.each([
    { status: 200, headers: { 'surrogate-control': 'max-age=600' }, ttl: null },
    { status: 200, headers: {}, ttl: null },
    { status: 404, headers: { 'cache-control': 'max-age=3600' }, ttl: NEGATIVE_TTL_SECONDS },
    { status: 410, headers: {}, ttl: NEGATIVE_TTL_SECONDS },
    { status: 404, headers: { 'cache-control': 'max-age=5' }, ttl: 5 },
  ])('gives a $status with $headers the TTL $ttl (null keeps the platform one)', ({ status, headers, ttl }) => {
    expect(decide(headers, status)).toMatchObject({ store: true, ttlSeconds: ttl });
  });

  it.each([
    { headers: {}, swr: STALE_GRACE_SECONDS },
    { headers: { 'cache-control': 'max-age=60, stale-while-revalidate=5' }, swr: STALE_GRACE_SECONDS },
    { headers: { 'surrogate-control': 'max-age=60, stale-while-revalidate=300' }, swr: 300 },
    { headers: { 'cache-control': 'max-age=60, stale-while-revalidate=120' }, swr: 120 },
  ])('lets an object be served stale for $swr s with $headers', ({ headers, swr }) => {
    expect(decide(headers)).toMatchObject({ store: true, swrSeconds: swr });
  });

  it.each([
    { backend: 'templates' as const, keys: 'page-home shared', expected: ['page-home', 'shared', 'edge-templates'] },
    { backend: 'fragments' as const, keys: 'frag-recs  frag-recs', expected: ['frag-recs', 'edge-fragments'] },
    { backend: 'fragments' as const, keys: '', expected: ['edge-fragments'] },
    { backend: 'fragments' as const, keys: 'ok tab\there frag-recs', expected: ['ok', 'frag-recs', 'edge-fragments'] },
    { backend: 'templates' as const, keys: `edge-templates ${'x'.repeat(300)} ok`, expected: ['ok', 'edge-templates'] },
  ])('tags a $backend response $keys with its own keys and the tier key', ({ backend, keys, expected }) => {
    expect(decide({ 'surrogate-key': keys }, 200, backend)).toMatchObject({ store: true, surrogateKeys: expected });
  });

  it('keeps at most 64 surrogate keys, the tier key among them', () => {
    const many = Array.from({ length: 100 }, (_, i) => `k${i}`).join(' ');
    const decision = decide({ 'surrogate-key': many });
    expect(decision.store && decision.surrogateKeys).toHaveLength(64);
    expect(decision.store && decision.surrogateKeys.at(-1)).toBe('edge-templates');
  });

  it('keeps the first 63 of the origin own keys when the origin also sends the tier key', () => {
    const own = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const decision = decide({ 'surrogate-key': ['edge-templates', ...own.slice(0, 10), 'edge-templates', ...own.slice(10)].join(' ') });
    expect(decision.store && decision.surrogateKeys).toEqual([...own.slice(0, 63), 'edge-templates']);
  });
});
