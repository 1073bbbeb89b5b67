/**
 * base64url without padding (RFC 4648 §5), over bytes, for signed cookies and pseudonyms. Both
 * directions lean on the runtime's native `btoa`/`atob` and string replacement: inside the Wasm
 * guest a loop over characters is interpreted, one operation at a time.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Arguments per `String.fromCharCode` call, well under any engine's argument limit. */
const CHUNK = 8192;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const part = i === 0 && bytes.length <= CHUNK ? bytes : bytes.subarray(i, i + CHUNK);
    binary += Reflect.apply(String.fromCharCode, null, part) as string;
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Decodes unpadded base64url; null for any character outside the alphabet or an impossible length. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  const rest = text.length % 4;
  if (rest === 1 || !BASE64URL.test(text)) return null;
  // Non-canonical trailing bits would let two strings decode to the same bytes.
  const last = rest === 0 ? 0 : ALPHABET.indexOf(text[text.length - 1]!);
  if ((rest === 2 && (last & 15) !== 0) || (rest === 3 && (last & 3) !== 0)) return null;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
