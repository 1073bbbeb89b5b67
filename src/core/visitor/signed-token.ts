/**
 * Reading signed tokens `<payload>.<sig>`: sig is base64url (no padding) of
 * HMAC-SHA256(key, payload), checked with the key's constant-time verify. They are minted by
 * `crypto/token-mint.ts` (re-exported here as `signToken`, so a format's tests sign and read it from
 * one import).
 */
import { decodeCheckedBase64url } from '../http/base64url.ts';
import type { HmacKey } from '../ports.ts';

export { signToken } from '../crypto/token-mint.ts';

/** The longest signed JSON document token read (QA preview links, `$(DECISION)` tokens). */
export const MAX_SIGNED_JSON_CHARS = 2048;

const encoder = new TextEncoder();

/** A token split into what is signed and its signature, before any MAC is checked. */
export interface TokenParts {
  payload: string;
  /** The signature as sent: 43 base64url characters, the last one canonical. */
  mac: string;
}

/**
 * The synchronous half of a verify: null for an absent or oversize token, no dot, or a signature
 * of the wrong length or alphabet. Kept apart so a caller can start several MAC checks at once and
 * await them together (inside the Wasm guest every await costs about as much as the check).
 */
export function tokenParts(token: string | undefined, maxChars: number): TokenParts | null {
  if (token === undefined || token.length > maxChars) return null;
  // One native match instead of a dozen interpreted checks: split at the last dot, 43 signature
  // characters from the base64url alphabet, the last one canonical (its two padding bits zero).
  const match = TOKEN.exec(token);
  if (match === null) return null;
  return { payload: match[1]!, mac: match[2]! };
}

const TOKEN = /^([\s\S]+)\.([A-Za-z0-9_-]{42}[AEIMQUYcgkosw048])$/;

/**
 * The key's verify of `parts`, or `false` for no token. Never throws: a key that fails at once
 * makes its token invalid; a key that fails later rejects, so a caller awaiting several checks
 * together settles each on its own then (no `.catch` here, since in the guest each extra promise
 * costs ~10 µs).
 */
export function verifyParts(key: HmacKey | null, parts: TokenParts | null): Promise<boolean> | boolean {
  if (key === null || parts === null) return false;
  try {
    // A key with a synchronous check (node:crypto) takes the text as it is: no decode, no encode, no promise.
    return key.verifyTextNow ? key.verifyTextNow(parts.mac, parts.payload) : key.verify(decodeCheckedBase64url(parts.mac), encoder.encode(parts.payload));
  } catch {
    return false;
  }
}

/**
 * Returns the payload of a valid token, or null for anything else: oversize, no dot, a signature
 * of the wrong length or alphabet, a MAC that does not verify, or a key that fails. Never throws.
 */
export async function verifyToken(key: HmacKey, token: string, maxChars: number): Promise<string | null> {
  const parts = tokenParts(token, maxChars);
  try {
    return parts !== null && (await verifyParts(key, parts)) ? parts.payload : null;
  } catch {
    return null;
  }
}

/** `pendingAt` for more than one pending check. */
export const SEVERAL = -2;

/** The index of the one promise among the checks (the cookies', the pseudonym, a preview's); -1 for none, SEVERAL for more. */
export function pendingAt(checks: readonly unknown[]): number {
  let at = -1;
  for (let i = 0; i < checks.length; i++) {
    if (checks[i] instanceof Promise) at = at === -1 ? i : SEVERAL;
  }
  return at;
}
