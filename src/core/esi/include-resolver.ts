/**
 * Turns an include's `src`/`alt` (after variable substitution) into a backend request target, or
 * refuses it without any request, so a template cannot make the edge reach internal addresses
 * (server-side request forgery, docs/threat-model.md). Allowed: the page's own host (same host and port as the page), or a host in
 * `settings.includeHosts` on its scheme's default port. Refused: other hosts, IP literals (the
 * WHATWG URL parser has already turned `2130706433`, `0x7f.1` and `0177.0.0.1` into dotted form),
 * `localhost`, userinfo, non-http(s) schemes, explicit ports, backslashes and control characters,
 * and values whose variables changed the path's structure (a `..` value removing a segment).
 */
import type { BackendName } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import type { FragmentUrl } from './fragment-fetcher.ts';
import { normalQueryOnly } from '../cache-key/url-normalize.ts';
import type { QueryMemo } from '../cache-key/query-normalize.ts';

export type IncludeTarget =
  | { ok: true; url: URL; backend: BackendName }
  | { ok: false; reason: string; path: string };

/** `shape` is the value with each variable replaced by a plain letter (see substituteInUri). */
export function resolveInclude(src: string, pageUrl: URL, settings: Settings, shape: string | null = null): IncludeTarget {
  if (hasForbiddenCharacter(src)) return refuse('backslash or control character', '');
  let url: URL;
  try {
    url = new URL(src, pageUrl);
  } catch {
    return refuse('not a URL', '');
  }
  const path = url.pathname;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('scheme not allowed', '');
  if (url.username !== '' || url.password !== '') return refuse('userinfo not allowed', path);
  if (url.host !== pageUrl.host) {
    if (url.port !== '') return refuse('explicit port not allowed', path);
    if (isIpLiteral(url.hostname)) return refuse('IP literal not allowed', path);
    if (isLocalhost(url.hostname)) return refuse('localhost not allowed', path);
    if (!settings.includeHosts.includes(url.hostname)) return refuse('host not allowed', path);
  }
  if (shape !== null && !sameStructure(url, shape, pageUrl)) return refuse('a variable changed the path', path);
  url.hash = '';
  return { ok: true, url, backend: routeFor(path, settings) };
}

/** The parts of an http(s) page URL a plain path is joined to (`origin` is `protocol//host`). */
export interface PageOrigin {
  origin: string;
  protocol: string;
  host: string;
}

/**
 * A plain path on the page's own host (`/fragments/recs?n=4`: no dot segments, no `%`, no
 * characters the URL parser would change), resolved without the URL parser: inside the Wasm guest
 * `new URL` and its getters cost tens of microseconds per include. Null means "ask resolveInclude";
 * whenever this answers, resolveInclude gives the same href, protocol, host, pathname and `search`
 * (its backend is `routeFor(pathname)`, worked out only when the include is fetched). The URL's
 * parts come as one object, the one the fetch is given (fragment-fetcher.ts), with its normal form
 * for the fragment's cache key: the page's host is a parsed URL's (lower case) and a plain path is
 * already normal, so only the query is normalized (normalizeUrl ran two more RegExps and a
 * lowercasing for what is known here: 13–17 µs a fragment in the guest). `queries`: the page's memo.
 */
export function resolvePlainPath(src: string, page: PageOrigin, queries?: QueryMemo): FragmentUrl | null {
  const match = PLAIN_PATH.exec(src);
  if (match === null) return null;
  const pathname = match[1]!;
  // As `URL.search`: a lone `?` is no query.
  const search = match[2] === undefined || match[2].length === 1 ? '' : match[2];
  // A plain query holds only characters SIMPLE_QUERY admits, as normalQueryOnly asks.
  const normal = normalQueryOnly(page.origin, page.host, pathname, search, queries);
  return { href: page.origin + src, protocol: page.protocol, host: page.host, pathname, search, normal };
}

/** The path `resolvePlainPath` gives a plain path: `src` without its query. */
export function plainPathOf(src: string): string {
  const query = src.indexOf('?');
  return query === -1 ? src : src.slice(0, query);
}

/** Whether `resolvePlainPath` answers for `src`: one native test, no match object. */
export function isPlainPath(src: string): boolean {
  return PLAIN_PATH.test(src);
}

/** Whether each line of `lines` (each ended by `\n`) is a plain path: `isPlainPath` for many values without line breaks in one native test. */
export function arePlainPaths(lines: string): boolean {
  return PLAIN_PATH_LINES.test(lines);
}

/**
 * The path (group 1) and the query with its `?` (group 2), in one native match; the lookahead
 * refuses a `/.` anywhere (a dot segment), which a separate `includes` call cost the guest more.
 */
const PLAIN_PATH = /^(?!.*\/\.)(\/[A-Za-z0-9_~-][A-Za-z0-9._~/-]*)(\?[A-Za-z0-9._~=&/-]*)?$/;
/** The same grammar line by line (`.` stops at a line's end; no class holds `\n`). */
const PLAIN_PATH_LINES = new RegExp(`^(?:${PLAIN_PATH.source.slice(1, -1)}\n)*$`);

/** The backend of the first route whose prefix starts the path; everything else is a template. */
export function routeFor(path: string, settings: Settings): BackendName {
  const routes = settings.routes;
  for (let i = 0; i < routes.length; i++) if (path.startsWith(routes[i]!.prefix)) return routes[i]!.backend;
  return 'templates';
}

function refuse(reason: string, path: string): IncludeTarget {
  return { ok: false, reason, path };
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTER = /[\x00-\x1f\x7f\\]/;

/** One native test: a value holds the client's query (8 KB), and a loop over it cost ~1.6 ms an include in the Wasm guest. */
function hasForbiddenCharacter(value: string): boolean {
  return FORBIDDEN_CHARACTER.test(value);
}

function isIpLiteral(hostname: string): boolean {
  if (hostname.startsWith('[')) return true;
  for (let i = 0; i < hostname.length; i++) {
    const c = hostname.charCodeAt(i);
    if (c !== 0x2e && (c < 0x30 || c > 0x39)) return false;
  }
  return true;
}

function isLocalhost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Values are percent-encoded, so only dot segments can change the path: compare segment counts. */
function sameStructure(url: URL, shape: string, pageUrl: URL): boolean {
  try {
    const expected = new URL(shape, pageUrl);
    return expected.host === url.host && expected.pathname.split('/').length === url.pathname.split('/').length;
  } catch {
    return false;
  }
}
