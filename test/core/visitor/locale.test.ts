import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../../src/core/visitor/locale.ts';

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR'];

describe('negotiateLocale', () => {
  it.each([
    { header: null, expected: 'en-US' },
    { header: '', expected: 'en-US' },
    { header: 'en-GB', expected: 'en-GB' },
    { header: 'EN-gb', expected: 'en-GB' },
    { header: 'de', expected: 'de-DE' },
    { header: 'de-AT,en-GB;q=0.9', expected: 'de-DE' },
    { header: 'fr-CA;q=0.5, en-GB;q=0.8', expected: 'en-GB' },
    { header: 'es, fr;q=0.1', expected: 'fr-FR' },
    { header: 'de;q=0, fr', expected: 'fr-FR' },
    { header: 'de;q=1.5, fr;q=0.2', expected: 'fr-FR' },
    { header: 'de;q=abc, fr;q=0.2', expected: 'fr-FR' },
    { header: '*', expected: 'en-US' },
    { header: 'ja, zh', expected: 'en-US' },
    { header: 'en-GB;q=0.5, de;q=0.5', expected: 'en-GB' },
  ])('picks $expected for "$header"', ({ header, expected }) => {
    expect(negotiateLocale(header, LOCALES)).toBe(expected);
  });

  it('reads only the first 16 entries', () => {
    const header = [...Array.from({ length: 16 }, () => 'xx'), 'de'].join(',');
    expect(negotiateLocale(header, LOCALES)).toBe('en-US');
  });

  it('reads only the first 512 characters of a 10,000-character header', () => {
    expect(negotiateLocale(`${'x'.repeat(10_000)},de`, LOCALES)).toBe('en-US');
    expect(negotiateLocale(`fr,${'a-'.repeat(5000)}!`, LOCALES)).toBe('fr-FR');
  });
});
