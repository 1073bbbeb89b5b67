/**
 * Pseudonymous visitor ids for logs and cache keys (DESIGN §5.8): base64url of
 * HMAC-SHA256(log_hash_key, id), cut to 22 characters (132 bits). Without the key no pseudonym.
 */
import { base64url } from '../http/base64url.ts';

const encoder = new TextEncoder();

export async function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export async function pseudonym(key: CryptoKey, id: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(id));
  return base64url(new Uint8Array(mac)).slice(0, 22);
}
