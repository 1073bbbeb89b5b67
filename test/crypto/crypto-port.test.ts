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


/**
 * The synchronous fast paths a port may offer (node:crypto does; Web Crypto cannot): each must give
 * exactly what the asynchronous contract above gives, which Web Crypto is checked against.
 */
describe('crypto port fast paths: node:crypto', () => {
  const b64url = (data: Uint8Array | ArrayBuffer): string => Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('base64url');
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', '.', '~', 'é', '€', '😀', '\ud800', '\0'), fc.string({ maxLength: 1 })), maxLength: 400 });
  // Secrets around the 64-byte block size, where RFC 2104 hashes a longer key first.
  const secret = fc.oneof(fc.string({ minLength: 1 }), fc.string({ minLength: 60, maxLength: 70 }), fc.string({ unit: fc.constantFrom('é', '€', 'k'), minLength: 20, maxLength: 40 }));

  it('offers the three fast paths', async () => {
    expect(typeof nodeCrypto.sha256HexNow).toBe('function');
    expect(typeof (await nodeCrypto.hmacKey('fast-path')).verifyTextNow).toBe('function');
    expect(typeof (await nodeCrypto.hmacKey('fast-path')).signTextNow).toBe('function');
    expect((await webCrypto.hmacKey('fast-path')).verifyTextNow).toBeUndefined();
  });

  it('hashes text to the hex of the FIPS 180-4 SHA-256', () => {
    expect(nodeCrypto.sha256HexNow!('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(nodeCrypto.sha256HexNow!('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('verifies the RFC 4231 test case 2 MAC and rejects it for another message', async () => {
    const key = await nodeCrypto.hmacKey('Jefe');
    const mac = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64url');
    expect(key.verifyTextNow!(mac, 'what do ya want for nothing?')).toBe(true);
    expect(key.verifyTextNow!(mac, 'what do ya want for nothing!')).toBe(false);
  });

  it('agrees with Web Crypto on any secret and text, and rejects every changed character of the MAC', async () => {
    await fc.assert(
      fc.asyncProperty(secret, text, fc.nat(42), async (secretText, message, at) => {
        const data = bytes(message);
        const mac = b64url(new Uint8Array(await (await webCrypto.hmacKey(secretText)).sign(data)));
        const key = await nodeCrypto.hmacKey(secretText);
        expect(key.verifyTextNow!(mac, message)).toBe(true);
        expect(key.signTextNow!(message)).toBe(mac);
        const changed = mac.slice(0, at) + (mac[at] === 'A' ? 'B' : 'A') + mac.slice(at + 1);
        expect(key.verifyTextNow!(changed, message)).toBe(false);
        expect(key.verifyTextNow!(mac.slice(0, 42), message)).toBe(false);
        expect(nodeCrypto.sha256HexNow!(message)).toBe(hex(await webCrypto.sha256(data)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same answer after a long text grew its buffer', async () => {
    const key = await nodeCrypto.hmacKey('growing-buffer-secret');
    const sign = async (message: string) => b64url(await key.sign(bytes(message)));
    const long = 'é'.repeat(5000);
    expect(key.verifyTextNow!(await sign('short'), 'short')).toBe(true);
    expect(key.verifyTextNow!(await sign(long), long)).toBe(true);
    expect(key.verifyTextNow!(await sign('short'), 'short')).toBe(true);
  });
});
