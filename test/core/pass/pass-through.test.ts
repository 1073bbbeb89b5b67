import { describe, expect, it } from 'vitest';
import { isPassThrough } from '../../../src/core/pass/pass-through.ts';
import { parseSettings } from '../../../src/core/config/settings.ts';

const settings = { passPrefixes: ['/api/', '/checkout'] };

describe('isPassThrough', () => {
  it.each([
    { method: 'GET', path: '/', expected: false },
    { method: 'HEAD', path: '/category/running', expected: false },
    { method: 'POST', path: '/cart', expected: true },
    { method: 'PUT', path: '/api/x', expected: true },
    { method: 'OPTIONS', path: '/', expected: true },
    { method: 'DELETE', path: '/product/x', expected: true },
    { method: 'GET', path: '/api/items', expected: true },
    { method: 'HEAD', path: '/checkout/step-2', expected: true },
    { method: 'GET', path: '/%61pi/items', expected: true },
    { method: 'GET', path: '/apiary', expected: false },
    { method: 'GET', path: '/%E0%A4%A', expected: false },
  ])('$method $path passes: $expected', ({ method, path, expected }) => {
    expect(isPassThrough(method, path, settings)).toBe(expected);
  });
});

describe('settings.passPrefixes', () => {
  it('defaults to no prefixes', () => {
    expect(parseSettings('{}').value.passPrefixes).toEqual([]);
  });

  it.each([
    { name: 'a string', raw: '"/api/"' },
    { name: 'a prefix without a leading slash', raw: '["api/"]' },
    { name: 'a number', raw: '[1]' },
    { name: 'a prefix over 256 characters', raw: `["/${'a'.repeat(256)}"]` },
  ])('rejects the whole document for $name', ({ raw }) => {
    const parsed = parseSettings(`{"passPrefixes": ${raw}}`);
    expect(parsed.value.passPrefixes).toEqual([]);
    expect(parsed.problems.join()).toContain('passPrefixes');
  });
});
