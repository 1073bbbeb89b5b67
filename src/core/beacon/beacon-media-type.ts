/**
 * A beacon's `Content-Type`: `application/json` or `text/plain` (what `navigator.sendBeacon` sends),
 * with any `charset` parameter UTF-8. Other parameters are ignored.
 *
 * The header is the client's, up to the edge's 69 KB of request headers, so it is read with native
 * string calls and one RegExp: a split into parameters and a loop over them ran ~3 µs of
 * interpreted code a parameter in the Wasm guest, 49 ms of vCPU (Compute's limit is 50) for a
 * 60 KB header of `;a=b`.
 */

const MEDIA_ERROR = 'content-type must be application/json or text/plain';

/**
 * A `charset` parameter whose value is not UTF-8: the parameter's name trimmed (`\s` is exactly what
 * `trim` drops) and without case (`/i` without `u` folds ASCII only, as `toLowerCase` does for these
 * letters), its value trimmed and unquoted once, then `utf-8` or `utf8` in any case. Linear: each
 * attempt starts at a `;` and its `\s*` runs stop at the next character that is not whitespace.
 */
const OTHER_CHARSET = /;\s*charset\s*=(?!\s*(?:utf-?8|"utf-?8")\s*(?:;|$))/i;

/** Null when acceptable, else the error. */
export function checkContentType(header: string | null): string | null {
  if (header === null) return MEDIA_ERROR;
  const semicolon = header.indexOf(';');
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/plain') return MEDIA_ERROR;
  return semicolon >= 0 && OTHER_CHARSET.test(header) ? 'charset must be UTF-8' : null;
}
