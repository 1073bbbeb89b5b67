/**
 * The page's inserted bytes are bounded (MAX_INSERTED_BYTES): identical includes share one fetch
 * but each insertion counts, as does each variable value in `<esi:vars>`; past the cap an include
 * fails as `skipped` (no alt, the except branch inside an attempt) and the rest of a vars text is
 * left unsubstituted (as are variables past MAX_VARIABLE_VALUES or _BYTES), the rest of the template still
 * streams, the problems are one line, and the page is not cacheable.
 */
import { describe, expect, it } from 'vitest';
import { MAX_INSERTED_BYTES, MAX_VARIABLE_BYTES, MAX_VARIABLE_VALUES } from '../../../src/core/esi/esi-limits.ts';
import { assemble, fakeFetcher } from './esi-test-kit.ts';

const KIB = 1024;
const BIG = 'B'.repeat(256 * KIB);
/** How many BIG fragments fill the budget exactly. */
const FULL = MAX_INSERTED_BYTES / BIG.length;
const include = (src: string, extra = ''): string => `<esi:include src="${src}"${extra}/>`;
const fragments = fakeFetcher({ '/fragments/big': BIG, '/fragments/big-1': BIG.slice(1), '/fragments/one': '@', '/fragments/alt': 'ALT' });
const CAPPED = (count: number): string =>
  `${count} problem${count === 1 ? '' : 's'}: includes skipped or vars text left unsubstituted past the page's caps (6 MiB inserted; ${MAX_VARIABLE_VALUES} variables, 64 KiB) ×${count}`;
const outcomes = (report: { fragments: Array<{ outcome: string }> }): string[] => report.fragments.map((f) => f.outcome);

