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
