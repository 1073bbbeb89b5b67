/**
 * The hostile requests of bench/wasm-hostile-requests.ts as answers to check on either host: a
 * client's query written into `<esi:vars>` and into include URLs, a beacon `Content-Type` of
 * thousands of parameters, a long `Accept-Language`. Each once cost the Wasm guest tens of
 * milliseconds of interpreted per-character work (docs/performance.md, thirteenth round); here they
 * must still answer exactly as before.
 */
import type { MockHandler } from './mock-origin.ts';
import { ESI_HEADERS, send } from './mock-origin.ts';

const Q = '$(QUERY_STRING{q})';
const TEMPLATES: Record<string, string> = {
  '/h/vars': `<main><esi:vars><p data-locale="$(LOCALE)">${Q}|${Q}</p></esi:vars></main>`,
  '/h/includes': `<main>${[0, 1, 2].map((i) => `<esi:include src="/fragments/echo-${i}?q=${Q}"/>`).join('')}</main>`,
};

export const hostileTemplates: MockHandler = (req, res) => {
  // A cart path behind the pass-through: the origin takes what the edge forwards (the test reads its record).
  if (req.url.pathname === '/cart/h') return send(res, 200, `taken ${req.body}`, { 'cache-control': 'no-store' });
  const body = TEMPLATES[req.url.pathname];
  return body === undefined ? send(res, 404, 'none') : send(res, 200, body, ESI_HEADERS);
};

/** Each fragment answers the path and query it was asked for, as the origin received them. */
export const echoFragments: MockHandler = (req, res) => send(res, 200, `[${req.path}]`, { 'cache-control': 'public, max-age=60' });

/** A value of every special character, quotes and non-ASCII, then `fill` letters (the URL limit leaves room for ~7,900). */
export function hostileValue(fill: number): string {
  return `<>&"' é€😀${'a'.repeat(fill)}`;
}

/** What `escapeHtml` makes of hostileValue, written out by hand. */
export function escapedValue(fill: number): string {
  return `&lt;&gt;&amp;&quot;&#39; é€😀${'a'.repeat(fill)}`;
}

/** The query the origin of `/fragments/echo-N` receives for `<'` repeated `count` times: both escaped (`'` is no raw query character). */
export function echoedQuery(count: number): string {
  return `q=${'%3C%27'.repeat(count)}`;
}

/** A beacon `Content-Type` of `count` parameters, then `charset`. */
export function manyParameters(count: number, charset: string): string {
  return `text/plain${';a=b'.repeat(count)};charset=${charset}`;
}

/** A pass-through's request headers: `count` plain ones and the hop-by-hop kinds a pass drops (one named by `Connection`). */
export function passHeaders(count: number): Record<string, string> {
  const plain = Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, 'v']));
  return { ...plain, 'content-type': 'application/x-www-form-urlencoded', connection: 'keep-alive, x-hop', 'x-hop': 'one hop', te: 'trailers', 'proxy-authorization': 'Basic Zm9vOmJhcg==', 'x-end': 'kept' };
}

/** Whether the origin received a pass as meant: the body, every plain header, none of the hop-by-hop ones (nor the one `Connection` names). */
export function passedAsMeant(received: { headers: Record<string, string>; body: string }, count: number): boolean {
  const plain = Array.from({ length: count }, (_, i) => received.headers[`x-h${i}`] === 'v').every(Boolean);
  const dropped = ['x-hop', 'te', 'proxy-authorization'].every((name) => received.headers[name] === undefined);
  return plain && dropped && received.headers['x-end'] === 'kept' && received.body === 'sku=1';
}

/** A pass whose `Connection` closes the client's connection and names a header of this hop. */
export const CONNECTION_NAMED = { connection: 'close, X-Named', 'x-named': '1', 'x-kept': '1' };

/**
 * The headers a pass-through origin received, less those the last hop's own client writes (`Host`,
 * its `Connection`, framing): `['x-kept']` on both hosts for a request with `CONNECTION_NAMED`.
 */
export function forwardedClientHeaders(received: { headers: Record<string, string> }): string[] {
  const hop = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);
  return Object.keys(received.headers).filter((name) => !hop.has(name)).sort();
}

export const BEACON_BODY = JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017' });
