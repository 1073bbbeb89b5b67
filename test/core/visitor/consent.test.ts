import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveConsent, resolveConsentPurposes } from '../../../src/core/visitor/consent.ts';

describe('resolveConsent', () => {
  it.each([
    { mode: 'opt-in', gpc: null, cookie: undefined, expected: 'denied' },
    { mode: 'opt-in', gpc: null, cookie: 'personalization', expected: 'granted' },
    { mode: 'opt-in', gpc: null, cookie: 'analytics,personalization', expected: 'granted' },
    { mode: 'opt-in', gpc: null, cookie: 'analytics%2Cpersonalization', expected: 'granted' },
    { mode: 'opt-in', gpc: null, cookie: ' Personalization , analytics', expected: 'granted' },
    { mode: 'opt-in', gpc: null, cookie: 'analytics', expected: 'denied' },
    { mode: 'opt-in', gpc: null, cookie: 'none', expected: 'denied' },
    { mode: 'opt-in', gpc: null, cookie: 'personalization<script>', expected: 'denied' },
    { mode: 'opt-in', gpc: null, cookie: `personalization,${'x'.repeat(300)}`, expected: 'denied' },
    { mode: 'opt-in', gpc: '1', cookie: 'personalization', expected: 'gpc' },
    { mode: 'opt-in', gpc: '0', cookie: 'personalization', expected: 'granted' },
    { mode: 'opt-in', gpc: 'yes', cookie: 'personalization', expected: 'granted' },
    { mode: 'opt-in', gpc: '1, 1', cookie: 'personalization', expected: 'gpc' },
    { mode: 'opt-in', gpc: '1,1,1', cookie: 'personalization', expected: 'gpc' },
    { mode: 'opt-in', gpc: '1, 0', cookie: 'personalization', expected: 'granted' },
    { mode: 'opt-in', gpc: null, cookie: 'none,personalization', expected: 'denied' },
    { mode: 'opt-in', gpc: null, cookie: 'personalization,NONE', expected: 'denied' },
    { mode: 'opt-out', gpc: null, cookie: 'none,personalization', expected: 'denied' },
    { mode: 'opt-out', gpc: '1, 1', cookie: undefined, expected: 'gpc' },
    { mode: 'opt-out', gpc: null, cookie: undefined, expected: 'granted' },
    { mode: 'opt-out', gpc: null, cookie: 'none', expected: 'denied' },
    { mode: 'opt-out', gpc: null, cookie: 'analytics', expected: 'denied' },
    { mode: 'opt-out', gpc: null, cookie: 'personalization', expected: 'granted' },
    { mode: 'opt-out', gpc: null, cookie: 'bad value!', expected: 'granted' },
    { mode: 'opt-out', gpc: '1', cookie: undefined, expected: 'gpc' },
  ] as const)('$mode with Sec-GPC $gpc and consent=$cookie is $expected', ({ mode, gpc, cookie, expected }) => {
    expect(resolveConsent(mode, gpc, cookie)).toBe(expected);
  });
});

describe('resolveConsentPurposes', () => {
  it.each([
    { mode: 'opt-in', gpc: null, cookie: 'personalization', analytics: false },
    { mode: 'opt-in', gpc: null, cookie: 'analytics', analytics: true },
    { mode: 'opt-in', gpc: null, cookie: 'personalization,analytics', analytics: true },
    { mode: 'opt-in', gpc: null, cookie: 'none,analytics', analytics: false },
    { mode: 'opt-in', gpc: null, cookie: undefined, analytics: false },
    { mode: 'opt-in', gpc: '1', cookie: 'personalization,analytics', analytics: false },
    { mode: 'opt-out', gpc: null, cookie: undefined, analytics: true },
    { mode: 'opt-out', gpc: null, cookie: 'personalization', analytics: false },
    { mode: 'opt-out', gpc: null, cookie: 'none', analytics: false },
  ] as const)('$mode with Sec-GPC $gpc and consent=$cookie grants analytics: $analytics', ({ mode, gpc, cookie, analytics }) => {
    expect(resolveConsentPurposes(mode, gpc, cookie).analytics).toBe(analytics);
  });
});

/** The cookie read one purpose at a time (trim, lowercase, check each), as a reference. */
function referencePurposes(mode: 'opt-in' | 'opt-out', value: string | undefined): { state: string; analytics: boolean } {
  const read = (): string[] | null => {
    if (value === undefined || value.length === 0 || value.length > 256) return null;
    const purposes = value.replaceAll('%2C', ',').replaceAll('%2c', ',').split(',').map((part) => part.trim().toLowerCase());
    return purposes.every((purpose) => /^[a-z0-9_-]{1,64}$/.test(purpose)) ? purposes : null;
  };
  const purposes = read();
  const grants = (purpose: string): boolean => (purposes === null ? mode === 'opt-out' : !purposes.includes('none') && purposes.includes(purpose));
  return { state: grants('personalization') ? 'granted' : 'denied', analytics: grants('analytics') };
}

describe('resolveConsentPurposes on any cookie value', () => {
  const piece = fc.oneof(
    fc.constantFrom('personalization', 'analytics', 'none', 'NONE', 'Analytics', ',', '%2C', '%2c', ' ', '\t', '\u00a0', '\u212a', '\u0130', '', 'x'.repeat(64), 'x'.repeat(65)),
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  it('reads every purpose list exactly as trimming and lowercasing each purpose does', () => {
    fc.assert(
      fc.property(fc.constantFrom('opt-in', 'opt-out'), fc.array(piece, { maxLength: 8 }), (mode, pieces) => {
        const value = pieces.join('');
        expect(resolveConsentPurposes(mode, null, value)).toEqual(referencePurposes(mode, value));
      }),
      { numRuns: 2000 },
    );
  });
});
