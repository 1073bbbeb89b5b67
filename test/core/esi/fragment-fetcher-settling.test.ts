/**
 * The fragment fetcher's settling form (the one the page uses: its result told to a callback, no
 * promise for the page to react to) gives each fetch the result its promise form gives, exactly once,
 * and a page assembled through a settling fetcher is the page the promise form gives.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { createFragmentFetcher, type FragmentFetcher, type FragmentRequest, type FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';
import { assemble, fakeFetcher } from './esi-test-kit.ts';

const REQUEST: FragmentRequest = { url: new URL('https://www.example.com/fragments/recs?s=vip'), backend: 'fragments', perVisitor: false, timeoutMs: 80 };
const HTML = { 'content-type': 'text/html', 'cache-control': 'max-age=60', 'surrogate-key': 'recs' };

/** A fetcher over a backend that answers with `send` (a port, so the call's settle is honoured). */
function fetcher(send: Parameters<typeof backendPort>[0]): FragmentFetcher {
  return createFragmentFetcher({ fetchBackend: backendPort(send), locale: 'en-GB', cacheKeyFor: (url) => `key:${url.pathname}` });
}

/** Every result `settling` tells, once the fetch is over (its settle count checked by the caller). */
async function settled(fetchFragment: FragmentFetcher, request: FragmentRequest): Promise<FragmentResult[]> {
  const told: FragmentResult[] = [];
  fetchFragment.settling!(request, (result) => told.push(result));
  await new Promise((resolve) => setTimeout(resolve, 150));
  return told;
}

const locked = new Response('x', { headers: HTML });
void locked.body!.getReader();

const CASES: Array<{ name: string; answer: () => Response | Promise<Response>; request?: Partial<FragmentRequest> }> = [
  { name: 'a fragment', answer: () => new Response('<p>R</p>', { headers: HTML }) },
  { name: 'a per-visitor fragment', answer: () => new Response('<p>R</p>', { headers: HTML }), request: { perVisitor: true } },
  { name: 'a 404', answer: () => new Response('gone', { status: 404, headers: HTML }) },
  { name: 'a JSON body', answer: () => new Response('{}', { headers: { 'content-type': 'application/json' } }) },
  { name: 'a gzip body', answer: () => new Response(gzipSync(Buffer.from('<p>Z</p>')), { headers: { ...HTML, 'content-encoding': 'gzip' } }) },
  { name: 'a body over the cap', answer: () => new Response(new Uint8Array(256 * 1024 + 1), { headers: HTML }) },
  { name: 'a body another reader holds', answer: () => locked },
  { name: 'no answer in time', answer: () => new Promise<Response>(() => undefined) },
  { name: 'a network failure', answer: () => Promise.reject(new Error('connection refused')) },
  { name: 'a candidate document', answer: () => new Response('{"items":[]}', { headers: { 'content-type': 'application/json' } }), request: { candidates: true } },
];

it.each(CASES)('tells $name once, as the promise gives it', async ({ answer, request }) => {
  const asked = { ...REQUEST, ...request };
  const expected = await fetcher(async () => ({ response: await answer(), cache: 'MISS' }))(asked);
  const told = await settled(fetcher(async () => ({ response: await answer(), cache: 'MISS' })), asked);
  expect(told).toEqual([expected]);
});

it('tells an error once when the backend call throws before it has a promise', async () => {
  const told = await settled(fetcher(() => {
    throw new Error('no such backend');
  }), REQUEST);
  expect(told).toEqual([{ ok: false, reason: 'error', cache: 'MISS' }]);
});

it('fails a body another reader already holds as an error, not a rejection', async () => {
  await expect(fetcher(() => Promise.resolve({ response: locked, cache: 'MISS' }))(REQUEST)).resolves.toEqual({ ok: false, reason: 'error', cache: 'MISS' });
});

/** The fetcher's settling form alone: a page that asked for the promise form would fail. */
function settlingOnly(fetcher: FragmentFetcher): FragmentFetcher {
  const promiseForm = (): Promise<FragmentResult> => Promise.reject(new Error('the page asked for a promise'));
  return Object.assign(promiseForm, {
    settling(request: FragmentRequest, settle: (result: FragmentResult) => void): void {
      void fetcher(request).then(settle);
    },
  });
}

const PAGE = [
  '<p>a</p><esi:include src="/f/one"/><esi:include src="/f/one"/>',
  '<esi:include src="/f/missing" alt="/f/two"/>',
  '<esi:try><esi:attempt><esi:include src="/f/slow" timeout="20"/></esi:attempt><esi:except>fallback</esi:except></esi:try>',
  '<esi:include src="/f/gone" onerror="continue"/><p>z</p>',
].join('');
const FRAGMENTS = { '/f/one': '[1]', '/f/two': '[2]', '/f/slow': { delayMs: 200, body: '[late]' } };

it('assembles a page through a settling fetcher as through the promise form', async () => {
  const promised = await assemble(PAGE, fakeFetcher(FRAGMENTS));
  const settledPage = await assemble(PAGE, settlingOnly(fakeFetcher(FRAGMENTS)));
  expect(settledPage.html).toBe('<p>a</p>[1][1][2]fallback<p>z</p>');
  expect(settledPage.html).toBe(promised.html);
  expect(settledPage.report.fragments.map(({ src, outcome }) => [src, outcome])).toEqual(promised.report.fragments.map(({ src, outcome }) => [src, outcome]));
});
