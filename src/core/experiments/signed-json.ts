/**
 * A JSON document as a signed, URL-safe token: base64url(JSON) + '.' + base64url(HMAC-SHA256).
 * Used for the page decision token and QA preview links, both signed with `preview_signing_key`
 * (minted by `crypto/token-mint.ts` `signJson`). This is the reading half.
 */
import type { HmacKey } from '../ports.ts';
import { fromBase64url } from '../http/base64url.ts';
import { MAX_SIGNED_JSON_CHARS, verifyToken } from '../visitor/signed-token.ts';

const decoder = new TextDecoder();

/** The document of a valid token, or null (forged, truncated, oversize, not JSON). Never throws. */
export async function verifyJson(key: HmacKey, token: string): Promise<unknown> {
  return readJson(await verifyToken(key, token, MAX_SIGNED_JSON_CHARS));
}

/** The document in a verified token's payload, or null (none, not base64url, not JSON). Never throws. */
export function readJson(payload: string | null): unknown {
  const bytes = payload === null ? null : fromBase64url(payload);
  if (bytes === null) return null;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return null;
  }
}
