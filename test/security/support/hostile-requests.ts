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

export const BEACON_BODY = JSON.stringify({ type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017' });
