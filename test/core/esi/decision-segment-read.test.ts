import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { fakeFetcher, PAGE_URL, readAll, SETTINGS, streamOf, VARS } from './esi-test-kit.ts';

/** The page a template makes with the token `T.K`, its template read in `chunks` pieces, and its report. */
async function assemble(template: string, chunks = 1) {
  const size = Math.ceil(template.length / chunks);
  const pieces: string[] = [];
  for (let at = 0; at < template.length; at += size) pieces.push(template.slice(at, at + size));
  const { body, report: reported } = processEsi({
    body: streamOf(pieces),
    pageUrl: PAGE_URL,
    vars: { ...VARS },
    settings: SETTINGS,
    fetchFragment: fakeFetcher({}),
    now: () => performance.now(),
    decisionToken: (done) => done('T.K'),
  });
  const html = new TextDecoder().decode(await readAll(body));
  return { html, report: await reported };
}

/** An `<esi:vars>` body around `$(DECISION)`: each stretch is substituted on its own, the token goes between them. */
async function rendered(body: string, chunks = 1): Promise<string> {
  return (await assemble(`<p><esi:vars>${body}</esi:vars></p>`, chunks)).html;
}

/** A `$(DECISION)` token names the segment, so a page that carries one is keyed on SEGMENT. */
describe('the variables a page with $(DECISION) reports', () => {
  it.each([
    { name: 'the token alone', template: '<esi:vars><b data-d="$(DECISION)"></b></esi:vars>', variables: ['SEGMENT'], decision: 'T.K' },
    { name: 'the token beside $(SEGMENT), listed once', template: '<esi:vars>$(SEGMENT) $(DECISION)</esi:vars>', variables: ['SEGMENT'], decision: 'T.K' },
    { name: 'the token beside another variable', template: '<esi:vars>$(DECISION) $(GEO{country})</esi:vars>', variables: ['GEO{country}', 'SEGMENT'], decision: 'T.K' },
    { name: 'no token', template: '<esi:vars>$(GEO{country})</esi:vars>', variables: ['GEO{country}'], decision: null },
  ])('lists $variables for $name', async ({ template, variables, decision }) => {
    const { html, report: facts } = await assemble(template);
    expect(facts.variables).toEqual(variables);
    expect(facts.decision).toBe(decision);
    expect(html).not.toContain('$(DECISION)');
  });
});

describe('$(DECISION) in an esi:vars body', () => {
  it.each([
    ['alone', '$(DECISION)', '<p>T.K</p>'],
    ['in an attribute', '<b data-d="$(DECISION)"></b>', '<p><b data-d="T.K"></b></p>'],
    ['twice, back to back', '$(DECISION)$(DECISION)', '<p>T.KT.K</p>'],
    ['beside a variable on each side', '$(SEGMENT)|$(DECISION)|$(GEO{country})', '<p>runner|T.K|GB</p>'],
    ['after a near miss', '$(DECISIO$(DECISION)$', '<p>$(DECISIOT.K$</p>'],
    ['truncated at the end', 'a$(DECISION', '<p>a$(DECISION</p>'],
    ['after a character of two UTF-8 bytes', '\u00e9$(DECISION)\u00ff$(LOCALE)', '<p>\u00e9T.K\u00ffen-GB</p>'],
  ])('%s', async (_name, body, expected) => {
    expect(await rendered(body)).toBe(expected);
  });

  it('renders every body as its stretches substituted with the token between, however the template is chunked', async () => {
    const piece = fc.constantFrom('$(DECISION)', '$(SEGMENT)', '$(', '$', 'DECISION)', '<i>', '\u00e9', '\u20ac', ' ');
    // The whole body is cut at each token first, so a token is never part of a variable and a `$(` never joins across one.
    const expected = (body: string): string => body.split('$(DECISION)').map((stretch) => stretch.split('$(SEGMENT)').join('runner')).join('T.K');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (pieces, chunks) => {
        const body = pieces.join('');
        expect(await rendered(body, chunks)).toBe(`<p>${expected(body)}</p>`);
      }),
      { numRuns: 200 },
    );
  });
});
