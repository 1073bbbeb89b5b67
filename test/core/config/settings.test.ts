import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../../src/core/config/settings.ts';

describe('parseSettings', () => {
  it('returns the defaults without a problem when the key is absent', () => {
    expect(parseSettings(null)).toEqual({ value: DEFAULT_SETTINGS, problems: [] });
  });

  it('reads a known key and keeps the defaults for the rest', () => {
    const { value, problems } = parseSettings('{"maxIncludes": 4, "consentMode": "opt-out"}');
    expect(problems).toEqual([]);
    expect(value.maxIncludes).toBe(4);
    expect(value.consentMode).toBe('opt-out');
    expect(value.profileTimeoutMs).toBe(DEFAULT_SETTINGS.profileTimeoutMs);
  });

  it.each([
    { name: 'invalid JSON', text: '{"maxIncludes":', problem: 'settings: not valid JSON' },
    { name: 'an array', text: '[]', problem: 'settings: must be a JSON object' },
    { name: 'an unknown key', text: '{"maxIncluds": 3}', problem: 'settings: unknown key "maxIncluds"' },
    { name: 'a key named after an Object.prototype method', text: '{"toString": 1}', problem: 'settings: unknown key "toString"' },
    { name: 'a constructor key', text: '{"constructor": {}}', problem: 'settings: unknown key "constructor"' },
    { name: 'a __proto__ key', text: '{"__proto__": {"debugHeaders": true}}', problem: 'settings: unknown key "__proto__"' },
    { name: 'a value out of range', text: '{"maxIncludes": -1}', problem: 'maxIncludes' },
    { name: 'includeHosts not a list', text: '{"includeHosts": "a.example"}', problem: 'includeHosts must be an array of at most 64 host names' },
    { name: 'an includeHosts entry with a path', text: '{"includeHosts": ["a.example/x"]}', problem: 'includeHosts entries must be plain host names' },
    { name: 'a route without a prefix', text: '{"routes": [{"backend": "templates"}]}', problem: 'each route needs a prefix starting with "/"' },
    { name: 'a route to an unknown backend', text: '{"routes": [{"prefix": "/x", "backend": "elsewhere"}]}', problem: 'route backend must be one of' },
    { name: 'an empty locales list', text: '{"locales": []}', problem: 'locales must be a non-empty array of at most 32 locales' },
    { name: 'a malformed locale', text: '{"locales": ["english"]}', problem: 'locales entries must look like "en" or "en-GB"' },
    { name: 'a pass prefix without a slash', text: '{"passPrefixes": ["cart"]}', problem: 'passPrefixes entries must be paths starting with "/"' },
    { name: 'too many log paths', text: JSON.stringify({ logPaths: Array.from({ length: 65 }, (_, i) => `/p${i}`) }), problem: 'logPaths must be an array of at most 64 paths' },
    { name: 'an empty fragmentTypes list', text: '{"fragmentTypes": []}', problem: 'fragmentTypes must be a non-empty array of at most 16 media types' },
    { name: 'a malformed media type', text: '{"fragmentTypes": ["html"]}', problem: 'fragmentTypes entries must look like "text/html"' },
  ])('rejects the whole document with a reason for $name', ({ text, problem }) => {
    const { value, problems } = parseSettings(text);
    expect(value).toBe(DEFAULT_SETTINGS);
    expect(problems.join('\n')).toContain(problem);
  });

  it('reads every list setting into a frozen list, host names and media types lowercased', () => {
    const { value, problems } = parseSettings(JSON.stringify({
      includeHosts: ['Frag.Example'],
      routes: [{ prefix: '/checkout', backend: 'templates' }],
      locales: ['en', 'en-GB'],
      staticPaths: ['/static/'],
      fragmentTypes: ['Text/HTML', 'application/json'],
    }));
    expect(problems).toEqual([]);
    expect(value.includeHosts).toEqual(['frag.example']);
    expect(value.routes).toEqual([{ prefix: '/checkout', backend: 'templates' }]);
    expect(value.locales).toEqual(['en', 'en-GB']);
    expect(value.staticPaths).toEqual(['/static/']);
    expect(value.fragmentTypes).toEqual(['text/html', 'application/json']);
    expect(Object.isFrozen(value.routes) && Object.isFrozen(value.routes[0])).toBe(true);
  });

  it('never lets a __proto__ key change the settings it returns', () => {
    const { value } = parseSettings('{"__proto__": {"debugHeaders": true}}');
    expect(value.debugHeaders).toBe(DEFAULT_SETTINGS.debugHeaders);
  });
});
