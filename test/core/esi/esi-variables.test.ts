/** `$(QUERY_STRING{name})`: the page request's decoded parameter, the first occurrence; empty without a query. */
import { expect, it } from 'vitest';
import { valueOf, type EsiVariables } from '../../../src/core/esi/esi-variables.ts';
import { variablesRead, variableValue } from '../../../src/core/esi/variable-reads.ts';

function vars(query: string): EsiVariables {
  return { segment: 'general', variants: {}, geo: { region: 'eu-west', country: 'GB' }, device: 'desktop', locale: 'en-GB', visitor: null, query };
}

it.each([
  { name: 'a page without a query', query: '', key: 'sort', expected: '' },
  { name: 'a parameter the query holds, decoded', query: 'sort=price+asc&sort=name', key: 'sort', expected: 'price asc' },
  { name: 'a parameter the query lacks', query: 'page=2', key: 'sort', expected: '' },
  { name: 'an empty value', query: 'sort=', key: 'sort', expected: '' },
  { name: 'no key at all', query: 'sort=price', key: null, expected: '' },
])('reads QUERY_STRING for $name', ({ query, key, expected }) => {
  expect(valueOf(vars(query), 'QUERY_STRING', key)).toBe(expected);
});

it('counts a query parameter as read even when the page has no query (the page key names it)', () => {
  const page = vars('');
  expect(variableValue(page, 'QUERY_STRING', 'sort')).toBe('');
  expect(variablesRead(page)).toEqual(['QUERY_STRING{sort}']);
});
