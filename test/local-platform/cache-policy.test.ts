import { expect, it } from 'vitest';
import { cachePolicy, parseDirectives } from '../../src/local-platform/cache-policy.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const policyOf = (headers: Record<string, string>, status = 200) => cachePolicy(new Response(null, { status, headers }), NOW);

const TTL_CASES: { name: string; headers: Record<string, string>; ttl: number }[] = [
  { name: 'Surrogate-Control max-age over Cache-Control', headers: { 'surrogate-control': 'max-age=60', 'cache-control': 's-maxage=5, max-age=1' }, ttl: 60 },
  { name: 's-maxage over max-age', headers: { 'cache-control': 'max-age=1, s-maxage=30' }, ttl: 30 },
  { name: 'max-age over Expires', headers: { 'cache-control': 'max-age=7', expires: 'Fri, 20 Nov 2026 11:00:00 GMT' }, ttl: 7 },
  { name: 'Expires relative to Date', headers: { date: 'Fri, 20 Nov 2026 09:00:00 GMT', expires: 'Fri, 20 Nov 2026 09:02:00 GMT' }, ttl: 120 },
  { name: 'the 3600 s default', headers: {}, ttl: 3600 },
  { name: 'ESI content directives alongside max-age', headers: { 'surrogate-control': 'content="ESI/1.0", max-age=90' }, ttl: 90 },
];

it.each(TTL_CASES)('takes the TTL from $name', ({ headers, ttl }) => {
  expect(policyOf(headers)).toMatchObject({ store: true, ttlSeconds: ttl });
});

const UNSTORED_CASES: { name: string; headers: Record<string, string>; status: number }[] = [
  { name: 'Set-Cookie', headers: { 'set-cookie': 'a=1' }, status: 200 },
  { name: 'private', headers: { 'cache-control': 'private' }, status: 200 },
  { name: 'no-store', headers: { 'cache-control': 'max-age=60, no-store' }, status: 200 },
  { name: 'no-cache', headers: { 'cache-control': 'no-cache' }, status: 200 },
  { name: 'Surrogate-Control no-store', headers: { 'surrogate-control': 'no-store' }, status: 200 },
  { name: 'Vary: *', headers: { vary: '*' }, status: 200 },
  { name: 'status 500', headers: { 'cache-control': 'max-age=60' }, status: 500 },
  { name: 'status 206', headers: {}, status: 206 },
  { name: 'max-age=0', headers: { 'cache-control': 'max-age=0' }, status: 200 },
  { name: 'an Age past the TTL', headers: { 'cache-control': 'max-age=10', age: '11' }, status: 200 },
];

it.each(UNSTORED_CASES)('never stores a response with $name', ({ headers, status }) => {
  expect(policyOf(headers, status).store).toBe(false);
});

it.each([200, 203, 300, 301, 302, 404, 410])('stores status %i', (status) => {
  expect(policyOf({}, status).store).toBe(true);
});

it('reads stale-while-revalidate from Surrogate-Control before Cache-Control, and the surrogate keys', () => {
  const policy = policyOf({ 'surrogate-control': 'max-age=5, stale-while-revalidate=40', 'cache-control': 'stale-while-revalidate=9', 'surrogate-key': 'a  b' });
  expect(policy).toMatchObject({ swrSeconds: 40, surrogateKeys: ['a', 'b'] });
});

it('keeps a quoted comma inside one directive', () => {
  expect([...parseDirectives('private="a, b", max-age=3')]).toEqual([
    ['private', 'a, b'],
    ['max-age', '3'],
  ]);
});
