/**
 * The assembly report keeps a bounded number of include entries, so a template with thousands of
 * include tags cannot make the decision event (and its serializer) grow without bound.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_INCLUDES } from '../../../src/core/esi/esi-limits.ts';
import { assemble, fakeFetcher } from './esi-test-kit.ts';

describe('include report bound', () => {
  it.each([
    { includes: 10, reported: 10 },
    { includes: MAX_REPORTED_INCLUDES, reported: MAX_REPORTED_INCLUDES },
    { includes: 5_000, reported: MAX_REPORTED_INCLUDES },
  ])('reports $reported entries for $includes include tags', async ({ includes, reported }) => {
    const template = Array.from({ length: includes }, (_, i) => `<esi:include src="/fragments/n${i}"/>`).join('');
    const { report } = await assemble(template, fakeFetcher({}));
    expect(report.fragments).toHaveLength(reported);
  });

  it('keeps the entries of the first includes in document order', async () => {
    const template = Array.from({ length: 200 }, (_, i) => `<esi:include src="/fragments/n${i}"/>`).join('');
    const { report } = await assemble(template, fakeFetcher({}));
    expect(report.fragments.slice(0, 3).map((f) => f.src)).toEqual(['/fragments/n0', '/fragments/n1', '/fragments/n2']);
  });
});
