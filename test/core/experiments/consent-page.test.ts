import { describe, expect, it } from 'vitest';
import { getPage, makePageDeps, signedVid } from './page-harness.ts';

const HOME = { '/': { body: '<p>home</p>' } };

describe('consent purposes on a page', () => {
  it('expires vid and sess when a visitor holding them withdraws personalization', async () => {
    const deps = makePageDeps({ templates: HOME });
    const cookie = `consent=none; vid=${await signedVid('u00042')}; sess=s2~u00042~running.x`;
    const { response } = await getPage(deps, '/', { cookie });
    const cookies = response.headers.getSetCookie();
    expect(cookies).toEqual([
      expect.stringMatching(/^vid=; Max-Age=0; Path=\/; Secure; HttpOnly; SameSite=Lax$/),
      expect.stringMatching(/^sess=; Max-Age=0; Path=\/; Secure; HttpOnly; SameSite=Lax$/),
    ]);
    expect(deps.calls.profiles).toBe(0);
  });

  it('expires the identity cookies under Sec-GPC too', async () => {
    const deps = makePageDeps({ templates: HOME });
    const cookie = `consent=personalization; vid=${await signedVid('u00042')}`;
    const { response } = await getPage(deps, '/', { cookie, 'sec-gpc': '1, 1' });
    expect(response.headers.getSetCookie().map((c) => c.split(';')[0])).toEqual(['vid=', 'sess=']);
    expect(deps.calls.profiles).toBe(0);
  });

  it('sets no cookie for a visitor without consent who holds none', async () => {
    const deps = makePageDeps({ templates: HOME });
    const { response } = await getPage(deps, '/', { cookie: 'consent=none' });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('treats consent=none,personalization as no consent', async () => {
    const deps = makePageDeps({ templates: HOME });
    const { event } = await getPage(deps, '/', { cookie: `consent=none,personalization; vid=${await signedVid('u00042')}` });
    expect(event).toMatchObject({ consent: 'denied', visitor: null });
    expect(deps.calls.profiles).toBe(0);
  });

  it.each([
    { cookie: 'consent=personalization', logged: false },
    { cookie: 'consent=personalization,analytics', logged: true },
  ])('in opt-in mode logs the pseudonym only with analytics ($cookie)', async ({ cookie, logged }) => {
    const deps = makePageDeps({ templates: HOME });
    const { event } = await getPage(deps, '/', { cookie: `${cookie}; vid=${await signedVid('u00042')}` });
    expect(event?.consent).toBe('granted');
    expect(deps.calls.profiles).toBe(1);
    if (logged) expect(event?.visitor).toMatch(/^[A-Za-z0-9_-]{22}$/);
    else expect(event?.visitor).toBeNull();
  });
});
