/**
 * base64url without padding (RFC 4648 §5), over bytes, for signed cookies and pseudonyms. Both
 * directions lean on the runtime's native `btoa`/`atob` and string replacement: inside the Wasm
 * guest a loop over characters is interpreted, one operation at a time.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Arguments per `String.fromCharCode` call, well under any engine's argument limit. */
const CHUNK = 8192;

/** `data` may be an ArrayBuffer as Web Crypto hands it over (a MAC or digest), read without a copy. */
export function base64url(data: Uint8Array | ArrayBuffer): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const part = i === 0 && bytes.length <= CHUNK ? bytes : bytes.subarray(i, i + CHUNK);
    binary += Reflect.apply(String.fromCharCode, null, part) as string;
  }
  return base64urlOfBinary(binary);
}

/**
 * base64url of a binary string (one char per byte, below 256), e.g. ASCII text, which is its own
 * UTF-8: no byte array and no `fromCharCode` over it.
 */
export function base64urlOfBinary(binary: string): string {
  // The padding is known from the length, so it is cut with `slice`; `split`/`join` over a string
  // run natively (so does `replaceAll` with a string pattern), while a RegExp `replace` runs
  // self-hosted (interpreted) code in SpiderMonkey (`npx tsx bench/wasm-builtins.ts`).
  const padded = btoa(binary);
  const rest = binary.length % 3;
  return (rest === 0 ? padded : padded.slice(0, rest - 3)).split('+').join('-').split('/').join('_');
}

/** Decodes unpadded base64url; null for any character outside the alphabet or an impossible length. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  const rest = text.length % 4;
  if (rest === 1 || !BASE64URL.test(text)) return null;
  // Non-canonical trailing bits would let two strings decode to the same bytes.
  const last = rest === 0 ? 0 : ALPHABET.indexOf(text[text.length - 1]!);
  if ((rest === 2 && (last & 15) !== 0) || (rest === 3 && (last & 3) !== 0)) return null;
  return decodeCheckedBase64url(text);
}

/**
 * The bytes of base64url text a caller has already checked (alphabet, length, canonical last
 * character), e.g. by a pattern that also splits it out of a token: the native `atob` over a
 * one-char-per-byte string, without checking again.
 */
export function decodeCheckedBase64url(text: string): Uint8Array<ArrayBuffer> {
  return binaryBytes(atob(toBase64(text)));
}

/** base64url → base64 with `split`/`join`, which run natively (see base64url). */
function toBase64(text: string): string {
  return text.split('-').join('+').split('_').join('/');
}

/**
 * The bytes of a binary string (one char per byte, as `atob` returns). Four per loop turn: inside
 * the Wasm guest each turn's compare and increment are interpreted too.
 */
function binaryBytes(binary: string): Uint8Array<ArrayBuffer> {
  const n = binary.length;
  if (n === 32) return bytes32(binary);
  const out = new Uint8Array(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = binary.charCodeAt(i);
    out[i + 1] = binary.charCodeAt(i + 1);
    out[i + 2] = binary.charCodeAt(i + 2);
    out[i + 3] = binary.charCodeAt(i + 3);
  }
  for (; i < n; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A MAC's 32 bytes without a loop: each page decodes one, and the guest interprets every loop turn. */
function bytes32(t: string): Uint8Array<ArrayBuffer> {
  const o = new Uint8Array(32);
  o[0] = t.charCodeAt(0); o[1] = t.charCodeAt(1); o[2] = t.charCodeAt(2); o[3] = t.charCodeAt(3);
  o[4] = t.charCodeAt(4); o[5] = t.charCodeAt(5); o[6] = t.charCodeAt(6); o[7] = t.charCodeAt(7);
  o[8] = t.charCodeAt(8); o[9] = t.charCodeAt(9); o[10] = t.charCodeAt(10); o[11] = t.charCodeAt(11);
  o[12] = t.charCodeAt(12); o[13] = t.charCodeAt(13); o[14] = t.charCodeAt(14); o[15] = t.charCodeAt(15);
  o[16] = t.charCodeAt(16); o[17] = t.charCodeAt(17); o[18] = t.charCodeAt(18); o[19] = t.charCodeAt(19);
  o[20] = t.charCodeAt(20); o[21] = t.charCodeAt(21); o[22] = t.charCodeAt(22); o[23] = t.charCodeAt(23);
  o[24] = t.charCodeAt(24); o[25] = t.charCodeAt(25); o[26] = t.charCodeAt(26); o[27] = t.charCodeAt(27);
  o[28] = t.charCodeAt(28); o[29] = t.charCodeAt(29); o[30] = t.charCodeAt(30); o[31] = t.charCodeAt(31);
  return o;
}
