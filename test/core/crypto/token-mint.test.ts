import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signJson, signJsonInto, signToken, signTokens } from '../../../src/core/crypto/token-mint.ts';
import { verifyToken } from '../../../src/core/visitor/signed-token.ts';
import { verifyJson } from '../../../src/core/experiments/signed-json.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';
import { base64url } from '../../../src/core/http/base64url.ts';
import type { HmacKey } from '../../../src/core/ports.ts';

const SECRET = 'token-mint-secret-0123456789abcdef';
const web = await webCrypto.hmacKey(SECRET);
const node = await nodeCrypto.hmacKey(SECRET);

describe('token minting', () => {
  it('mints the same token with a synchronous key (node:crypto) as with Web Crypto, for any payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (payload) => {
        expect(await signToken(node, payload)).toBe(await signToken(web, payload));
      }),
      { numRuns: 200 },
    );
  });

  it('mints tokens the reader verifies back to their payload', async () => {
    const tokens = await signTokens(web, ['u00042', 's2~u00042~shoes~hats']);
    expect(await Promise.all(tokens.map((token) => verifyToken(web, token, 300)))).toEqual(['u00042', 's2~u00042~shoes~hats']);
  });

  it('signs each payload of a batch on its own, in order', async () => {
    expect(await signTokens(web, ['a', 'b'])).toEqual([await signToken(web, 'a'), await signToken(web, 'b')]);
    expect(await signTokens(web, [])).toEqual([]);
  });

  it('mints a JSON document the reader reads back', async () => {
    const document = { v: 1, s: 'vip', x: { 'hero-copy': ['bold', ['hero']] } };
    expect(await verifyJson(web, await signJson(web, document))).toEqual(document);
  });

  it('signs a document as the base64url of its UTF-8 JSON, ASCII or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 }))), async (document) => {
        const payload = base64url(new TextEncoder().encode(JSON.stringify(document)));
        expect(await signJson(web, document)).toBe(await signToken(web, payload));
      }),
      { numRuns: 200 },
    );
    const accented = { s: 'café', x: { 'ß-test': ['ü', ['hero']] } };
    expect(await signJson(web, accented)).toBe(await signToken(web, base64url(new TextEncoder().encode(JSON.stringify(accented)))));
  });

  it('hands signJson\'s token to the callback, once, with a Web Crypto key and a synchronous one', async () => {
    const document = { v: 1, s: 'vip', x: { 'hero-copy': ['bold', ['hero']] }, t: '/café' };
    for (const key of [web, node]) {
      const tokens: Array<string | null> = [];
      await new Promise<void>((resolve) => signJsonInto(key, document, (token) => (tokens.push(token), resolve())));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(tokens).toEqual([await signJson(web, document)]);
    }
  });

  it.each([
    { name: 'throws', key: { sign: () => { throw new Error('key unusable'); }, verify: () => Promise.resolve(false) } },
    { name: 'rejects', key: { sign: () => Promise.reject(new Error('key unusable')), verify: () => Promise.resolve(false) } },
    { name: 'throws synchronously', key: { sign: () => Promise.resolve(new Uint8Array(32)), verify: () => Promise.resolve(false), signTextNow: () => { throw new Error('key unusable'); } } },
  ] satisfies Array<{ name: string; key: HmacKey }>)('hands null to the callback, once, for a key that $name', async ({ key }) => {
    const tokens: Array<string | null> = [];
    signJsonInto(key, { v: 1 }, (token) => tokens.push(token));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tokens).toEqual([null]);
  });

  it('hands null to the callback for a document JSON cannot write', async () => {
    const tokens: Array<string | null> = [];
    signJsonInto(web, { n: 1n }, (token) => tokens.push(token));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tokens).toEqual([null]);
  });

  it.each([
    { name: 'throws', key: { sign: () => { throw new Error('key unusable'); }, verify: () => Promise.resolve(false) } },
    { name: 'rejects', key: { sign: () => Promise.reject(new Error('key unusable')), verify: () => Promise.resolve(false) } },
  ] satisfies Array<{ name: string; key: HmacKey }>)('turns a key that $name into a rejection, never a synchronous throw', async ({ key }) => {
    await expect(signToken(key, 'u1')).rejects.toThrow('key unusable');
    await expect(signTokens(key, ['u1', 'u2'])).rejects.toThrow('key unusable');
    await expect(signJson(key, { v: 1 })).rejects.toThrow('key unusable');
  });
});
