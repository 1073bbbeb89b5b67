/**
 * Pseudonymous visitor ids for logs and cache keys (docs/contracts.md#decision-event): base64url of
 * HMAC-SHA256(log_hash_key, id), cut to 22 characters (132 bits). Without the key no pseudonym.
 */
import { base64url } from '../http/base64url.ts';

const encoder = new TextEncoder();

/**
 * Imported keys by secret. On Compute each request normally runs in a fresh sandbox, so this only
 * helps a reused one; on the Node host it saves two imports per request. Bounded: a rotated secret
 * replaces the oldest entry.
 */
const imported = new Map<string, Promise<CryptoKey>>();
const MAX_IMPORTED_KEYS = 8;

export function importHmacKey(secret: string): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // A failed import is not remembered: the next request tries again.
    key.catch(() => imported.delete(secret));
    if (imported.size >= MAX_IMPORTED_KEYS) imported.delete(imported.keys().next().value ?? '');
    imported.set(secret, key);
  }
  return key;
}

export async function pseudonym(key: CryptoKey, id: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(id));
  return base64url(new Uint8Array(mac)).slice(0, 22);
}
