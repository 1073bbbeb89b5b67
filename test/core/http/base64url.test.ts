/**
 * base64url without padding (RFC 4648 §5): the encoding every signed cookie, pseudonym and decision
 * token uses, checked against Node's own encoder, and the strict decoder's refusals.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64url, base64urlOfBinary, fromBase64url } from '../../../src/core/http/base64url.ts';

describe('base64url', () => {
  it('encodes any bytes as Node does, without padding', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }));
  });

  it('encodes a body longer than one fromCharCode chunk', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 255);
    expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
  });

  it('encodes a binary string as the bytes of its chars, and ASCII text as its UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(base64urlOfBinary(String.fromCharCode(...bytes))).toBe(base64url(bytes));
    }));
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)), maxLength: 200 });
    fc.assert(fc.property(ascii, (text) => {
      expect(base64urlOfBinary(text)).toBe(base64url(new TextEncoder().encode(text)));
    }));
  });

  it('decodes what it encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(fromBase64url(base64url(bytes))).toEqual(new Uint8Array(bytes));
    }));
  });

  it('decodes every 32-byte MAC and an ArrayBuffer as it encodes them', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
      expect(fromBase64url(base64url(bytes.buffer))).toEqual(new Uint8Array(bytes));
    }));
  });

  it.each([
    { text: 'A', why: 'an impossible length' },
    { text: 'AAAAA', why: 'an impossible length' },
    { text: 'AB', why: 'non-zero trailing bits (one byte)' },
    { text: 'AAB', why: 'non-zero trailing bits (two bytes)' },
    { text: 'AA==', why: 'padding' },
    { text: 'A+A/', why: 'the standard alphabet' },
    { text: 'AA AA', why: 'whitespace' },
    { text: 'AAé', why: 'a non-ASCII character' },
  ])('refuses $text ($why)', ({ text }) => {
    expect(fromBase64url(text)).toBeNull();
  });

  it('decodes the empty string to no bytes', () => {
    expect(fromBase64url('')).toEqual(new Uint8Array(0));
  });
});
