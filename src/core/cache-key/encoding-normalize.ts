/**
 * Percent-encoding normalization of a path segment or a query part (RFC 3986 §2): `%XX` of an
 * unreserved character (§2.3) is decoded, other escapes get uppercase hex, a stray `%` becomes
 * `%25`, and every character outside the allowed set is escaped as UTF-8. `+` is kept as is (it is
 * not the same as `%2B` or `%20` to every origin).
 */
/** Sub-delims plus `:` `@`, as RFC 3986 §3.3 allows raw in a path segment. */
export const PATH_RAW = "!$&'()*+,;=:@";
/** As in a path, minus `&` `=` (query syntax), `;` (cloaking) and `'` (the URL parser escapes it), plus `/` `?`. */
export const QUERY_RAW = '!$()*+,:@/?';

const HEX = '0123456789ABCDEF';

/** Text made only of unreserved characters and the allowed raw ones is already normal. */
const ALREADY_NORMAL: Record<string, RegExp> = {
  [PATH_RAW]: /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/,
  [QUERY_RAW]: /^[A-Za-z0-9\-._~!$()*+,:@/?]*$/,
};

export function normalizeEncoding(text: string, raw: string): string {
  // The common case, checked natively: the character loop below is interpreted in the Wasm guest.
  if (ALREADY_NORMAL[raw]?.test(text)) return text;
  return nativeForm(text, raw) ?? loopForm(text, raw);
}

/**
 * A `%` the native form cannot keep as it is: one without two uppercase hex digits after it (stray,
 * or lowercase hex), or an unreserved character's escape (decoded). Linear: each alternative is
 * tried at a `%` and reads at most two characters after it.
 */
const ODD_ESCAPE = /%(?![0-9A-F]{2})|%(?:3[0-9]|[46][1-9A-F]|[57][0-9A]|2[DE]|5F|7E)/;

/** How `encodeURIComponent`'s output differs from a set's normal form: escapes to undo, characters to escape. */
interface Fixes {
  unescape: ReadonlyArray<readonly [string, string]>;
  escape: ReadonlyArray<readonly [string, string]>;
}

/** `encodeURIComponent` escapes all but `A-Za-z0-9-._~!'()*`: the set's others go back, and those of `!'()*` it lacks are escaped. */
function fixesOf(raw: string): Fixes {
  const unescape = [...raw].filter((char) => encodeURIComponent(char) !== char).map((char) => [encodeURIComponent(char), char] as const);
  const escape = [..."!'()*"].filter((char) => !raw.includes(char)).map((char) => [char, `%${char.charCodeAt(0).toString(16).toUpperCase()}`] as const);
  return { unescape, escape };
}

const FIXES: Record<string, Fixes> = { [PATH_RAW]: fixesOf(PATH_RAW), [QUERY_RAW]: fixesOf(QUERY_RAW) };

/**
 * The normal form made by native calls when every `%` of `text` starts an escape that stays as it is:
 * `encodeURIComponent` (uppercase UTF-8 escapes; `%` becomes `%25`), then `split`/`join` per fixed
 * character, then `%25` back to `%`. A search for an escape such as `%24` cannot match inside `%2524`
 * (an original `%24`), since every original `%` is then followed by `25`. Null for text the loop
 * must read (an odd escape, a lone surrogate, a set without fixes). The loop costs ~0.6 µs a
 * character in the Wasm guest, and an include's URL holds the client's query as often as the
 * template writes it: 24 includes carrying 2,600 escaped `<` cost 121 ms of vCPU. Exported, as is
 * `loopForm`, so the test holds one to the other.
 */
export function nativeForm(text: string, raw: string): string | null {
  const fixes = FIXES[raw];
  if (fixes === undefined || ODD_ESCAPE.test(text)) return null;
  let out: string;
  try {
    out = encodeURIComponent(text);
  } catch {
    return null;
  }
  for (let i = 0; i < fixes.unescape.length; i++) out = out.split(fixes.unescape[i]![0]).join(fixes.unescape[i]![1]);
  out = out.split('%25').join('%');
  for (let i = 0; i < fixes.escape.length; i++) out = out.split(fixes.escape[i]![0]).join(fixes.escape[i]![1]);
  return out;
}

/** The normal form one character at a time: any text, and the reference the native form must equal. */
export function loopForm(text: string, raw: string): string {
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
      // A surrogate pair is one code point; a lone high surrogate is one U+FFFD and the next character its own.
      if (text.codePointAt(i)! > 0xffff) i++;
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
