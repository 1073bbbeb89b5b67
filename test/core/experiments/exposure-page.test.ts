import { describe, expect, it } from 'vitest';
import { getPage, makePageDeps, PREVIEW_SECRET, signedVid } from './page-harness.ts';
import { verifyDecision } from '../../../src/core/experiments/decision-token.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

const CONSENTED = async (id = 'u00042') => `consent=personalization,analytics; vid=${await signedVid(id)}`;
const DECISION_BODY = '<esi:vars><body data-decision="$(DECISION)"></esi:vars>';
const HERO = '<esi:include src="/fragments/hero?v=$(VARIANT{hero-copy})"/>';
const RECS_TRY =
  '<esi:try><esi:attempt><esi:include src="/fragments/recs?layout=$(VARIANT{recs-layout})"/></esi:attempt>' +
  '<esi:except><ul class="cards">4 cards</ul></esi:except></esi:try>';
const FRAGMENTS = { '/fragments/hero': '<div data-slot="hero">hero</div>', '/fragments/recs': '<ul>grid</ul>', '/fragments/visitor': '<ul>4 cards</ul>' };

function site(body: string, fragments: Record<string, string | null> = FRAGMENTS) {
  return { templates: { '/': { body } }, fragments };
}

describe('enrolment and exposure in the decision event', () => {
  it.each([
    { name: 'no consent', cookie: 'consent=none', secrets: {}, profile: null },
    { name: 'consent but no signing key for an id', cookie: 'consent=personalization', secrets: { cookie_signing_key: null }, profile: null },
    { name: 'a segment the experiment does not target', cookie: 'vid', secrets: {}, profile: { id: 'u00042', tier: 'gold' } },
  ])('lists no hero-copy enrolment with $name, though control is rendered', async ({ cookie, secrets, profile }) => {
    const deps = makePageDeps({ ...site(HERO), secrets, profile });
    const { text, event } = await getPage(deps, '/', { cookie: cookie === 'vid' ? await CONSENTED() : cookie });
    expect(text).toContain('hero');
    expect(event?.v).toBe(2);
    expect(event?.variants).not.toHaveProperty('hero-copy');
  });

  it('lists an enrolled experiment in variants and exposed when the page read it', async () => {
    const deps = makePageDeps(site(HERO));
    const { event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(event?.variants).toHaveProperty('hero-copy');
    expect(event?.exposed).toEqual(['hero-copy']);
  });

  it('does not expose an experiment whose include failed and gave way to the except branch', async () => {
    const deps = makePageDeps(site(`${HERO}${RECS_TRY}`, { ...FRAGMENTS, '/fragments/recs': null }));
    const { text, event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(text).toContain('4 cards');
    expect(event?.variants).toHaveProperty('recs-layout', 'grid');
    expect(event?.exposed).toEqual(['hero-copy']);
  });

  it('does not expose an experiment read only in an unselected when', async () => {
    const body = `<esi:choose><esi:when test="$(VISITOR) != ''"><esi:include src="/fragments/visitor"/></esi:when><esi:otherwise>${RECS_TRY}</esi:otherwise></esi:choose>`;
    const deps = makePageDeps(site(body));
    const { event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(event?.exposed).toEqual([]);
  });

  it('does not expose an experiment read only in an alt that was not used', async () => {
    const deps = makePageDeps(site('<esi:include src="/fragments/hero" alt="/fragments/recs?layout=$(VARIANT{recs-layout})"/>'));
    const { event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(event?.exposed).toEqual([]);
  });

  it('exposes an experiment through the alt that was used', async () => {
    const body = '<esi:include src="/fragments/missing" alt="/fragments/recs?layout=$(VARIANT{recs-layout})"/>';
    const deps = makePageDeps(site(body));
    const { event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(event?.exposed).toEqual(['recs-layout']);
  });

  it('exposes an experiment read in a when test that chose between its variants', async () => {
    const body = `<esi:choose slot="hero"><esi:when test="$(VARIANT{hero-copy}) == 'bold'">B</esi:when><esi:otherwise>A</esi:otherwise></esi:choose>`;
    const deps = makePageDeps(site(body));
    const { event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(event?.exposed).toEqual(['hero-copy']);
  });
});

describe('$(DECISION)', () => {
  const key = importHmacKey(PREVIEW_SECRET);

  it('is a signed token of the segment, the exposed variants with their slots and the template path', async () => {
    const deps = makePageDeps(site(`${DECISION_BODY}${HERO}${RECS_TRY}`, { ...FRAGMENTS, '/fragments/recs': null }));
    const { text, event } = await getPage(deps, '/', { cookie: await CONSENTED() });
    const token = /data-decision="([^"]*)"/.exec(text)?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const decision = await verifyDecision(await key, token, Date.now());
    expect(decision).toMatchObject({ segment: 'general', templatePath: '/', preview: false });
    expect(Object.keys(decision?.exposed ?? {})).toEqual(['hero-copy']);
    expect(decision?.exposed['hero-copy']?.slots).toEqual(['hero']);
    expect(event?.decision).toBe(token);
  });

  it('is the same for two visitors who share a stored copy, and the hit logs it', async () => {
    const deps = makePageDeps(site(`${DECISION_BODY}<p>$(SEGMENT)</p>`));
    const first = await getPage(deps, '/', { cookie: 'consent=none' });
    const second = await getPage(deps, '/', { cookie: 'consent=none' });
    expect(second.event?.pageCache).toBe('HIT');
    expect(second.text).toBe(first.text);
    expect(second.event?.decision).toBe(first.event?.decision);
    expect(first.text).not.toContain('$(DECISION)');
  });

  it.each([
    { name: 'reads its key while a fragment is still on its way', body: `${HERO}${DECISION_BODY}`, before: ['preview_signing_key'] },
    { name: 'reads no key on a page without it', body: HERO, before: [] },
  ])('$name', async ({ body, before }) => {
    const deps = makePageDeps(site(body));
    const fetchBackend = deps.fetchBackend;
    let readsWhenFetched: string[] | null = null;
    deps.fetchBackend = backendPort((backend, request, options) => {
      if (backend !== 'fragments') return fetchBackend(backend, request, options);
      // The fragment answers only after the page's own promise jobs have run dry.
      return new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
        readsWhenFetched = [...reads];
        return fetchBackend(backend, request, options);
      });
    });
    const reads: string[] = [];
    const secret = deps.secret;
    deps.secret = (key) => (reads.push(key), secret(key));
    const { text } = await getPage(deps, '/', { cookie: 'consent=none' });
    expect((readsWhenFetched ?? []).filter((key) => key === 'preview_signing_key')).toEqual(before);
    expect(reads.filter((key) => key === 'preview_signing_key')).toEqual(before);
    expect(text).toContain('hero');
  });

  it('is empty inside esi:try, and the page still renders', async () => {
    const deps = makePageDeps(site(`<esi:try><esi:attempt>${DECISION_BODY}${HERO}</esi:attempt><esi:except>x</esi:except></esi:try>`));
    const { text } = await getPage(deps, '/', { cookie: await CONSENTED() });
    expect(text).toContain('data-decision=""');
    expect(text).toContain('hero');
  });
});
