/**
 * URL normalization for cache keys (docs/contracts.md#caching-and-keys). The normalized URL is also what the edge
 * forwards to the origin, so whatever the key says is exactly what the origin sees ("key what you
 * forward"): host lowercased and default port dropped (by the WHATWG URL parser), userinfo and
 * fragment dropped, dot segments removed, percent-encoding normalized, tracking parameters
 * removed, remaining parameters sorted by name.
 *
 * Query rules: only `&` separates parameters; `;` is data and is emitted as `%3B`, so an origin
 * that splits on `;` can never see a parameter the key did not. A parameter split at its first
 * `=`; `a` and `a=` stay distinct. Duplicate names: the first occurrence wins (later ones are
 * dropped, so the origin sees exactly one value), matching `$(QUERY_STRING{name})`. Names are
 * compared after encoding normalization and are case-sensitive; tracking names case-insensitively.
 * Encoding: `%XX` of an unreserved character (RFC 3986 §2.3) is decoded, other escapes get
 * uppercase hex, a stray `%` becomes `%25`, and every character outside the allowed set is
 * escaped as UTF-8. `+` is kept as is (it is not the same as `%2B` or `%20` to every origin).
 */
import { isTrackingParameter } from './tracking-parameters.ts';

export interface NormalizedUrl {
  host: string;
  path: string;
  /** '' or '?a=1&b=2'. */
  query: string;
  /** scheme://host + path + query: what is keyed and forwarded. */
  href: string;
}

export function normalizeUrl(url: Pick<URL, 'protocol' | 'host' | 'pathname' | 'search'>): NormalizedUrl {
  const host = url.host.toLowerCase();
  const path = normalizePath(url.pathname);
  const query = normalizeQuery(url.search);
  return { host, path, query, href: `${url.protocol}//${host}${path}${query}` };
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

/** Sub-delims plus `:` `@`, as RFC 3986 §3.3 allows raw in a path segment. */
const PATH_RAW = "!$&'()*+,;=:@";
/** As in a path, minus `&` `=` (query syntax), `;` (cloaking) and `'` (the URL parser escapes it), plus `/` `?`. */
const QUERY_RAW = '!$()*+,:@/?';

function normalizeQuery(search: string): string {
  if (search.length <= 1) return '';
  const simple = simpleQuery(search);
  if (simple !== null) return simple;
  const seen = new Set<string>();
  const params: Array<{ name: string; pair: string }> = [];
  const parts = search.slice(1).split('&');
  // An indexed loop: in the Wasm guest `for…of` runs the engine's self-hosted iterator, interpreted.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const name = normalizeEncoding(eq < 0 ? part : part.slice(0, eq), QUERY_RAW);
    if (seen.has(name) || isTrackingParameter(name)) continue;
    seen.add(name);
    params.push({ name, pair: eq < 0 ? name : `${name}=${normalizeEncoding(part.slice(eq + 1), QUERY_RAW)}` });
  }
  if (params.length === 0) return '';
  params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `?${params.map((p) => p.pair).join('&')}`;
}

/** A query whose every character is already normal (no escape, no `;`, no `'`) or `&`/`=` syntax. */
const SIMPLE_QUERY = /^\?[A-Za-z0-9\-._~!$()*+,:@/?&=]*$/;

/**
 * The common query (`?seg=vip`, `?utm_source=x&color=red`): every character already normal, and
 * the parameters that stay already in order with no value holding a second `=` (which would be
 * escaped). Its normal form is its kept parameters as they are, found with one native RegExp and a
 * split instead of the per-parameter encoding checks, set, objects, sort and callbacks below
 * (interpreted in the Wasm guest). Null when the general path must decide.
 */
function simpleQuery(search: string): string | null {
  if (!SIMPLE_QUERY.test(search)) return null;
  const parts = search.slice(1).split('&');
  const kept: string[] = [];
  let last = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq >= 0 && part.indexOf('=', eq + 1) >= 0) return null;
    const name = eq < 0 ? part : part.slice(0, eq);
    if (part.length === 0 || isTrackingParameter(name)) continue;
    // Equal names (the first wins) or names out of order: the general path sorts and drops.
    if (kept.length > 0 && name <= last) return null;
    last = name;
    kept.push(part);
  }
  if (kept.length === 0) return '';
  return kept.length === parts.length ? search : `?${kept.join('&')}`;
}

const HEX = '0123456789ABCDEF';

/** Text made only of unreserved characters and the allowed raw ones is already normal. */
const ALREADY_NORMAL: Record<string, RegExp> = {
  [PATH_RAW]: /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/,
  [QUERY_RAW]: /^[A-Za-z0-9\-._~!$()*+,:@/?]*$/,
};

function normalizeEncoding(text: string, raw: string): string {
  // The common case, checked natively: the character loop below is interpreted in the Wasm guest.
  if (ALREADY_NORMAL[raw]?.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '%' && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      const byte = parseInt(text.slice(i + 1, i + 3), 16);
      const decoded = String.fromCharCode(byte);
      out += isUnreserved(byte) ? decoded : `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
      i += 2;
    } else if (isUnreserved(char.charCodeAt(0)) || raw.includes(char)) {
      out += char;
    } else {
      out += encodeChar(text, i);
      if (char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdbff && i + 1 < text.length) i++;
    }
  }
  return out;
}

/** UTF-8 percent-encoding of the code point at `i` (a lone surrogate becomes U+FFFD). */
function encodeChar(text: string, i: number): string {
  const code = text.codePointAt(i) ?? 0xfffd;
  const char = code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCodePoint(code);
  let out = '';
  for (const byte of new TextEncoder().encode(char)) out += `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
  return out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isUnreserved(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) ||
    code === 45 || code === 46 || code === 95 || code === 126
  );
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
