/** `settings.fragmentTypes`: which media types an include may have; a bad list rejects the document. */
import { expect, it } from 'vitest';
import { parseSettings } from '../../../src/core/config/settings.ts';

it('defaults to text/html alone', () => {
  expect(parseSettings('{}').value.fragmentTypes).toEqual(['text/html']);
});

it('reads a list of media types in lower case', () => {
  const parsed = parseSettings('{"fragmentTypes": ["text/html", "Application/XHTML+XML"]}');
  expect(parsed.problems).toEqual([]);
  expect(parsed.value.fragmentTypes).toEqual(['text/html', 'application/xhtml+xml']);
});

it.each([
  { name: 'a string', raw: '"text/html"' },
  { name: 'an empty list', raw: '[]' },
  { name: 'a type with parameters', raw: '["text/html; charset=utf-8"]' },
  { name: 'a type without a subtype', raw: '["text"]' },
  { name: 'a wildcard', raw: '["*/*"]' },
  { name: 'a number', raw: '[1]' },
  { name: 'more than 16 types', raw: JSON.stringify(Array.from({ length: 17 }, (_, i) => `text/t${i}`)) },
])('rejects the whole document for $name', ({ raw }) => {
  const parsed = parseSettings(`{"fragmentTypes": ${raw}}`);
  expect(parsed.value.fragmentTypes).toEqual(['text/html']);
  expect(parsed.problems.join()).toContain('fragmentTypes');
});
