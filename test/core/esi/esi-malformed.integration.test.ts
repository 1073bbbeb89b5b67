/**
 * The malformed-input corpus (docs/threat-model.md#include-bombs, #malformed-and-hostile-markup): hostile templates must come back
 * within a generous deadline, with the fetch cap holding.
 */
import { expect, it } from 'vitest';
import { assemble, fakeFetcher } from './esi-test-kit.ts';
import { MAX_ESI_ELEMENTS, MAX_REPORTED_INCLUDES } from '../../../src/core/esi/esi-limits.ts';

const DEADLINE_MS = 5_000;

async function timed(template: string | string[], maxIncludes = 16) {
  const fetcher = fakeFetcher({ '/fragments/a': 'A' });
  const started = performance.now();
  const result = await assemble(template, fetcher, { settings: { maxIncludes } });
  return { ...result, calls: fetcher.calls.length, ms: performance.now() - started };
}

it('passes a 10 MB unterminated attribute through as text up to the template cap, quickly', async () => {
  const { bytes, calls, ms } = await timed(['<esi:include src="', 'x'.repeat(10 * 1024 * 1024)]);
  expect(bytes.length).toBe(2 * 1024 * 1024);
  expect(calls).toBe(0);
  expect(ms).toBeLessThan(DEADLINE_MS);
});

it('handles 10 MB of repeated unterminated include openers', async () => {
  const { calls, ms } = await timed('<esi:include src="'.repeat(550_000));
  expect(calls).toBe(0);
  expect(ms).toBeLessThan(DEADLINE_MS);
});

it('caps 10,000 includes at maxIncludes fetches', async () => {
  const template = Array.from({ length: 10_000 }, (_, i) => `<esi:include src="/fragments/${i}"/>`).join('');
  const { calls, report, ms } = await timed(template, 24);
  expect(calls).toBe(24);
  // The report keeps the first MAX_REPORTED_INCLUDES entries (include-report-bound.test.ts).
  expect(report.fragments.filter((f) => f.outcome === 'skipped')).toHaveLength(MAX_REPORTED_INCLUDES - 24);
  expect(ms).toBeLessThan(DEADLINE_MS);
});

it('survives 10,000 nested blocks and 10,000 stray closers, dropping the elements past the cap', async () => {
  const deep = '<esi:try><esi:attempt>'.repeat(10_000) + '<esi:include src="/fragments/a"/>' + '</esi:attempt></esi:try>'.repeat(10_000);
  const { html, ms, report, problems } = await timed(deep + '</esi:choose>'.repeat(10_000) + 'end');
  expect(html).toBe('end');
  expect(report.elementsDropped).toBe(20_001 - MAX_ESI_ELEMENTS);
  expect(problems).toHaveLength(1);
  expect(ms).toBeLessThan(DEADLINE_MS);
});

it('assembles an include nested under the element cap', async () => {
  const levels = MAX_ESI_ELEMENTS / 2 - 1;
  const deep = '<esi:try><esi:attempt>'.repeat(levels) + '<esi:include src="/fragments/a"/>' + '</esi:attempt></esi:try>'.repeat(levels);
  const { html, report } = await timed(deep + 'end');
  expect(html).toBe('Aend');
  expect(report.elementsDropped).toBe(0);
});

it('survives 1 MB of "<" and of "<!--esi" (the first opens the wrapper, the rest are text)', async () => {
  const { bytes, ms } = await timed(['<'.repeat(1024 * 1024), '<!--esi'.repeat(100_000)]);
  expect(bytes.length).toBe(1024 * 1024 + 7 * (100_000 - 1));
  expect(ms).toBeLessThan(DEADLINE_MS);
});

it('survives a 5,000-level test expression and an attribute full of escaped quotes', async () => {
  const test = '('.repeat(5_000) + "'a'" + ')'.repeat(5_000);
  const template = `<esi:choose><esi:when test="${test}">W</esi:when><esi:otherwise>O</esi:otherwise></esi:choose><esi:include src="${'\\"'.repeat(5_000)}"/>`;
  const { html, ms } = await timed(template);
  expect(html.startsWith('O')).toBe(true);
  expect(ms).toBeLessThan(DEADLINE_MS);
});
