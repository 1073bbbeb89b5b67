/**
 * One contract for the crypto port, run against both implementations: Web Crypto (Compute, and the
 * default) and the synchronous node:crypto port of the Node host. Known-answer vectors come from
 * RFC 4231 (HMAC-SHA256) and FIPS 180-4 (SHA-256), so both are checked against the standard, not
 * only against each other.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { webCrypto } from '../../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../../src/node-host/node-crypto.ts';
import type { CryptoPort } from '../../src/core/ports.ts';

const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);
const hex = (data: Uint8Array | ArrayBuffer): string => Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('hex');

describe.each([
  { name: 'Web Crypto', port: webCrypto },
  { name: 'node:crypto', port: nodeCrypto },
] satisfies Array<{ name: string; port: CryptoPort }>)('crypto port: $name', ({ port }) => {
  it('computes the RFC 4231 test case 2 HMAC-SHA256', async () => {
    const key = await port.hmacKey('Jefe');
    expect(hex(await key.sign(bytes('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('computes the FIPS 180-4 SHA-256 of "abc" and of nothing', async () => {
    expect(hex(await port.sha256(bytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(await port.sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('verifies its own signature and rejects a flipped bit, a short signature and another key', async () => {
    const key = await port.hmacKey('contract-secret-0123456789abcdef');
    const data = bytes('u00042');
    const signature = new Uint8Array(await key.sign(data));
    expect(await key.verify(signature, data)).toBe(true);
    const flipped = signature.slice();
    flipped[31] = flipped[31]! ^ 1;
    expect(await key.verify(flipped, data)).toBe(false);
    expect(await key.verify(signature.slice(0, 31), data)).toBe(false);
    expect(await key.verify(new Uint8Array(0), data)).toBe(false);
    expect(await (await port.hmacKey('another-secret')).verify(signature, data)).toBe(false);
  });

  it('hands out the same key for the same secret', async () => {
    expect(await port.hmacKey('remembered')).toBe(await port.hmacKey('remembered'));
  });

  it('keys multi-byte secrets by their UTF-8 bytes', async () => {
    const key = await port.hmacKey('clé-secrète-€');
    expect(hex(await key.sign(bytes('x')))).toBe(hex(await (await webCrypto.hmacKey('clé-secrète-€')).sign(bytes('x'))));
  });

  it('agrees with Web Crypto on any secret and message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.uint8Array({ maxLength: 300 }), async (secret, message) => {
        const data = new Uint8Array(message);
        const ours = await (await port.hmacKey(secret)).sign(data);
        expect(hex(ours)).toBe(hex(await (await webCrypto.hmacKey(secret)).sign(data)));
        expect(hex(await port.sha256(data))).toBe(hex(await webCrypto.sha256(data)));
      }),
      { numRuns: 100 },
    );
  });

  it('never verifies a signature of random bytes', async () => {
    const key = await port.hmacKey('random-signature-secret');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (sig) => {
        expect(await key.verify(new Uint8Array(sig), bytes('payload'))).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

