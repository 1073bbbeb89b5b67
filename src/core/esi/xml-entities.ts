/**
 * Decodes the XML entities of an ESI attribute value (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`
 * and numeric references), as XML 1.0 §4.6 predefines them. Unknown or invalid references stay
 * as written. One linear pass, no regex.
 */

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The longest reference we look at: `&#x10FFFF;` is 10 characters. */
const MAX_REFERENCE_LENGTH = 10;

export function decodeXmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  // The usual reference (`?a=1&amp;b=2`) by three native calls: when every `&` starts an `&amp;`, decoding is replacing them.
  const amps = value.split('&amp;');
  if (amps.length > 1) {
    const joined = amps.join('&');
    if (joined.split('&').length === amps.length) return joined;
  }
  let out = '';
  let last = 0;
  let at = value.indexOf('&');
  while (at !== -1) {
    const end = referenceEnd(value, at);
    const decoded = end === -1 ? null : decodeReference(value.slice(at + 1, end));
    if (decoded !== null) {
      out += value.slice(last, at) + decoded;
      last = end + 1;
    }
    at = value.indexOf('&', decoded === null ? at + 1 : last);
  }
  return out + value.slice(last);
}

/** The `;` closing a reference that starts at `at`, looked for in a bounded window (linear overall). */
function referenceEnd(value: string, at: number): number {
  const limit = Math.min(value.length, at + MAX_REFERENCE_LENGTH + 1);
  for (let i = at + 1; i < limit; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x3b) return i;
    if (c === 0x26) return -1;
  }
  return -1;
}

function decodeReference(body: string): string | null {
  if (Object.hasOwn(NAMED, body)) return NAMED[body] ?? null;
  if (!body.startsWith('#')) return null;
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1);
  if (digits.length === 0 || !isDigits(digits, hex)) return null;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : null;
}

function isDigits(text: string, hex: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const decimal = c >= 0x30 && c <= 0x39;
    const letter = hex && c >= 0x61 && c <= 0x66;
    if (!decimal && !letter) return false;
  }
  return true;
}
