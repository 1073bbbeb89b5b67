import { describe, expect, it } from 'vitest';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { fakeFetcher, PAGE_URL, readAll, SETTINGS, streamOf, VARS } from './esi-test-kit.ts';

/** A `$(DECISION)` token names the segment, so a page that carries one is keyed on SEGMENT. */
async function report(template: string) {
  const { body, report: reported } = processEsi({
    body: streamOf([template]),
    pageUrl: PAGE_URL,
    vars: { ...VARS },
    settings: SETTINGS,
    fetchFragment: fakeFetcher({}),
    now: () => performance.now(),
    decisionToken: (done) => done('token'),
  });
  const html = new TextDecoder().decode(await readAll(body));
  return { html, report: await reported };
}

describe('the variables a page with $(DECISION) reports', () => {
  it.each([
    { name: 'the token alone', template: '<esi:vars><b data-d="$(DECISION)"></b></esi:vars>', variables: ['SEGMENT'], decision: 'token' },
    { name: 'the token beside $(SEGMENT), listed once', template: '<esi:vars>$(SEGMENT) $(DECISION)</esi:vars>', variables: ['SEGMENT'], decision: 'token' },
    { name: 'the token beside another variable', template: '<esi:vars>$(DECISION) $(GEO{country})</esi:vars>', variables: ['GEO{country}', 'SEGMENT'], decision: 'token' },
    { name: 'no token', template: '<esi:vars>$(GEO{country})</esi:vars>', variables: ['GEO{country}'], decision: null },
  ])('lists $variables for $name', async ({ template, variables, decision }) => {
    const { html, report: facts } = await report(template);
    expect(facts.variables).toEqual(variables);
    expect(facts.decision).toBe(decision);
    expect(html).not.toContain('$(DECISION)');
  });
});
