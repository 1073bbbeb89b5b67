/**
 * `escapeHtml` made of native `split`/`join` (variable-substitution.ts) gives exactly what the
 * character loop it replaced gave, for every special character, lone surrogates, empty strings and
 * a client's hostile value.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, substituteInHtml } from '../../../src/core/esi/variable-substitution.ts';
import type { EsiVariables } from '../../../src/core/esi/esi-variables.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The loop escapeHtml was before: one character at a time. */
function loopEscape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += ESCAPES[value.charAt(i)] ?? value.charAt(i);
  return out;
}

const tricky = fc.string({ unit: fc.constantFrom('&', '<', '>', '"', "'", 'a', ' ', ';', '#', '\ud800', '\udfff', '😀', 'é', '\u0000', '&amp;', '&lt;') });

describe('escapeHtml', () => {
  it('escapes the five characters, & first, and nothing else', () => {
    expect(escapeHtml(`&<>"'a`)).toBe('&amp;&lt;&gt;&quot;&#39;a');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    expect(escapeHtml('')).toBe('');
    expect(escapeHtml('plain')).toBe('plain');
    expect(escapeHtml('\ud800<\udfff')).toBe('\ud800&lt;\udfff');
  });

  it('gives what the character loop gave, for any mix of special characters and surrogates', () => {
    fc.assert(fc.property(tricky, (value) => escapeHtml(value) === loopEscape(value)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => escapeHtml(value) === loopEscape(value)), { numRuns: 500 });
  });

  it('escapes a hostile value of 8,000 special characters in full', () => {
    const value = `${'<'.repeat(2000)}${'&'.repeat(2000)}${'"'.repeat(2000)}${"'".repeat(1999)}>`;
    expect(escapeHtml(value)).toBe(loopEscape(value));
  });

  it('puts an escaped query value into a vars body byte for byte', () => {
    const vars: EsiVariables = { segment: 'default', variants: {}, geo: { region: 'eu', country: null }, device: 'desktop', locale: 'en-GB', visitor: null, query: `q=${encodeURIComponent(`<a href="x">'&'</a>`)}` };
    const out = substituteInHtml(new TextEncoder().encode('<p>$(QUERY_STRING{q})</p>'), vars);
    expect(new TextDecoder().decode(out)).toBe('<p>&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</p>');
  });
});
