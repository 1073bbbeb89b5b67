/**
 * A linear, fail-closed parser for the request `Cookie` header (RFC 6265 §5.4 shape): anything
 * ambiguous makes the affected cookie absent, so identity can never come from a crafted header.
 */

/** Longer headers are not read at all: every cookie counts as absent (fail closed). */
export const MAX_COOKIE_HEADER_CHARS = 8192;
/** More pairs than this and every cookie counts as absent. */
export const MAX_COOKIE_PAIRS = 100;

const EMPTY: ReadonlyMap<string, string> = new Map();
/** At least MAX_COOKIE_PAIRS semicolons: more than MAX_COOKIE_PAIRS pairs. Linear: `[^;]*` cannot overlap `;`. */
const TOO_MANY_PAIRS = new RegExp(`^(?:[^;]*;){${MAX_COOKIE_PAIRS}}`);
const QUOTE = 0x22;

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
  // One native scan of the whole header instead of two per pair (interpreted calls in the guest).
  const controls = hasControl(header);
  let pairs = 0;
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    if (++pairs > MAX_COOKIE_PAIRS) return EMPTY;
    readPair(header, start, end, cookies, poisoned, controls);
    start = end + 1;
  }
  if (poisoned.size > 0) poisoned.forEach((name) => cookies.delete(name));
  return cookies;
}

/** `controls`: whether the header holds any control character (else no part of it can). */
function readPair(header: string, start: number, end: number, cookies: Map<string, string>, poisoned: Set<string>, controls: boolean): void {
  const eq = header.indexOf('=', start);
  if (eq < 0 || eq >= end) return;
  const name = header.slice(start, eq).trim();
  if (name.length === 0 || (controls && hasControl(name))) return;
  let value = header.slice(eq + 1, end).trim();
  if (value.length >= 2 && value.charCodeAt(0) === QUOTE && value.charCodeAt(value.length - 1) === QUOTE) value = value.slice(1, -1);
  if (poisoned.size > 0 && poisoned.has(name)) return;
  if (cookies.has(name) || (controls && hasControl(value))) {
    poisoned.add(name);
    return;
  }
  cookies.set(name, value);
}

// A RegExp runs natively in the Wasm guest; a loop over characters is interpreted.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** A control character anywhere, or too many pairs: TOO_MANY_PAIRS or CONTROL would match. */
const SUSPECT = new RegExp(`[\\x00-\\x1f\\x7f]|^(?:[^;]*;){${MAX_COOKIE_PAIRS}}`);

function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `parseCookieHeader(header)` narrowed to `names`, the same result for those names, found with one
 * native RegExp over all the names instead of reading every pair (each pair costs a dozen
 * interpreted calls in the Wasm guest) or searching once per name: one match per pair with a wanted
 * name, plus the last that finds none. A name counts only when it occurs exactly once and its value
 * holds no control character; more than MAX_COOKIE_PAIRS pairs or an oversize header reads as no
 * cookies.
 */
export function readCookies(header: string | null, names: readonly string[]): ReadonlyMap<string, string> {
  if (header === null || header.length === 0 || header.length > MAX_COOKIE_HEADER_CHARS) return EMPTY;
  // Pairs are the `;`-separated parts: more than the cap needs at least that many characters, and
  // at least MAX_COOKIE_PAIRS semicolons, which one native RegExp test finds without the array of
  // parts a `split` builds (a typical header is past 100 characters, so this runs on most pages).
  // Both checked by one native test first (the usual header has neither): one call fewer a page.
  const suspect = SUSPECT.test(header);
  if (suspect && header.length >= MAX_COOKIE_PAIRS && TOO_MANY_PAIRS.test(header)) return EMPTY;
  const controls = suspect && hasControl(header);
  const pattern = pairsNamed(names);
  const cookies = new Map<string, string>();
  // Names seen twice or with a control character: absent, whatever else follows.
  let spoiled: string[] | null = null;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(header); match !== null; match = pattern.exec(header)) {
    const name = match[1]!;
    if (spoiled !== null && spoiled.includes(name)) continue;
    let value = match[2]!.trim();
    if (value.length >= 2 && value.charCodeAt(0) === QUOTE && value.charCodeAt(value.length - 1) === QUOTE) value = value.slice(1, -1);
    if (cookies.has(name) || (controls && hasControl(value))) {
      cookies.delete(name);
      (spoiled ??= []).push(name);
    } else {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/**
 * A pair whose trimmed name is one of `names` (`\s` is exactly what `trim` drops), its raw value
 * captured up to the next `;` (a value never holds one, so every match starts at a pair). The last
 * list's pattern is kept: callers pass one constant list.
 */
let lastNames: readonly string[] | null = null;
let lastPattern = /$^/g;

function pairsNamed(names: readonly string[]): RegExp {
  if (names !== lastNames) {
    const alternatives = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    lastPattern = new RegExp(`(?:^|;)\\s*(${alternatives})\\s*=([^;]*)`, 'g');
    lastNames = names;
  }
  return lastPattern;
}
