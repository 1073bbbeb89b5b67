/**
 * The whole handler in process: each row is one request kind, run through `createHandler` with
 * backends as functions and the production memory cache on a hand-moved clock.
 */
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/core/handler.ts';
import { makeContext, makeDeps, TEST_SECRETS, type Backend, type TestDeps } from '../support/make-deps.ts';
import { importHmacKey } from '../../src/core/log/pseudonym.ts';
import { signToken } from '../../src/core/visitor/signed-token.ts';

const ESI_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'surrogate-control': 'content="ESI/1.0", max-age=60',
  'cache-control': 'max-age=60',
  'surrogate-key': 'tpl-home',
};
const TEMPLATE = '<html><body><esi:include src="/fragments/hello"/></body></html>';
const esiTemplate: Backend = () => new Response(TEMPLATE, { headers: ESI_HEADERS });
/** A page keyed on the segment: its lookup needs the decision. */
const segmentTemplate: Backend = () => new Response('<html><body><esi:include src="/fragments/hello?seg=$(SEGMENT)"/></body></html>', { headers: ESI_HEADERS });
const fragment: Backend = () => new Response('<p>hello</p>', { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=60' } });
const plainTemplate: Backend = () => new Response('plain bytes', { headers: { 'content-type': 'text/plain', 'surrogate-key': 'secret-tag' } });
const down: Backend = () => new Response('down', { status: 503 });
const htmlTemplate: Backend = () => new Response('<p>not opted in</p>', { headers: { 'content-type': 'text/html' } });
const unreadable: Backend = () => new Response(TEMPLATE, { headers: { ...ESI_HEADERS, 'content-encoding': 'x-unknown' } });

interface Row {
  name: string;
  /** Requests sent before the one under test, with the clock moved after each. */
  before?: Array<{ path: string; advanceMs?: number }>;
  /** Swaps the template backend before the request under test. */
  templateThen?: Backend;
  template?: Backend;
  request: { method?: string; path: string; body?: string; headers?: Record<string, string> };
  status: number;
  body: (text: string) => boolean;
  header?: [string, RegExp | null];
  event?: { pageCache?: string; template?: string } | null;
}

const rows: Row[] = [
  {
    name: 'a first view of an ESI page is assembled from its template and fragment and stored (miss)',
    request: { path: '/' }, status: 200, body: (t) => t.includes('<p>hello</p>'),
    header: ['x-personalization', /cache=MISS/], event: { pageCache: 'MISS', template: 'MISS' },
  },
  {
    name: 'a second view is served from the page cache without asking for the template (hit)',
    before: [{ path: '/' }], request: { path: '/' }, status: 200, body: (t) => t.includes('<p>hello</p>'),
    header: ['x-personalization', /cache=HIT/], event: { pageCache: 'HIT', template: 'HIT' },
  },
  {
    name: 'an anonymous second view of a page keyed on the segment is served from the page cache without asking for the template (hit)',
    template: segmentTemplate, before: [{ path: '/' }], request: { path: '/' }, status: 200, body: (t) => t.includes('<p>hello</p>'),
    header: ['x-personalization', /cache=HIT/], event: { pageCache: 'HIT' },
  },
  {
    name: 'a page whose template origin is down after its copy expired is built from the last good template (stale)',
    before: [{ path: '/', advanceMs: 120_000 }], templateThen: down, request: { path: '/' }, status: 200,
    body: (t) => t.includes('<p>hello</p>'), event: { pageCache: 'BYPASS', template: 'STALE' },
  },
  {
    name: 'a template that did not opt in to ESI passes through byte for byte without edge headers, and a non-HTML answer logs no page view (passthrough)',
    template: plainTemplate, request: { path: '/robots-policy' }, status: 200, body: (t) => t === 'plain bytes',
    header: ['surrogate-key', null], event: null,
  },
  {
    name: 'an HTML template that did not opt in to ESI passes through untouched and logs one page view',
    template: htmlTemplate, request: { path: '/about' }, status: 200, body: (t) => t === '<p>not opted in</p>',
    header: ['x-personalization', null], event: { pageCache: 'BYPASS', template: 'MISS' },
  },
  {
    name: 'an ESI template in an encoding the edge cannot read is a 502 error page, logged',
    template: unreadable, request: { path: '/' }, status: 502, body: (t) => t.includes('temporarily unavailable'),
    event: { pageCache: 'BYPASS', template: 'MISS' },
  },
  {
    name: 'a HEAD request gets the personalized head and no body',
    request: { method: 'HEAD', path: '/' }, status: 200, body: (t) => t === '',
    header: ['x-personalization', /cache=BYPASS/], event: { pageCache: 'BYPASS' },
  },
  {
    name: 'a page whose template origin is down with no copy kept is a 503 error page',
    template: down, request: { path: '/' }, status: 503, body: (t) => t.includes('temporarily unavailable'),
    event: { pageCache: 'BYPASS', template: 'MISS' },
  },
  {
    name: 'a beacon is accepted with no content and no page event',
    request: { method: 'POST', path: '/__beacon', body: JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1', page: '/' }), headers: { 'content-type': 'application/json' } },
    status: 204, body: (t) => t === '', event: null,
  },
  {
    name: 'the health route reports the version and runtime',
    request: { path: '/__health' }, status: 200, body: (t) => t.includes('"version":"test"') && t.includes('"runtime":"node"'), event: null,
  },
];

async function send(deps: TestDeps, request: Row['request'], id: string): Promise<Response> {
  const context = makeContext(id);
  const init: RequestInit = { method: request.method ?? 'GET', headers: request.headers };
  if (request.body !== undefined) init.body = request.body;
  const response = await createHandler(deps)(new Request(`https://shop.example${request.path}`, init), context);
  const text = await response.text();
  await context.settled();
  return new Response(response.status === 204 ? null : text, { status: response.status, headers: response.headers });
}

describe('the handler in process', () => {
  it.each(rows)('$name', async (row) => {
    let template = row.template ?? esiTemplate;
    const deps = makeDeps({
      backends: { templates: (request) => template(request), fragments: fragment },
      config: { settings: JSON.stringify({ debugHeaders: true }) },
    });
    for (const [index, earlier] of (row.before ?? []).entries()) {
      await (await send(deps, { path: earlier.path }, `req-before-${index}`)).text();
      deps.advance(earlier.advanceMs ?? 0);
    }
    if (row.templateThen) template = row.templateThen;
    const templateCallsBefore = deps.calls.filter((c) => c.backend === 'templates').length;
    const eventsBefore = deps.events().length;

    const response = await send(deps, row.request, 'req-under-test');

    expect(response.status).toBe(row.status);
    expect(row.body(await response.text())).toBe(true);
    if (row.header) {
      const [name, pattern] = row.header;
      if (pattern === null) expect(response.headers.get(name)).toBeNull();
      else expect(response.headers.get(name) ?? '').toMatch(pattern);
    }
    const events = deps.events().slice(eventsBefore);
    if (row.event === null) expect(events).toEqual([]);
    else if (row.event) {
      expect(events).toHaveLength(1);
      if (row.event.pageCache) expect(events[0]?.pageCache).toBe(row.event.pageCache);
      if (row.event.template) expect((events[0]?.template as { cache: string }).cache).toBe(row.event.template);
    }
    if (row.event?.pageCache === 'HIT') expect(deps.calls.filter((c) => c.backend === 'templates')).toHaveLength(templateCallsBefore);
  });
});

describe('the template fetch and the profile call', () => {
  it('runs the template fetch while the profile call is still out on a page-cache miss', async () => {
    let templateAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (templateAsked = resolve));
    const deps = makeDeps({
      backends: {
        // The profile store answers only once the template has been requested: were the two calls
        // one after the other, the profile call would run into its deadline.
        profiles: async () => {
          await asked;
          return new Response('not found', { status: 404 });
        },
        templates: (request) => {
          templateAsked();
          return esiTemplate(request);
        },
        fragments: fragment,
      },
      config: { settings: JSON.stringify({ profileTimeoutMs: 1000 }) },
    });
    const vid = signToken(await importHmacKey(TEST_SECRETS.cookie_signing_key), 'u00042');
    const cookie = `consent=personalization; vid=${await vid}`;

    const response = await send(deps, { path: '/', headers: { cookie } }, 'req-overlap');

    expect(response.status).toBe(200);
    expect((deps.events()[0]?.profile as { outcome: string }).outcome).toBe('unknown');
  });
});

describe('the boundary around an unexpected exception', () => {
  it.each([
    ['a page whose code throws before its first await', (deps: TestDeps) => {
      deps.now = () => {
        throw new Error('clock broke');
      };
    }, '/'],
    ['a page whose code throws after its first await', (deps: TestDeps) => {
      // The page's start reads the clock before its first await; the next read throws.
      let reads = 0;
      deps.now = () => {
        if (++reads > 1) throw new Error('clock broke');
        return 0;
      };
    }, '/?sort=price'],
    ['an edge route whose code throws', (deps: TestDeps) => {
      Object.defineProperty(deps, 'version', {
        get() {
          throw new Error('version broke');
        },
      });
    }, '/__health'],
  ])('answers %s with the generic 500 and reports it on the console only', async (_name, breakIt, path) => {
    const deps = makeDeps({ backends: { templates: htmlTemplate, fragments: fragment } });
    breakIt(deps);
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => void errors.push(line);
    try {
      const response = await send(deps, { path }, 'req-broken');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'internal error' });
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/unexpected error: Error: (clock|log sink|version) broke/);
  });
});
