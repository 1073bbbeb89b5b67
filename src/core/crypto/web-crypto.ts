/**
 * The crypto port on Web Crypto, for Compute (where `crypto.subtle` runs natively in the host) and
 * any web-platform runtime. Imported keys are remembered per secret: on Compute each request
 * normally runs in a fresh sandbox, so this only helps a reused one; elsewhere it saves two imports
 * per request. Bounded: a rotated secret replaces the oldest entry.
 */
import type { CryptoPort, HmacKey } from '../ports.ts';

const encoder = new TextEncoder();
const imported = new Map<string, Promise<HmacKey>>();
const MAX_IMPORTED_KEYS = 8;

function wrap(key: CryptoKey): HmacKey {
  return {
    // The platform's own promise, no reaction of ours (ports.ts).
    sign: (data) => crypto.subtle.sign('HMAC', key, data),
    // subtle.verify compares in constant time.
    verify: (signature, data) => crypto.subtle.verify('HMAC', key, signature, data),
  };
}

function hmacKey(secret: string): Promise<HmacKey> {
  let key = imported.get(secret);
  if (!key) {
    // A failed import is not remembered: the next request tries again. Forgotten in the reaction
    // that wraps the key, not a separate `catch`: one promise fewer (~10 µs in the Wasm guest).
    key = hmacImport(secret).then(wrap, (error: unknown) => {
      imported.delete(secret);
      throw error;
    });
    if (imported.size >= MAX_IMPORTED_KEYS) imported.delete(imported.keys().next().value ?? '');
    imported.set(secret, key);
  }
  return key;
}

/**
 * The platform's import alone, not remembered: a caller that awaits it itself takes no reaction of
 * ours, and forgetting a failed import would need one. On Compute each request normally runs in a
 * fresh sandbox, where the memo above has nothing to remember anyway.
 */
function hmacImport(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export const webCrypto: CryptoPort = {
  hmacKey,
  hmacImport,
  hmacOf: wrap,
  // The digest's own promise: no async wrapper or reaction (each ~10 µs inside the Wasm guest).
  sha256: (data) => crypto.subtle.digest('SHA-256', data),
};
