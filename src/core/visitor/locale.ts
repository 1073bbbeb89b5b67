/**
 * Picks the page locale from `Accept-Language` (RFC 9110 §12.5.4) among `settings.locales`: only
 * the first 512 characters and 16 entries are read; entries are taken by q-value (ties in header
 * order), each tried first as an exact match, then by language alone. Default: the first locale.
 */

export const MAX_ACCEPT_LANGUAGE_CHARS = 512;
export const MAX_ACCEPT_LANGUAGE_ENTRIES = 16;

interface Range {
  tag: string;
  q: number;
  order: number;
}

export function negotiateLocale(header: string | null, locales: readonly string[]): string {
  const fallback = locales[0] ?? 'en-US';
  if (header === null) return fallback;
  const first = firstPlainRange(header);
  if (first !== null) {
    const match = matchRange(first, locales);
    if (match !== null) return match;
  }
  const ranges = parseRanges(header);
  // Indexed loops without callbacks: in the Wasm guest `for…of`, `find` and array destructuring
  // run the engine's self-hosted iterator code, interpreted.
  for (let r = 0; r < ranges.length; r++) {
    const match = matchRange(ranges[r]!.tag, locales);
    if (match !== null) return match;
  }
  return fallback;
}

/** The locale a lowercased range picks: an exact match first, then the same language; else null. */
function matchRange(tag: string, locales: readonly string[]): string | null {
  // Lowercased on every call, not remembered: each request runs in a fresh instance, with its own
  // settings object, so a memo would only add its own cost.
  for (let i = 0; i < locales.length; i++) if (locales[i]!.toLowerCase() === tag) return locales[i]!;
  const language = languageOf(tag);
  for (let i = 0; i < locales.length; i++) if (languageOf(locales[i]!.toLowerCase()) === language) return locales[i]!;
  return null;
}

/**
 * The first entry when it is a bare language range (no parameters, so q = 1): it then sorts first
 * whatever follows, and when it matches, the rest of the header need not be parsed at all. One
 * native match (`\s` is what `trim` drops); an entry that does not end within the characters read
 * is left to the slice and trim that read it.
 */
function firstPlainRange(header: string): string | null {
  // Matched within one character past the limit: the match is the first entry and its comma (or the
  // whole text), so it is the same there when short enough to count, and too long in both when not.
  // The whole of a client's 60 KB header of `xx-xx-…` cost ~3.5 ms of vCPU in the Wasm guest.
  const match = FIRST_RANGE.exec(header.length > MAX_ACCEPT_LANGUAGE_CHARS + 1 ? header.slice(0, MAX_ACCEPT_LANGUAGE_CHARS + 1) : header);
  if (match !== null && match[0].length <= MAX_ACCEPT_LANGUAGE_CHARS) return match[1]!.toLowerCase();
  const head = header.slice(0, MAX_ACCEPT_LANGUAGE_CHARS);
  const comma = head.indexOf(',');
  const entry = (comma < 0 ? head : head.slice(0, comma)).trim().toLowerCase();
  return LANGUAGE_RANGE.test(entry) ? entry : null;
}

const FIRST_RANGE = /^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(?:,|$)/;

function languageOf(tag: string): string {
  const dash = tag.indexOf('-');
  return dash < 0 ? tag : tag.slice(0, dash);
}

/** Language ranges with q > 0, lowercased, best first. Malformed entries are skipped. */
function parseRanges(header: string): Range[] {
  const entries = header.slice(0, MAX_ACCEPT_LANGUAGE_CHARS).toLowerCase().split(',', MAX_ACCEPT_LANGUAGE_ENTRIES);
  const ranges: Range[] = [];
  let sorted = true;
  for (let order = 0; order < entries.length; order++) {
    const entry = entries[order]!;
    const semicolon = entry.indexOf(';');
    const tag = (semicolon < 0 ? entry : entry.slice(0, semicolon)).trim();
    if (!LANGUAGE_RANGE.test(tag)) continue;
    const q = semicolon < 0 ? 1 : qValue(entry.split(';'));
    if (q <= 0) continue;
    if (ranges.length > 0 && q > ranges[ranges.length - 1]!.q) sorted = false;
    ranges.push({ tag, q, order });
  }
  // Already best first (the usual header): no sort with its interpreted comparator calls.
  return sorted ? ranges : ranges.sort((a, b) => b.q - a.q || a.order - b.order);
}

const LANGUAGE_RANGE = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/;

/** The q parameter among `parts[1..]` (parts[0] is the tag). */
function qValue(parts: readonly string[]): number {
  for (let i = 1; i < parts.length; i++) {
    const param = parts[i]!;
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    if (name.trim().toLowerCase() !== 'q') continue;
    // Only the text up to a second `=` counts, as `split('=')[1]` read it.
    const rest = eq < 0 ? '' : param.slice(eq + 1);
    const second = rest.indexOf('=');
    const text = (second < 0 ? rest : rest.slice(0, second)).trim();
    // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) return 0;
    return Number(text);
  }
  return 1;
}
