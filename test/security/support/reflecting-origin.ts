/**
 * Handlers for a maximally unsafe origin: every template and fragment reflects everything it
 * received (path, query, headers, body) into a cacheable body, and every template also prints the
 * edge's view of the request through ESI variables. If the edge forwarded any client input, or
 * keyed less than it forwarded, a marker would travel into a shared cache and the tests could see it.
 */
import type { MockHandler } from './mock-origin.ts';
import { ESI_HEADERS, reflection, send } from './mock-origin.ts';

/** The edge's own view of the visitor, as one line the tests can compare. */
export const CONTEXT_LINE = '<esi:vars><p class="ctx">seg=$(SEGMENT) region=$(GEO{region}) country=$(GEO{country}) device=$(DEVICE) locale=$(LOCALE)</p></esi:vars>';

const VARIABLE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** `/sweep/p/<name>` pages print `$(QUERY_STRING{name})` and pass it on to their fragment. */
function parameterOf(path: string): string | null {
  const match = /^\/sweep\/p\/([^/?]+)/.exec(path);
  const name = match?.[1] ? decodeURIComponent(match[1]) : null;
  return name !== null && VARIABLE_KEY.test(name) ? name : null;
}

export const reflectingTemplate: MockHandler = (request, res) => {
  const name = parameterOf(request.path);
  const query = name ? `&q=$(QUERY_STRING{${name}})` : '';
  const body = [
    '<!doctype html><html><body>',
    reflection(request),
    CONTEXT_LINE,
    name ? `<esi:vars><p class="q">q=$(QUERY_STRING{${name}})</p></esi:vars>` : '',
    `<esi:include src="/fragments/reflect?seg=$(SEGMENT)${query}"/>`,
    '</body></html>',
  ].join('\n');
  send(res, 200, body, ESI_HEADERS);
};

export const reflectingFragment: MockHandler = (request, res) => {
  send(res, 200, `<div class="fragment">${reflection(request)}</div>`, { 'cache-control': 'public, max-age=60' });
};

/** Every visitor is a gold-tier visitor whose profile echoes their id. */
export const goldProfiles: MockHandler = (request, res) => {
  const id = decodeURIComponent(request.url.pathname.replace(/^\/profiles\//, ''));
  send(res, 200, JSON.stringify({ id, tier: 'gold' }), { 'content-type': 'application/json', 'cache-control': 'no-store' });
};
