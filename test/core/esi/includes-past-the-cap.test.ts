/**
 * The cheap paths of a hostile page's includes past the inserted-bytes cap (insert-budget.ts):
 * plain includes of one pending fetch past the report's bound wait together (waiting-includes.ts)
 * and settle as lone ones would, in document order; once the budget has closed, a later include of
 * a plain path is skipped at once, counted, and fetches nothing (alone, or in a run of includes).
 */
import { describe, expect, it } from 'vitest';
import { MAX_INSERTED_BYTES, MAX_REPORTED_INCLUDES } from '../../../src/core/esi/esi-limits.ts';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import type { ChunkViews } from '../../../src/core/esi/chunk-view.ts';
import { assemble, decoder, encoder, fakeFetcher, PAGE_URL, readAll, SETTINGS, VARS, VIEWS } from './esi-test-kit.ts';

const BIG = 'B'.repeat(256 * 1024);
/** How many BIG fragments fill the budget exactly. */
const FULL = MAX_INSERTED_BYTES / BIG.length;
const include = (src: string, extra = ''): string => `<esi:include src="${src}"${extra}/>`;
const outcomes = (report: { fragments: Array<{ outcome: string }> }): string[] => report.fragments.map((f) => f.outcome);
const times = (count: number, text: (i: number) => string): string => Array.from({ length: count }, (_, i) => text(i)).join('');

/** The template as chunks, the later ones a timer's turn apart: the fetches started by the first have settled by then. */
function slowly(chunks: readonly string[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      if (next === chunks.length) return controller.close();
      controller.enqueue(encoder.encode(chunks[next++]));
    },
  });
}

describe('includes of one fetch past the report bound', () => {
  it('insert in document order until the budget is spent, the rest skipped and counted, with one fetch', async () => {
    const fetcher = fakeFetcher({ '/fragments/big': BIG });
    const { html, report, problems } = await assemble(times(1000, (i) => `<i>${i}</i>${include('/fragments/big')}`), fetcher);
    expect(html).toBe(times(1000, (i) => `<i>${i}</i>${i < FULL ? BIG : ''}`));
    expect(fetcher.calls).toHaveLength(1);
    expect(report.outputCapped).toBe(1000 - FULL);
    expect(outcomes(report)).toEqual([...Array<string>(FULL).fill('ok'), ...Array<string>(MAX_REPORTED_INCLUDES - FULL).fill('skipped')]);
    expect(report.minTtlMs).toBeNull();
    expect(problems).toHaveLength(1);
  });

  it('insert every body that fits, beside includes of the same URL that are not plain', async () => {
    const fetcher = fakeFetcher({ '/fragments/one': '@', '/fragments/alt': 'ALT' });
    const extra = (i: number): string => (i % 3 === 0 ? ' onerror="continue"' : i % 3 === 1 ? ' alt="/fragments/alt"' : '');
    const { html, report } = await assemble(times(300, (i) => `${i},${include('/fragments/one', extra(i))}`), fetcher);
    expect(html).toBe(times(300, (i) => `${i},@`));
    expect(fetcher.calls).toHaveLength(1);
    expect(report.outputCapped).toBe(0);
    expect(report.minTtlMs).toBe(60_000);
  });

  it('fail together when their fetch fails, and the page is not cached', async () => {
    const fetcher = fakeFetcher({});
    const { html, report } = await assemble(`<esi:try><esi:attempt>${include('/fragments/gone').repeat(100)}</esi:attempt><esi:except>x</esi:except></esi:try>${times(200, (i) => `${i}${include('/fragments/gone')}`)}`, fetcher);
    expect(html).toBe(`x${times(200, (i) => String(i))}`);
    expect(fetcher.calls).toHaveLength(1);
    expect(report.minTtlMs).toBeNull();
    expect(report.outputCapped).toBe(0);
  });
});

describe('includes after the budget has closed', () => {
  for (const [name, views] of VIEWS) {
    it(`are skipped at once and counted, fetching nothing, alone or in runs (${name})`, async () => {
      const fetcher = fakeFetcher({ '/fragments/big': BIG, '/fragments/one': '@' });
      const later = times(300, (i) => `<p>${i}</p>${include(i % 2 === 0 ? '/fragments/one' : `/fragments/f${i}`)}`);
      const { body, report } = await assembleSlowly([include('/fragments/big').repeat(FULL + 1), later, `${include('/fragments/big')}end`], fetcher, views);
      expect(body).toBe(`${BIG.repeat(FULL)}${times(300, (i) => `<p>${i}</p>`)}end`);
      expect(fetcher.calls.map((call) => call.url.pathname)).toEqual(['/fragments/big']);
      expect(report.outputCapped).toBe(1 + 300 + 1);
      expect(outcomes(report)).toEqual([...Array<string>(FULL).fill('ok'), ...Array<string>(MAX_REPORTED_INCLUDES - FULL).fill('skipped')]);
    });
  }

  it('give an attempt way to its except branch, and leave an include that is not a plain path to its own answer', async () => {
    const fetcher = fakeFetcher({ '/fragments/big': BIG, '/fragments/one': '@' });
    const later = `<esi:try><esi:attempt>a${include('/fragments/one')}</esi:attempt><esi:except>fallback</esi:except></esi:try>${include('ftp://cdn.example.com/x')}end`;
    const { body, report, problems } = await assembleSlowly([include('/fragments/big').repeat(FULL + 1), later], fetcher);
    expect(body.endsWith('Bfallbackend')).toBe(true);
    expect(report.outputCapped).toBe(2);
    expect(outcomes(report).slice(-2)).toEqual(['skipped', 'refused']);
    expect(problems[0]).toContain('include refused: scheme not allowed');
  });
});

/** `assemble` for `slowly`'s chunks. */
async function assembleSlowly(chunks: readonly string[], fetcher: ReturnType<typeof fakeFetcher>, views?: ChunkViews) {
  const problems: string[] = [];
  const { body, report } = processEsi({ body: slowly(chunks), pageUrl: PAGE_URL, vars: VARS, settings: SETTINGS, fetchFragment: fetcher, now: () => performance.now(), onProblem: (p) => problems.push(p), views });
  return { body: decoder.decode(await readAll(body)), report: await report, problems };
}
