/**
 * One timer bounds all fragment fetches of a page (shared-fetches.ts): each fetch still times out
 * at its own deadline, whatever order the deadlines come in, and a fetch that answers in time is
 * never timed out by a deadline meant for another.
 */
import { expect, it } from 'vitest';
import { assemble, fakeFetcher, SETTINGS } from './esi-test-kit.ts';
import { SharedFetches, type Target } from '../../../src/core/esi/shared-fetches.ts';

const SLOW = { delayMs: 1_500, body: 'SLOW' };

it.each([
  { order: 'the longer timeout first', template: '[<esi:include src="/fragments/a" timeout="400"/>|<esi:include src="/fragments/b" timeout="40"/>]' },
  { order: 'the shorter timeout first', template: '[<esi:include src="/fragments/b" timeout="40"/>|<esi:include src="/fragments/a" timeout="400"/>]' },
])('times out each fetch at its own deadline with $order', async ({ template }) => {
  const fetcher = fakeFetcher({ '/fragments/a': { delayMs: 150, body: 'A' }, '/fragments/b': SLOW });
  const { html, report } = await assemble(template, fetcher, { settings: { fragmentTimeoutMs: 5_000 } });
  expect(html.replace('|', '')).toBe('[A]');
  const outcomes = Object.fromEntries(report.fragments.map((f) => [f.src, f.outcome]));
  expect(outcomes).toEqual({ '/fragments/a': 'ok', '/fragments/b': 'timeout' });
});

it('times out every slow fetch of a page, one after another', async () => {
  const template = ['40', '80', '120'].map((ms, i) => `<esi:include src="/fragments/s${i}" timeout="${ms}"/>`).join('');
  const fetcher = fakeFetcher({ '/fragments/s0': SLOW, '/fragments/s1': SLOW, '/fragments/s2': SLOW });
  const started = performance.now();
  const { html, report } = await assemble(`a${template}b`, fetcher, { settings: { fragmentTimeoutMs: 5_000 } });
  expect(html).toBe('ab');
  expect(report.fragments.map((f) => f.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
  expect(performance.now() - started).toBeLessThan(1_400);
});

it('keeps a fetch that answers before the timer fires for a slower one', async () => {
  const fetcher = fakeFetcher({ '/fragments/fast': { delayMs: 10, body: 'F' }, '/fragments/slow': SLOW });
  const { html, report } = await assemble('<esi:include src="/fragments/slow" timeout="60"/><esi:include src="/fragments/fast" timeout="60"/>', fetcher, { settings: { fragmentTimeoutMs: 5_000 } });
  expect(html).toBe('F');
  expect(report.fragments.map((f) => f.outcome)).toEqual(['timeout', 'ok']);
});

it('runs the page deadline from when assembly started, with no clock reading of its own', () => {
  let reads = 0;
  const now = (): number => (reads++, 1_000);
  const fetches = new SharedFetches({ settings: { ...SETTINGS, pageDeadlineMs: 400 }, fetchFragment: fakeFetcher({}), now, startedAt: 500 });
  expect(reads).toBe(0);
  const url = new URL('https://www.example.com/fragments/a');
  const target: Target = { ok: true, href: url.href, key: `shared ${url.href}`, path: url.pathname, usesVisitor: false, reads: [], url };
  expect(fetches.attempt(target, null, 900)).toEqual({ ok: false, outcome: 'timeout', cache: 'PASS', path: '/fragments/a' });
  expect(fetches.count).toBe(0);
});
