import { describe, expect, it } from 'vitest';
import { getPage, makePageDeps, PREVIEW_SECRET, signedVid } from './page-harness.ts';
import { createHandler } from '../../../src/core/handler.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { signDecision } from '../../../src/core/experiments/decision-token.ts';
import type { PageDeps } from './page-harness.ts';

const PAGE = '<esi:vars><b data-decision="$(DECISION)"></b><p>$(SEGMENT)</p></esi:vars>' +
  '<esi:include src="/fragments/hero?v=$(VARIANT{hero-copy})"/><esi:include src="/fragments/recs?l=$(VARIANT{recs-layout})"/>';
const SITE = { templates: { '/': { body: PAGE } }, fragments: { '/fragments/hero': 'H', '/fragments/recs': 'R' } };

async function beacon(deps: PageDeps, body: Record<string, unknown>, cookie: string): Promise<{ status: number; event: Record<string, unknown> | undefined }> {
  const request = new Request('https://shop.example/__beacon', {
    method: 'POST', body: JSON.stringify({ type: 'click', item: 'sku-1', page: '/', ...body }), headers: { 'content-type': 'application/json', cookie },
  });
  const pending: Promise<unknown>[] = [];
  const response = await createHandler(deps)(request, { clientAddress: '192.0.2.7', requestId: 'b1', waitUntil: (work) => void pending.push(work) });
  // The clickstream line is written once the profile write (if any) settles, in waitUntil.
  await Promise.all(pending);
  const line = deps.lines.filter((l) => l.endpoint === 'clickstream').pop();
  return { status: response.status, event: line ? (JSON.parse(line.line) as Record<string, unknown>) : undefined };
}

function tokenOf(text: string): string {
  return /data-decision="([^"]*)"/.exec(text)?.[1] ?? '';
}

describe('beacon attribution from the page token', () => {
  it('takes the segment of the page the beacon came from, not a profile-less recomputation', async () => {
    const deps = makePageDeps({ ...SITE, profile: { id: 'u00042', tier: 'gold' } });
    const cookie = `consent=personalization,analytics; vid=${await signedVid('u00042')}`;
    const page = await getPage(deps, '/', { cookie });
    expect(page.text).toContain('<p>vip</p>');
    const { status, event } = await beacon(deps, { slot: 'hero', decision: tokenOf(page.text) }, cookie);
    expect(status).toBe(204);
    expect(event).toMatchObject({ v: 2, attribution: 'token', segment: 'vip' });
    // hero-copy targets `general` only: the vip visitor saw control without being enrolled.
    expect(event?.variants).toEqual({ 'recs-layout': 'grid' });
    // One read for the page and one write of the consented click: the beacon itself reads no profile.
    expect(deps.calls.profiles).toBe(2);
  });

  it('credits a click only to the experiments that shaped its slot', async () => {
    const deps = makePageDeps(SITE);
    const cookie = `consent=personalization,analytics; vid=${await signedVid('u00042')}`;
    const token = tokenOf((await getPage(deps, '/', { cookie })).text);
    const hero = await beacon(deps, { slot: 'hero', decision: token }, cookie);
    const promo = await beacon(deps, { slot: 'promo', decision: token }, cookie);
    expect(hero.event?.shaped).toEqual(['hero-copy']);
    expect(promo.event?.shaped).toEqual([]);
    expect(hero.event?.exposed).toEqual(['hero-copy', 'recs-layout']);
  });

  it.each([
    { name: 'forged', token: () => Promise.resolve(`e30.${'A'.repeat(43)}`) },
    { name: 'another site', token: async () => signDecision(await importHmacKey('other-site-key-0123456789'), { segment: 'vip', exposed: {}, templatePath: '/', expires: 4e9, preview: false }) },
    { name: 'expired', token: async () => signDecision(await importHmacKey(PREVIEW_SECRET), { segment: 'vip', exposed: {}, templatePath: '/', expires: 1000, preview: false }) },
    { name: 'garbage', token: () => Promise.resolve('%%%') },
  ])('logs a $name token as attribution none with no variants, never a 4xx', async ({ token }) => {
    const deps = makePageDeps(SITE);
    const cookie = `consent=personalization,analytics; vid=${await signedVid('u00042')}`;
    const { status, event } = await beacon(deps, { slot: 'hero', decision: await token() }, cookie);
    expect(status).toBe(204);
    expect(event).toMatchObject({ attribution: 'none', segment: null, variants: {}, shaped: [] });
  });

  it('logs a purchase with its value and the page variants', async () => {
    const deps = makePageDeps(SITE);
    const cookie = `consent=personalization,analytics; vid=${await signedVid('u00042')}`;
    const token = tokenOf((await getPage(deps, '/', { cookie })).text);
    const { event } = await beacon(deps, { type: 'purchase', slot: 'checkout', value: 59.9, decision: token }, cookie);
    expect(event).toMatchObject({ type: 'purchase', value: 59.9, attribution: 'token' });
    expect(Object.keys(event?.variants as object)).toContain('recs-layout');
  });

  it('gives an unenrolled visitor (no consent) no variants even with a valid token', async () => {
    const deps = makePageDeps(SITE);
    const token = tokenOf((await getPage(deps, '/', { cookie: 'consent=none' })).text);
    const { event } = await beacon(deps, { slot: 'recs', decision: token }, 'consent=none');
    expect(event).toMatchObject({ attribution: 'token', segment: 'general', variants: {}, visitor: null });
  });
});
