/**
 * The crypto port: HMAC-SHA256 for signed cookies, tokens and pseudonyms, SHA-256 for cache keys past 1 KiB (shorter keys are their plain text, cache-key.ts).
 * Part of the `deps` object (ports.ts); Web Crypto (web-crypto.ts) is the default, and the Node
 * host offers a synchronous node:crypto port (src/node-host/node-crypto.ts) with the same results.
 */

/** HMAC-SHA256 under one secret. */
export interface HmacKey {
  /**
   * The MAC as the platform returns it: turning Web Crypto's ArrayBuffer into bytes would cost one
   * more promise reaction per MAC (~10 µs inside the Wasm guest), so the callers take either.
   */
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array | ArrayBuffer>;
  /** True when `signature` is the MAC of `data`, compared in constant time. */
  verify(signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
  /**
   * Optional, synchronous: whether `mac` (canonical unpadded base64url) is the MAC of `text`'s
   * UTF-8 bytes, compared in constant time. Offered where HMAC is a cheap native call (node:crypto);
   * Web Crypto has none, so the Wasm guest keeps `verify`.
   */
  verifyTextNow?(mac: string, text: string): boolean;
  /** Optional, synchronous: the MAC of `text`'s UTF-8 bytes as unpadded base64url (see verifyTextNow). */
  signTextNow?(text: string): string;
  /**
   * Optional: start whatever a first use would wait for (a key read on first use, service-keys.ts)
   * now, so that a use expected later finds the key in. Never throws; failures show on the use.
   */
  prepare?(): void;
}

/**
 * HMAC and SHA-256. Web Crypto everywhere by default; a host may offer a faster implementation
 * with the same results (on Node, Web Crypto is a round trip through libuv's thread pool).
 */
export interface CryptoPort {
  /** The key for `secret`; implementations remember imported keys per secret. */
  hmacKey(secret: string): Promise<HmacKey>;
  /**
   * Optional, with `hmacOf`: `hmacKey` in two steps for a caller's own await,
   * `hmacOf(await hmacImport(secret))`, without the reaction that wraps the platform's key (inside
   * the Wasm guest a promise and a promise job fewer per key; web-crypto.ts).
   */
  hmacImport?(secret: string): Promise<CryptoKey>;
  hmacOf?(key: CryptoKey): HmacKey;
  /**
   * The digest as the platform returns it: turning Web Crypto's ArrayBuffer into bytes would cost
   * one more promise reaction (~10 µs inside the Wasm guest).
   */
  sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array | ArrayBuffer>;
  /** Optional, synchronous: the SHA-256 of `text`'s UTF-8 bytes in lowercase hex (see verifyTextNow). */
  sha256HexNow?(text: string): string;
}