describe('the inserted-bytes cap', () => {
  it('inserts includes that fill the budget to the byte', async () => {
    const template = `<main>${include('/fragments/big').repeat(FULL - 1)}${include('/fragments/big-1')}${include('/fragments/one')}</main><p>end</p>`;
    const { bytes, html, report, problems } = await assemble(template, fragments);
    expect(bytes.length).toBe(MAX_INSERTED_BYTES + '<main></main><p>end</p>'.length);
    expect(html).toContain('@</main>');
    expect(report.outputCapped).toBe(0);
    expect(report.minTtlMs).toBe(60_000);
    expect(problems).toEqual([]);
  });

  it('skips the include one byte past the budget, keeps the rest of the template and does not cache the page', async () => {
    const template = `<main>${include('/fragments/big').repeat(FULL)}${include('/fragments/one')}</main><p>end</p>`;
    const { bytes, html, report, problems } = await assemble(template, fragments);
    expect(bytes.length).toBe(MAX_INSERTED_BYTES + '<main></main><p>end</p>'.length);
    expect(html).not.toContain('@');
    expect(html.endsWith('B</main><p>end</p>')).toBe(true);
    expect(report.outputCapped).toBe(1);
    expect(outcomes(report).at(-1)).toBe('skipped');
    expect(report.minTtlMs).toBeNull();
    expect(problems).toEqual([CAPPED(1)]);
  });

  it('bounds 1,000 includes of one 256 KiB fragment to the budget, fetched once, told in one line', async () => {
    const fetcher = fakeFetcher({ '/fragments/big': BIG });
    const { bytes, report, problems } = await assemble(`${include('/fragments/big').repeat(1000)}<p>end</p>`, fetcher);
    expect(fetcher.calls).toHaveLength(1);
    expect(bytes.length).toBe(MAX_INSERTED_BYTES + '<p>end</p>'.length);
    expect(report.outputCapped).toBe(1000 - FULL);
    expect(problems).toHaveLength(1);
  });

  it('fails a capped include as skipped without fetching its alt', async () => {
    const fetcher = fakeFetcher({ '/fragments/big': BIG, '/fragments/alt': 'ALT' });
    const { html, report } = await assemble(`${include('/fragments/big').repeat(FULL)}${include('/fragments/big', ' alt="/fragments/alt"')}end`, fetcher);
    expect(html).not.toContain('ALT');
    expect(fetcher.calls.map((call) => call.url.pathname)).toEqual(['/fragments/big']);
    expect(outcomes(report).at(-1)).toBe('skipped');
  });

  it('gives an attempt with a capped include way to its except branch', async () => {
    const template = `${include('/fragments/big').repeat(FULL)}<esi:try><esi:attempt>a${include('/fragments/one')}</esi:attempt><esi:except>fallback</esi:except></esi:try>end`;
    const { html, report } = await assemble(template, fragments);
    expect(html.endsWith('Bfallbackend')).toBe(true);
    expect(report.outputCapped).toBe(1);
  });

  it('passes the rest of a vars text through unsubstituted once a value does not fit', async () => {
    const q = 'x'.repeat(4096);
    const count = MAX_VARIABLE_BYTES / q.length;
    const template = `<esi:vars>${'[$(QUERY_STRING{q})]'.repeat(count + 2)}</esi:vars>end`;
    const { bytes, html, report, problems } = await assemble(template, fragments, { vars: { query: `q=${q}` } });
    expect(bytes.length).toBe(MAX_VARIABLE_BYTES + count * 2 + '[$(QUERY_STRING{q})]'.length * 2 + 3);
    expect(html.endsWith('x][$(QUERY_STRING{q})][$(QUERY_STRING{q})]end')).toBe(true);
    expect(report.outputCapped).toBe(1);
    expect(report.minTtlMs).toBeNull();
    expect(problems).toEqual([CAPPED(1)]);
  });

  it(`substitutes at most ${MAX_VARIABLE_VALUES} variables per page, the rest left as they are`, async () => {
    const template = `<esi:vars>${'$(SEGMENT),'.repeat(MAX_VARIABLE_VALUES - 1)}</esi:vars><esi:vars>$(SEGMENT),$(SEGMENT),$(DEVICE)</esi:vars>`;
    const { html, report } = await assemble(template, fragments);
    expect(html).toBe(`${'runner,'.repeat(MAX_VARIABLE_VALUES)}$(SEGMENT),$(DEVICE)`);
    expect(report.outputCapped).toBe(1);
  });

  it('counts each $(DECISION) as a variable, leaving those past the cap as they are', async () => {
    const { html, report } = await assemble(`<esi:vars>${'[$(DECISION)]'.repeat(MAX_VARIABLE_VALUES + 2)}</esi:vars>end`, fragments);
    expect(html).toBe(`${'[]'.repeat(MAX_VARIABLE_VALUES)}[$(DECISION)][$(DECISION)]end`);
    expect(report.outputCapped).toBe(1);
  });

  it('inserts nothing more once something was refused, not even a value that would fit', async () => {
    const q = 'x'.repeat(4096);
    const template = `<esi:vars>${'$(QUERY_STRING{q})'.repeat(MAX_VARIABLE_BYTES / q.length - 1)}[$(QUERY_STRING{long})][$(QUERY_STRING{s})]</esi:vars>`;
    const { html, report } = await assemble(template, fragments, { vars: { query: `q=${q}&long=${'z'.repeat(5000)}&s=y` } });
    expect(html.endsWith('x[$(QUERY_STRING{long})][$(QUERY_STRING{s})]')).toBe(true);
    expect(report.outputCapped).toBe(1);
  });

  it('counts values escaped: one whose characters fit but whose escaped bytes do not is left as it is', async () => {
    const q = 'x'.repeat(4096);
    const template = `<esi:vars>${'$(QUERY_STRING{q})'.repeat(MAX_VARIABLE_BYTES / q.length - 1)}[$(QUERY_STRING{lt})]</esi:vars>`;
    const { html } = await assemble(template, fragments, { vars: { query: `q=${q}&lt=${'%3C'.repeat(2000)}` } });
    expect(html.endsWith('x[$(QUERY_STRING{lt})]')).toBe(true);
  });

  it('drops a capped include with onerror="continue" and keeps its attempt', async () => {
    const template = `${include('/fragments/big').repeat(FULL)}<esi:try><esi:attempt>a${include('/fragments/one', ' onerror="continue"')}b</esi:attempt><esi:except>fallback</esi:except></esi:try>end`;
    const { html, report } = await assemble(template, fragments);
    expect(html.endsWith('Babend')).toBe(true);
    expect(report.minTtlMs).toBeNull();
  });
});
