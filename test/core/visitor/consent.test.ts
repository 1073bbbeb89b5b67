import { describe, expect, it } from 'vitest';
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
