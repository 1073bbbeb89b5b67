/**
 * The crypto port on `node:crypto`, synchronous: Web Crypto on Node 20 sends every sign, verify and
 * digest through libuv's thread pool (tens of µs each for a few hundred bytes), which dominated a
 * decision. Same results as the Web Crypto port; verify compares with `timingSafeEqual`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CryptoPort, HmacKey } from '../core/ports.ts';

const MAX_KEYS = 8;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): HmacKey {
  const secretBytes = Buffer.from(secret, 'utf8');
  const mac = (data: Uint8Array): Buffer => createHmac('sha256', secretBytes).update(data).digest();
  return {
    sign: (data) => Promise.resolve(new Uint8Array(mac(data))),
    verify(signature, data) {
      const expected = mac(data);
      return Promise.resolve(signature.length === expected.length && timingSafeEqual(signature, expected));
    },
  };
}

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
};
