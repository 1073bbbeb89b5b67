/**
 * URL normalization for cache keys (docs/contracts.md#caching-and-keys). The normalized URL is also what the edge
 * forwards to the origin, so whatever the key says is exactly what the origin sees ("key what you
 * forward"): host lowercased and default port dropped (by the WHATWG URL parser), userinfo and
 * fragment dropped, dot segments removed, percent-encoding normalized (encoding-normalize.ts),
 * tracking parameters removed and the remaining parameters sorted by name (query-normalize.ts).
 */
import { normalizeEncoding, PATH_RAW } from './encoding-normalize.ts';
import { normalizeQuery, simpleQuery, type QueryMemo } from './query-normalize.ts';

export interface NormalizedUrl {
  host: string;
  path: string;
  /** '' or '?a=1&b=2'. */
  query: string;
  /** scheme://host + path + query: what is keyed and forwarded. */
  href: string;
}

/**
 * A URL's normal form: from a parsed URL, or from a serialized one (a `Request.url`), which the
 * common shape lets skip the parse (plainHref). `memo`: a page's for its includes (query-normalize.ts).
 */
export function normalizeUrl(url: string | Pick<URL, 'protocol' | 'host' | 'pathname' | 'search'>, memo?: QueryMemo): NormalizedUrl {
  if (typeof url === 'string') return plainHref(url, memo) ?? normalizeUrl(new URL(url), memo);
  const host = url.host.toLowerCase();
  const path = normalizePath(url.pathname);
  const query = normalizeQuery(url.search, memo);
  return { host, path, query, href: `${url.protocol}//${host}${path}${query}` };
}

const LABEL = '(?!xn--)[a-z0-9-]+';
const DNS_NAME = `(?:${LABEL}\\.)*(?!xn--)[a-z][a-z0-9-]*`;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;

/**
 * A serialized URL the WHATWG parser would give back unchanged, read by one native match: http(s),
 * no userinfo or fragment; a lower-case DNS name whose last label starts with a letter (so no IPv4
 * number parsing) and no label starts `xn--` (no IDNA check), or a dotted-decimal IPv4 address in
 * its canonical form; a port without leading zeros (checked below: in range, not the default); a
 * path already normal (what NORMAL_PATH admits) and a query of SIMPLE_QUERY's characters, none of
 * which the parser escapes. In the Wasm guest this saves the URL parse and its four getters;
 * a property test holds it equal to parsing first.
 */
const PLAIN_HREF = new RegExp(
  '^(https?:)//' +
    `((?:${DNS_NAME}|${IPV4})(?::([1-9][0-9]{0,4}))?)` +
    "((?![^?]*/\\.\\.?(?:[/?]|$))/[A-Za-z0-9\\-._~!$&'()*+,;=:@/]*)" +
    '(\\?[A-Za-z0-9\\-._~!$()*+,:@/?&=]*)?$',
);

function plainHref(href: string, memo: QueryMemo | undefined): NormalizedUrl | null {
  const match = PLAIN_HREF.exec(href);
  if (match === null) return null;
  const scheme = match[1]!;
  const port = match[3];
  if (port !== undefined && ((port.length === 5 && port > '65535') || port === (scheme === 'https:' ? '443' : '80'))) return null;
  const host = match[2]!;
  // PLAIN_HREF admits SIMPLE_QUERY's characters only: no second test of them.
  return normalQueryOnly(`${scheme}//${host}`, host, match[4]!, match[5], memo);
}

/**
 * The normal form of a URL whose origin, host and path are already normal and whose query holds
 * only SIMPLE_QUERY's characters (plainHref; a plain include path, include-resolver.ts): only the
 * query is normalized. A lone `?` is no query.
 */
export function normalQueryOnly(origin: string, host: string, path: string, search: string | undefined, memo?: QueryMemo): NormalizedUrl {
  const query = search === undefined || search.length <= 1 ? '' : (simpleQuery(search) ?? normalizeQuery(search, memo));
  return { host, path, query, href: `${origin}${path}${query}` };
}

/**
 * The common path (only unreserved and allowed raw characters, no `.` or `..` segment) is already
 * normal: checked with one RegExp call instead of the interpreted per-segment work (inside the
 * Wasm guest each RegExp call also costs a few µs of self-hosted glue, so the dot-segment check is
 * a lookahead of the same pattern rather than a second call). Linear: the lookahead runs once,
 * from the start, and tries the short dot-segment pattern at each position.
 */
const NORMAL_PATH = /^(?![^]*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

function normalizePath(pathname: string): string {
  if (NORMAL_PATH.test(pathname)) return pathname || '/';
  return removeDotSegments(pathname.split('/').map((segment) => normalizeEncoding(segment, PATH_RAW)).join('/')) || '/';
}

/** RFC 3986 §5.2.4 over whole segments (a decoded `%2E` can only add a `.` segment). */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.length > 1) out.pop();
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return out.join('/');
}
