import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signToken, tokenParts, verifyToken } from '../../../src/core/visitor/signed-token.ts';
import { fromBase64url } from '../../../src/core/http/base64url.ts';
import { signingKey } from './signing-key.ts';

/** The token read step by step (last dot, signature length, base64url decode), as a reference. */
function referenceParts(token: string, maxChars: number): { payload: string; mac: string } | null {
  if (token.length > maxChars) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length - dot - 1 !== 43) return null;
  const mac = token.slice(dot + 1);
  return fromBase64url(mac) === null ? null : { payload: token.slice(0, dot), mac };
}

const key = await signingKey();

describe('tokenParts', () => {
  const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''));
  const signature = fc.oneof(
    fc.tuple(fc.string({ unit: alphabet, minLength: 41, maxLength: 43 }), alphabet).map(([body, last]) => body + last),
    fc.string({ unit: fc.constantFrom(...'AEIMQUYcgkosw048Bz9_-+/=.'.split('')), minLength: 41, maxLength: 45 }),
  );
  const payload = fc.string({ unit: fc.constantFrom('a', '.', '~', '\n', 'é', ' '), maxLength: 6 });

  it('splits every token exactly as reading it step by step does', () => {
    fc.assert(
      fc.property(payload, fc.constantFrom('.', '', '..'), signature, (text, dot, sig) => {
        const token = `${text}${dot}${sig}`;
        expect(tokenParts(token, 200)).toEqual(referenceParts(token, 200));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    { token: undefined, why: 'absent' },
    { token: `u1.${'A'.repeat(43)}`, why: 'too long for the limit', max: 10 },
    { token: `.${'A'.repeat(43)}`, why: 'an empty payload' },
    { token: `u1.${'A'.repeat(42)}B`, why: 'a non-canonical last character' },
    { token: `u1.${'A'.repeat(42)}`, why: 'a short signature' },
  ])('reads a token with $why as no token', ({ token, max }) => {
    expect(tokenParts(token, max ?? 200)).toBeNull();
  });

  it('verifies a signed payload holding dots and a newline', async () => {
    const token = await signToken(key, 'a.b\nc');
    expect(await verifyToken(key, token, 200)).toBe('a.b\nc');
  });
});

