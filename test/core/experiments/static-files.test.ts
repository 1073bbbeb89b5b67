import { describe, expect, it } from 'vitest';
import { getPage, makePageDeps, signedVid } from './page-harness.ts';

describe('static files and non-HTML answers', () => {
  it.each(['/static/site.css', '/static/beacon.js', '/favicon.ico', '/img/logo.PNG', '/fonts/a.woff2', '/static/app.js.map'])(
    '%s logs no decision event and costs no profile lookup',
    async (path) => {
      const deps = makePageDeps();
      const { response, text } = await getPage(deps, path, { cookie: `consent=personalization,analytics; vid=${await signedVid('u1')}` });
      expect(response.status).toBe(200);
      expect(text).toBe('body{}');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(deps.lines).toEqual([]);
      expect(deps.calls).toEqual({ templates: 1, profiles: 0, fragments: 0 });
    },
  );

  it('serves paths under settings.staticPaths as static files', async () => {
    const deps = makePageDeps({ settings: { staticPaths: ['/assets/'] } });
    await getPage(deps, '/assets/build-42', { cookie: `consent=personalization; vid=${await signedVid('u1')}` });
    expect(deps.lines).toEqual([]);
    expect(deps.calls.profiles).toBe(0);
  });

  it('logs no decision event for a non-HTML answer on a page path', async () => {
    const deps = makePageDeps({ templates: { '/feed': { body: '{}', headers: { 'content-type': 'application/json' } } } });
    const { text, event } = await getPage(deps, '/feed');
    expect(text).toBe('{}');
    expect(event).toBeUndefined();
  });

  it('still logs a decision event for an HTML page that is not ESI', async () => {
    const deps = makePageDeps({ templates: { '/plain': { body: '<p>x</p>', headers: { 'content-type': 'text/html' } } } });
    const { event } = await getPage(deps, '/plain');
    expect(event).toMatchObject({ path: '/plain', status: 200 });
  });
});
