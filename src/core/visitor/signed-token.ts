/**
 * Signed cookie tokens `<payload>.<sig>`: sig is base64url (no padding) of
 * HMAC-SHA256(cookie_signing_key, payload), checked with the key's constant-time verify.
 */
import { base64url, fromBase64url } from '../http/base64url.ts';
import type { HmacKey } from '../ports.ts';

/** base64url of a 32-byte HMAC-SHA256 without padding. */
const SIGNATURE_CHARS = 43;

const encoder = new TextEncoder();

export async function signToken(key: HmacKey, payload: string): Promise<string> {
  return `${payload}.${base64url(await key.sign(encoder.encode(payload)))}`;
}

/**
 * Returns the payload of a valid token, or null for anything else: oversize, no dot, a signature
 * of the wrong length or alphabet, or a MAC that does not verify. Never throws.
 */
export async function verifyToken(key: HmacKey, token: string, maxChars: number): Promise<string | null> {
  if (token.length > maxChars) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length - dot - 1 !== SIGNATURE_CHARS) return null;
  const signature = fromBase64url(token.slice(dot + 1));
  if (signature === null) return null;
  const payload = token.slice(0, dot);
  try {
    const ok = await key.verify(signature, encoder.encode(payload));
    return ok ? payload : null;
  } catch {
    return null;
  }
}
