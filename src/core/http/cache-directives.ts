/**
 * The caching directives of one `Cache-Control` or `Surrogate-Control` value (RFC 9111 §5.2) that
 * the edge acts on, read into flags and seconds.
 *
 * Written for the Wasm guest, where this runs twice per fetched template or fragment and every
 * JavaScript operation is interpreted: the full parser (a Map, and per directive a slice, a trim, a
 * lower-casing and an unquote) costs ~40 µs a value there. The values origins send are almost always
 * a few lower-case directives with plain numbers (`public, max-age=60`, `max-age=3600,
 * stale-while-revalidate=3600`): those are recognised by one native RegExp test and read with
 * native `indexOf`s, with exactly the full parser's result (a property test compares the two).
 */

export interface CacheDirectives {
  readonly isPrivate: boolean;
  readonly noStore: boolean;
  readonly noCache: boolean;
  /** Seconds; null when absent or not a plain number of 1–9 digits. */
  readonly maxAge: number | null;
  readonly sMaxage: number | null;
  readonly staleWhileRevalidate: number | null;
}

const NONE: CacheDirectives = { isPrivate: false, noStore: false, noCache: false, maxAge: null, sMaxage: null, staleWhileRevalidate: null };

/**
 * Values already read, by value: a page's fragments mostly carry the same two values, and even the
 * fast path costs ~30 µs a value in the guest against ~1 µs for a native Map lookup. Bounded, and
 * only short values, so a hostile origin cannot grow it; a pure function's results, never mutated.
 */
const seen = new Map<string, CacheDirectives>();
const SEEN_MAX = 64;
const SEEN_MAX_LENGTH = 256;

export function cacheDirectives(value: string | null): CacheDirectives {
  if (value === null) return NONE;
  let read = seen.get(value);
  if (read !== undefined) return read;
  read = plainDirectives(value) ?? fromParsed(directives(value));
  if (value.length <= SEEN_MAX_LENGTH) {
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(value, read);
  }
  return read;
}

/**
 * Shareable lower-case directives, one space at most around each comma, numbers of 1–9 digits (and
 * a template's ESI opt-in, `content="ESI/1.0"`, which names no searched directive). In
 * such a value each searched name (with its `=`) occurs only where its directive starts, and the
 * first occurrence is the one the full parser keeps (it keeps the first of a repeated directive).
 */
const PLAIN = /^(?:(?:public|must-revalidate|proxy-revalidate|no-transform|immutable|content="ESI\/1\.0"|(?:max-age|s-maxage|stale-while-revalidate|stale-if-error)=\d{1,9}) ?(?:, ?|$))+$/;

/** Whether `value` is plain (`PLAIN`): the full parser then reads only the directives PLAIN lists. */
export function isPlainValue(value: string): boolean {
  return value.length <= 1024 && PLAIN.test(value);
}

/** The fast path: null when the value is not plain, and the full parser must read it. */
export function plainDirectives(value: string | null): CacheDirectives | null {
  if (value === null || !isPlainValue(value)) return null;
  return {
    isPrivate: false,
    noStore: false,
    noCache: false,
    maxAge: secondsAfter(value, 'max-age='),
    sMaxage: secondsAfter(value, 's-maxage='),
    staleWhileRevalidate: secondsAfter(value, 'stale-while-revalidate='),
  };
}

/** The digits after `name` in a plain value (`Number` ignores the space before a comma). */
function secondsAfter(value: string, name: string): number | null {
  const at = value.indexOf(name);
  if (at < 0) return null;
  const end = value.indexOf(',', at);
  return Number(value.slice(at + name.length, end < 0 ? value.length : end));
}

/** The full parser's reading: the flags present and the plain numbers given (`parseSeconds`). */
export function fromParsed(parsed: Map<string, string>): CacheDirectives {
  return {
    isPrivate: parsed.has('private'),
    noStore: parsed.has('no-store'),
    noCache: parsed.has('no-cache'),
    maxAge: parseSeconds(parsed.get('max-age')),
    sMaxage: parseSeconds(parsed.get('s-maxage')),
    staleWhileRevalidate: parseSeconds(parsed.get('stale-while-revalidate')),
  };
}

/** Parses a comma-separated directive list (RFC 9111 §5.2) into lower-cased names and raw values. */
export function directives(value: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  const parts = value.slice(0, 1024).split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name || out.has(name)) continue;
    out.set(name, eq < 0 ? '' : unquote(part.slice(eq + 1).trim()));
  }
  return out;
}

/** One pair of surrounding double quotes removed (a quoted-string value, RFC 9110 §5.6.4). */
function unquote(text: string): string {
  return text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34 ? text.slice(1, -1) : text;
}

const SECONDS = /^\d{1,9}$/;

export function parseSeconds(raw: string | undefined): number | null {
  return raw !== undefined && SECONDS.test(raw) ? Number(raw) : null;
}
