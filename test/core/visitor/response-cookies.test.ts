import { describe, expect, it } from 'vitest';
import { responseCookies, setsCookies } from '../../../src/core/visitor/response-cookies.ts';
import { resolveVisitorFacts } from '../../../src/core/visitor/visitor-facts.ts';
import type { Identity } from '../../../src/core/visitor/identity.ts';
import { readVisitorId } from '../../../src/core/visitor/visitor-id.ts';
import { readSession, sessionPayload } from '../../../src/core/visitor/session-cookie.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { contextInput } from './visitor-facts-fixtures.ts';
import { signingKey } from './signing-key.ts';

const key = await signingKey();
const vid = await signToken(key, 'u00042');
const sess = await signToken(key, sessionPayload('u00042', ['running']));
/** The cookie value of a Set-Cookie header (between the first `=` and the first `;`). */
const value = (setCookie: string | undefined): string => (setCookie ?? '').split(';')[0]!.split('=').slice(1).join('=');

async function cookiesFor(path: string, cookie: string, headers: Record<string, string> = {}): Promise<string[]> {
  const { input } = contextInput({ url: `https://www.example.com${path}`, signingKey: key, headers: { cookie, ...headers } });
  return responseCookies((await resolveVisitorFacts(input)).identity, key);
}

describe('responseCookies', () => {
  it('sets a signed vid on the first consented view of a plain page, and no sess', async () => {
    const cookies = await cookiesFor('/', 'consent=personalization');
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^vid=/);
    expect(await readVisitorId(key, value(cookies[0]))).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('sets vid and sess on a first consented category page view', async () => {
    const cookies = await cookiesFor('/category/shoes', 'consent=personalization');
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['vid', 'sess']);
    expect(await readSession(key, value(cookies[1]), (await readVisitorId(key, value(cookies[0])))!)).toEqual(['shoes']);
  });

  it('updates sess when a new category is viewed, and sends no vid for a known visitor', async () => {
    const cookies = await cookiesFor('/product/shoes/sku-1', `consent=personalization; vid=${vid}; sess=${sess}`);
    expect(cookies).toHaveLength(1);
    expect(await readSession(key, value(cookies[0]), 'u00042')).toEqual(['shoes', 'running']);
  });

  it('sends nothing when the session did not change', async () => {
    expect(await cookiesFor('/category/running', `consent=personalization; vid=${vid}; sess=${sess}`)).toEqual([]);
  });

  it.each([
    { name: 'an old s1 session', sess: async () => signToken(key, 's1~running') },
    { name: 'another visitor\'s session', sess: async () => signToken(key, sessionPayload('u00043', ['running'])) },
    { name: 'a session without its vid', sess: () => Promise.resolve(sess), vid: false },
  ])('rewrites $name bound to the id it is sent beside', async ({ sess: sessOf, vid: withVid = true }) => {
    const cookies = await cookiesFor('/category/shoes', `consent=personalization; ${withVid ? `vid=${vid}; ` : ''}sess=${await sessOf()}`);
    const id = withVid ? 'u00042' : (await readVisitorId(key, value(cookies[0])))!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(cookies.map((c) => c.split('=')[0])).toEqual(withVid ? ['sess'] : ['vid', 'sess']);
    expect(await readSession(key, value(cookies.at(-1)), id)).toEqual(['shoes']);
  });

  it.each([
    { name: 'without consent', cookie: '', headers: {} },
    { name: 'with consent=none', cookie: 'consent=none', headers: {} },
    { name: 'with Sec-GPC: 1', cookie: 'consent=personalization', headers: { 'sec-gpc': '1' } },
  ] as Array<{ name: string; cookie: string; headers: Record<string, string> }>)('sends nothing $name, even on a category page', async ({ cookie, headers }) => {
    expect(await cookiesFor('/category/shoes', cookie, headers)).toEqual([]);
  });

  it('sends nothing without a signing key', async () => {
    const { input } = contextInput({ url: 'https://www.example.com/category/shoes', signingKey: null, headers: { cookie: 'consent=personalization' } });
    expect(await responseCookies((await resolveVisitorFacts(input)).identity, null)).toEqual([]);
  });

  it.each([
    { changed: true, count: 1 },
    { changed: false, count: 0 },
  ])('sends a sess cookie for a known visitor exactly when the session changed ($changed)', async ({ changed, count }) => {
    const identity: Identity = { consent: 'granted', analytics: true, id: 'u00042', minted: false, session: { categories: ['shoes'], changed } };
    expect(await responseCookies(identity, key)).toHaveLength(count);
  });

  it('expires vid and sess for a visitor who withdrew consent', async () => {
    expect(await responseCookies({ consent: 'denied', withdrawn: true }, key)).toEqual([
      'vid=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
      'sess=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
    ]);
  });
});

describe('setsCookies', () => {
  const granted = (minted: boolean, changed: boolean, categories: string[], id: string | null = 'u00042'): Identity => ({ consent: 'granted', analytics: false, id, minted, session: { categories, changed } });
  it.each([
    { name: 'a minted id', identity: granted(true, false, []) },
    { name: 'a moved session', identity: granted(false, true, ['shoes']) },
    { name: 'a minted id and a moved session', identity: granted(true, true, ['shoes']) },
    { name: 'an unchanged session', identity: granted(false, false, ['shoes']) },
    { name: 'a changed but empty session', identity: granted(false, true, []) },
    { name: 'no id (the secret is missing)', identity: granted(true, true, ['shoes'], null) },
    { name: 'a withdrawn consent', identity: { consent: 'denied', withdrawn: true } },
    { name: 'no consent', identity: { consent: 'denied', withdrawn: false } },
    { name: 'Sec-GPC', identity: { consent: 'gpc', withdrawn: false } },
  ] as Array<{ name: string; identity: Identity }>)('says a page sets a cookie exactly when responseCookies gives one: $name', async ({ identity }) => {
    for (const signing of [key, null]) {
      expect(setsCookies(identity, signing)).toBe((await responseCookies(identity, signing)).length > 0);
    }
  });
});
