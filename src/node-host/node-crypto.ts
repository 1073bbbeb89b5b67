/**
 * The crypto port on `node:crypto`, synchronous: Web Crypto on Node 20 sends every sign, verify and
 * digest through libuv's thread pool (tens of µs each for a few hundred bytes), which dominated a
 * decision. Same results as the Web Crypto port; verify compares with `timingSafeEqual`.
 *
 * It also offers the port's synchronous fast paths (`verifyTextNow`, `signTextNow`, `sha256HexNow`), which take
 * and return text: a signed cookie is checked without decoding its MAC or encoding its payload
 * into a Uint8Array, and a page key is hashed straight to hex by the one-shot `hash`, without the
 * stream object and Buffer copy of `createHash` (together most of a decision's CPU on Node).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as nodeCryptoModule from 'node:crypto';
import type { CryptoPort, HmacKey } from '../core/ports.ts';

const MAX_KEYS = 8;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): HmacKey {
  const secretBytes = Buffer.from(secret, 'utf8');
  const mac = (data: Uint8Array): Buffer => createHmac('sha256', secretBytes).update(data).digest();
  const textMac = textMacOf(secretBytes);
  return {
    sign: (data) => Promise.resolve(new Uint8Array(mac(data))),
    verify(signature, data) {
      const expected = mac(data);
      return Promise.resolve(signature.length === expected.length && timingSafeEqual(signature, expected));
    },
    verifyTextNow: (signature, text) => sameText(signature, textMac(text)),
    signTextNow: textMac,
  };
}

type OneShot = (algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex' | 'latin1' | 'base64url') => string;
/** `crypto.hash` (one-shot, Node ≥ 20.12): no stream object per digest, unlike `createHash`. */
const oneShot = (nodeCryptoModule as { hash?: OneShot }).hash;

const BLOCK = 64;

/**
 * HMAC-SHA256 of UTF-8 text as base64url, by RFC 2104 over two one-shot hashes with the key's
 * padded blocks made once: `createHmac` sets up the key again on every call, which was the
 * largest single cost of a decision. Same bytes as `createHmac` (the contract tests compare them).
 * Buffers are reused: JavaScript runs one call at a time, and nothing is kept between calls.
 */
function textMacOf(secretBytes: Buffer): (text: string) => string {
  const hash = oneShot;
  if (!hash) return (text) => createHmac('sha256', secretBytes).update(text, 'utf8').digest('base64url');
  const key = secretBytes.length > BLOCK ? createHash('sha256').update(secretBytes).digest() : secretBytes;
  const innerPad = Buffer.alloc(BLOCK, 0x36);
  const outer = Buffer.alloc(BLOCK + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    innerPad[i]! ^= key[i]!;
    outer[i]! ^= key[i]!;
  }
  let inner = Buffer.alloc(BLOCK + 256);
  innerPad.copy(inner);
  return (text) => {
    // At most 3 UTF-8 bytes per UTF-16 unit (a lone surrogate becomes U+FFFD, as TextEncoder does).
    if (inner.length < BLOCK + text.length * 3) {
      inner = Buffer.alloc(BLOCK + text.length * 3);
      innerPad.copy(inner);
    }
    const length = inner.write(text, BLOCK, 'utf8');
    outer.write(hash('sha256', inner.subarray(0, BLOCK + length), 'latin1'), BLOCK, 'latin1');
    return hash('sha256', outer, 'base64url');
  };
}

/**
 * Constant-time equality of two strings of the same public length (base64url MACs): every
 * character is compared whatever the first difference, so timing says nothing about where it is.
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const sha256Hex = oneShot ? (text: string): string => oneShot('sha256', text, 'hex') : (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const nodeCrypto: CryptoPort = {
  hmacKey(secret) {
    let key = keys.get(secret);
    if (!key) {
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value ?? '');
      keys.set(secret, (key = Promise.resolve(hmacKey(secret))));
    }
    return key;
  },
  sha256: (data) => Promise.resolve(new Uint8Array(createHash('sha256').update(data).digest())),
  sha256HexNow: sha256Hex,
};
