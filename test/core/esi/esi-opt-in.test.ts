/** Which responses opt in to ESI (docs/contracts.md#templates). */
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { isEsiTemplate } from '../../../src/core/esi/esi-opt-in.ts';
import { directives } from '../../../src/core/http/cache-directives.ts';

it.each<{ headers: Record<string, string>; expected: boolean }>([
  { headers: { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'TEXT/HTML', 'surrogate-control': 'max-age=60, content="ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'content="ESI-Inline/1.0 ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'max-age=60' }, expected: false },
  { headers: { 'content-type': 'text/html' }, expected: false },
  { headers: { 'content-type': 'application/json', 'surrogate-control': 'content="ESI/1.0"' }, expected: false },
  { headers: { 'content-type': 'text/htmlx', 'surrogate-control': 'content="ESI/1.0"' }, expected: false },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'content="ESI/2.0"' }, expected: false },
])('$headers → $expected', ({ headers, expected }) => {
  expect(isEsiTemplate(new Headers(headers))).toBe(expected);
});

/** The opt-in as the full directive parser reads it, the reference the plain-value shortcut must match. */
function optInByFullParser(surrogateControl: string): boolean {
  const content = directives(surrogateControl).get('content');
  if (content === undefined) return false;
  return (content.split(';')[0] ?? '').replaceAll('"', ' ').split(' ').some((capability) => capability.toUpperCase() === 'ESI/1.0');
}

const piece = fc.constantFrom('content="ESI/1.0"', 'content="esi/1.0"', 'content="ESI/2.0"', 'content=ESI/1.0', 'max-age=60', 'public', 'no-store', 'stale-while-revalidate=30', 'content="ESI/1.0";edge', ' content="ESI/1.0"', 'CONTENT="ESI/1.0"', '');
const separator = fc.constantFrom(',', ', ', ' ,', ' , ', ';');

it('answers as the full directive parser for any Surrogate-Control value built from common and unusual directives', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(piece, separator), { maxLength: 5 }), (parts) => {
      const value = parts.map(([text, sep], i) => (i === 0 ? text : sep + text)).join('');
      expect(isEsiTemplate(new Headers({ 'content-type': 'text/html', 'surrogate-control': value }))).toBe(optInByFullParser(value));
    }),
  );
});
