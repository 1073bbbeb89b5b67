/**
 * Signed cookie tokens `<payload>.<sig>`: sig is base64url (no padding) of
 * HMAC-SHA256(cookie_signing_key, payload), checked with the key's constant-time verify.
 */
import { base64url, decodeCheckedBase64url } from '../http/base64url.ts';
import type { HmacKey } from '../ports.ts';
import { rejected } from '../backend/rejected.ts';

const encoder = new TextEncoder();

/** A reaction on the MAC, not an async function: inside the Wasm guest each async frame and await costs ~10 µs. */
export function signToken(key: HmacKey, payload: string): Promise<string> {
  try {
    return key.sign(encoder.encode(payload)).then((mac) => `${payload}.${base64url(mac)}`);
  } catch (error) {
    return rejected(error);
  }
}

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
 * The key's verify of `parts`, or `false` for no token. May throw or reject if the key fails: a
 * caller that awaits several at once catches that around its one await and falls back to
 * `verifySafely` for each (no `.catch` here, since in the guest each extra promise costs ~10 µs).
 */
export function verifyParts(key: HmacKey, parts: TokenParts | null): Promise<boolean> | boolean {
  if (parts === null) return false;
  // A key with a synchronous check (node:crypto) takes the text as it is: no decode, no encode, no promise.
  return key.verifyTextNow ? key.verifyTextNow(parts.mac, parts.payload) : key.verify(decodeCheckedBase64url(parts.mac), encoder.encode(parts.payload));
}

/** Whether the MAC of `parts` verifies; false (never a rejection) when the key fails. */
export async function verifySafely(key: HmacKey, parts: TokenParts | null): Promise<boolean> {
  try {
    return parts !== null && (await verifyParts(key, parts));
  } catch {
    return false;
  }
}

/**
 * Returns the payload of a valid token, or null for anything else: oversize, no dot, a signature
 * of the wrong length or alphabet, or a MAC that does not verify. Never throws.
 */
export async function verifyToken(key: HmacKey, token: string, maxChars: number): Promise<string | null> {
  const parts = tokenParts(token, maxChars);
  if (parts === null) return null;
  return (await verifySafely(key, parts)) ? parts.payload : null;
}
