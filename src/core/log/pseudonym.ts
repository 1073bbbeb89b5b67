/**
 * Pseudonymous visitor ids for logs and cache keys (docs/contracts.md#decision-event): base64url of
 * HMAC-SHA256(log_hash_key, id), cut to 22 characters (132 bits). Without the key no pseudonym.
 */
import { base64url } from '../http/base64url.ts';
import { webCrypto } from '../crypto/web-crypto.ts';
import type { HmacKey } from '../ports.ts';
import { rejected } from '../backend/rejected.ts';

const encoder = new TextEncoder();

/** The Web Crypto key for `secret`, for scripts and tests; the service uses `deps.crypto`. */
export function importHmacKey(secret: string): Promise<HmacKey> {
  return webCrypto.hmacKey(secret);
}

/**
 * The pseudonym at once when the key signs synchronously (node:crypto), else the MAC's promise as
 * the key hands it over, for `pseudonymOf` once the caller's own wait is over: a caller awaiting
 * several checks together then has nothing left to wait for, and no reaction of ours turns the MAC
 * into text (one promise job fewer per page in the Wasm guest, ~10 µs). Never throws: a key that
 * fails at once is a rejection, as from `pseudonym`.
 */
export function pseudonymSoon(key: HmacKey, id: string): string | Promise<Uint8Array | ArrayBuffer> {
  try {
    return key.signTextNow ? key.signTextNow(id).slice(0, 22) : key.sign(encoder.encode(id));
  } catch (error) {
    return rejected(error);
  }
}

/** The pseudonym of an id whose MAC under the log key is `mac` (as the key handed it over). */
export function pseudonymOf(mac: Uint8Array | ArrayBuffer): string {
  return base64url(mac).slice(0, 22);
}

/**
 * A verified id with its pseudonym, from what `pseudonymSoon` handed over once the caller's wait is
 * over (its MAC, or the text already made); undefined when none was signed or signing failed, and
 * the caller works it out again later.
 */
export function verifiedPseudonym(id: string, claimed: unknown): { id: string; pseudonym: string } | undefined {
  const text = claimed instanceof Uint8Array || claimed instanceof ArrayBuffer ? pseudonymOf(claimed) : claimed;
  return typeof text === 'string' ? { id, pseudonym: text } : undefined;
}

/** A reaction on the MAC, not an async function: one promise fewer per page in the Wasm guest (~10 µs). */
export function pseudonym(key: HmacKey, id: string): Promise<string> {
  try {
    return key.sign(encoder.encode(id)).then(pseudonymOf);
  } catch (error) {
    return rejected(error);
  }
}
