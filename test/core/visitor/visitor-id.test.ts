import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isVisitorId, mintVisitorId, readVisitorId, visitorIdCookie } from '../../../src/core/visitor/visitor-id.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { base64url } from '../../../src/core/http/base64url.ts';
import { signingKey } from './signing-key.ts';

const key = await signingKey();
const otherKey = await signingKey('another-key-entirely-0123456789abcdef');
const valueOf = (setCookie: string): string => setCookie.slice('vid='.length, setCookie.indexOf(';'));

describe('vid cookie', () => {
  it('round-trips a minted id through its Set-Cookie value', async () => {
    const id = mintVisitorId();
    expect(await readVisitorId(key, valueOf(await visitorIdCookie(key, id)))).toBe(id);
  });

  it('mints 22-character ids from the cookie alphabet, never the same twice', () => {
    const ids = new Set(Array.from({ length: 1000 }, mintVisitorId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('matches docs/contracts.md#cookies-identity-and-consent: sig = base64url(HMAC-SHA256(key, id)) without padding', async () => {
    const raw = await crypto.subtle.importKey('raw', new TextEncoder().encode('test-cookie-signing-key-0123456789abcdef'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = await crypto.subtle.sign('HMAC', raw, new TextEncoder().encode('u00042'));
    expect(await readVisitorId(key, `u00042.${base64url(new Uint8Array(mac))}`)).toBe('u00042');
  });

  it('sets Secure, HttpOnly, SameSite=Lax, Path=/ and a one-year Max-Age', async () => {
    const header = await visitorIdCookie(key, 'abc');
    expect(header).toMatch(/^vid=abc\.[A-Za-z0-9_-]{43}; /);
    for (const part of ['Max-Age=31536000', 'Path=/', 'Secure', 'HttpOnly', 'SameSite=Lax']) expect(header.split('; ')).toContain(part);
  });

  it.each([
    { name: 'absent', value: undefined },
    { name: 'empty', value: '' },
    { name: 'no signature', value: 'abc' },
    { name: 'empty signature', value: 'abc.' },
    { name: 'invalid base64', value: `abc.${'*'.repeat(43)}` },
    { name: 'padded signature', value: `abc.${'A'.repeat(42)}=` },
    { name: 'oversize id', value: `${'a'.repeat(65)}.${'A'.repeat(43)}` },
    { name: '8 KB value', value: 'a'.repeat(8192) },
  ])('treats a $name vid as absent', async ({ value }) => {
    expect(await readVisitorId(key, value)).toBeNull();
  });

  it('rejects a cookie signed with another key', async () => {
    expect(await readVisitorId(key, await signToken(otherKey, 'abc'))).toBeNull();
  });

  it('rejects a signed payload outside the id alphabet', async () => {
    expect(await readVisitorId(key, await signToken(key, 'a b'))).toBeNull();
    expect(await readVisitorId(key, await signToken(key, 's2~u00042~running'))).toBeNull();
  });

  it('rejects every mutation of a valid cookie', async () => {
    const valid = await signToken(key, 'visitor_123-abc');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 127 }), fc.boolean(), async (at, code, truncate) => {
        const mutated = truncate ? valid.slice(0, at) : valid.slice(0, at) + String.fromCharCode(code) + valid.slice(at + 1);
        fc.pre(mutated !== valid);
        expect(await readVisitorId(key, mutated)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('validates ids against [A-Za-z0-9_-]{1,64}', () => {
    expect(isVisitorId('a'.repeat(64))).toBe(true);
    expect(isVisitorId('a'.repeat(65))).toBe(false);
    expect(isVisitorId('')).toBe(false);
    expect(isVisitorId('a.b')).toBe(false);
  });
});
