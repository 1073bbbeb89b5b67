/**
 * A linear, fail-closed parser for the request `Cookie` header (RFC 6265 §5.4 shape): anything
 * ambiguous makes the affected cookie absent, so identity can never come from a crafted header.
 */

/** Longer headers are not read at all: every cookie counts as absent (fail closed). */
export const MAX_COOKIE_HEADER_CHARS = 8192;
/** More pairs than this and every cookie counts as absent. */
export const MAX_COOKIE_PAIRS = 100;

const EMPTY: ReadonlyMap<string, string> = new Map();

/**
 * Parses `name=value; name2=value2` in one pass. A name seen twice, or whose value holds a
 * control character (CR, LF, NUL, DEL, ...), is left out entirely. One pair of surrounding
 * double quotes is removed from a value (RFC 6265 cookie-value grammar).
 */
export function parseCookieHeader(header: string | null): ReadonlyMap<string, string> {
  if (header === null || header.length === 0) return EMPTY;
  if (header.length > MAX_COOKIE_HEADER_CHARS) return EMPTY;
  const cookies = new Map<string, string>();
  const poisoned = new Set<string>();
  let pairs = 0;
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    if (++pairs > MAX_COOKIE_PAIRS) return EMPTY;
    readPair(header, start, end, cookies, poisoned);
    start = end + 1;
  }
  if (poisoned.size > 0) poisoned.forEach((name) => cookies.delete(name));
  return cookies;
}

function readPair(header: string, start: number, end: number, cookies: Map<string, string>, poisoned: Set<string>): void {
  const eq = header.indexOf('=', start);
  if (eq < 0 || eq >= end) return;
  const name = header.slice(start, eq).trim();
  if (name.length === 0 || hasControl(name)) return;
  let value = header.slice(eq + 1, end).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (poisoned.has(name)) return;
  if (cookies.has(name) || hasControl(value)) {
    poisoned.add(name);
    return;
  }
  cookies.set(name, value);
}

// A RegExp runs natively in the Wasm guest; a loop over characters is interpreted.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

function hasControl(text: string): boolean {
  return CONTROL.test(text);
}
