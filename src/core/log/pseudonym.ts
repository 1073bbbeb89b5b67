/**
 * Pseudonymous visitor ids for logs and cache keys (docs/contracts.md#decision-event): base64url of
 * HMAC-SHA256(log_hash_key, id), cut to 22 characters (132 bits). Without the key no pseudonym.
 */
import { base64url } from '../http/base64url.ts';
import { webCrypto } from '../crypto/web-crypto.ts';
import type { HmacKey } from '../ports.ts';

const encoder = new TextEncoder();

/** The Web Crypto key for `secret`, for scripts and tests; the service uses `deps.crypto`. */
export function importHmacKey(secret: string): Promise<HmacKey> {
  return webCrypto.hmacKey(secret);
}

export async function pseudonym(key: HmacKey, id: string): Promise<string> {
  return base64url(await key.sign(encoder.encode(id))).slice(0, 22);
}
