import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

/** A straightforward reading of the same rules, as a reference: sort every time, compare lowercased. */
function referenceLocale(header: string, locales: readonly string[]): string {
  const ranges = header.slice(0, 512).split(',', 16).flatMap((entry, order) => {
    const parts = entry.split(';');
    const tag = parts[0]!.trim().toLowerCase();
    if (!/^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/.test(tag)) return [];
    const param = parts.slice(1).find((p) => p.split('=')[0]!.trim().toLowerCase() === 'q');
    const text = param === undefined ? '1' : (param.split('=')[1] ?? '').trim();
    const q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text) ? Number(text) : 0;
    return q > 0 ? [{ tag, q, order }] : [];
  }).sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranges) {
    const exact = locales.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const byLanguage = locales.find((l) => l.toLowerCase().split('-')[0] === tag.split('-')[0]);
    if (byLanguage) return byLanguage;
  }
  return locales[0] ?? 'en-US';
}

describe('negotiateLocale on long headers', () => {
  it('reads a first entry ending at the limit (511 to 514 characters) as the reference does', () => {
    for (let length = 505; length <= 516; length++) {
      for (const first of [`de${' '.repeat(length - 2)}`, `${'\t'.repeat(length - 2)}de`, `${'de-a'.padEnd(length, 'a')}`, `d${'-ab'.repeat(Math.floor((length - 1) / 3))}`]) {
        for (const header of [first, `${first},fr`, `${first},fr;q=0.5`, `${first}!,fr`]) expect(negotiateLocale(header, LOCALES), header).toBe(referenceLocale(header, LOCALES));
      }
    }
  });

  it('answers a client\'s 60 KB header of one long range as the reference does', () => {
    for (const header of ['xx-'.repeat(20_000), `de${'-xx'.repeat(20_000)}`, `de${'-xx'.repeat(20_000)},fr`, `${' '.repeat(60_000)}fr`]) {
      expect(negotiateLocale(header, LOCALES)).toBe(referenceLocale(header, LOCALES));
    }
  });
});

describe('negotiateLocale on any header', () => {
  const piece = fc.constantFrom('en', 'EN-gb', 'de-DE', 'fr', 'pt-BR', ',', ';', 'q=', ';q=0.5', ';Q=1', ';q=0', ';q=0.9=1', ' ', '*', '\u212a', 'x', '\t', '\u00a0', '\u200b', 'en-gb-x-a', 'e1');
  it('picks what the straightforward reading picks', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom(['en-US', 'en-GB', 'de-DE', 'fr-FR'], ['de-DE'], []), (pieces, locales) => {
        const header = pieces.join('');
        expect(negotiateLocale(header, locales)).toBe(referenceLocale(header, locales));
      }),
      { numRuns: 2000 },
    );
  });
});
