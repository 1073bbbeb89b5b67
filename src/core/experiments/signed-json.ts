/**
 * A JSON document as a signed, URL-safe token: base64url(JSON) + '.' + base64url(HMAC-SHA256).
 * Used for the page decision token and QA preview links, both signed with `preview_signing_key`.
 */
import type { HmacKey } from '../ports.ts';
import { base64url, fromBase64url } from '../http/base64url.ts';
import { signToken, verifyToken } from '../visitor/signed-token.ts';

export const MAX_SIGNED_JSON_CHARS = 2048;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function signJson(key: HmacKey, value: unknown): Promise<string> {
  return signToken(key, base64url(encoder.encode(JSON.stringify(value))));
}

/** The document of a valid token, or null (forged, truncated, oversize, not JSON). Never throws. */
export async function verifyJson(key: HmacKey, token: string): Promise<unknown> {
  const payload = await verifyToken(key, token, MAX_SIGNED_JSON_CHARS);
  const bytes = payload === null ? null : fromBase64url(payload);
  if (bytes === null) return null;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return null;
  }
}
