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
  ])('rejects the whole document with a reason for $name', ({ text, problem }) => {
    const { value, problems } = parseSettings(text);
    expect(value).toBe(DEFAULT_SETTINGS);
    expect(problems.join('\n')).toContain(problem);
  });

  it('never lets a __proto__ key change the settings it returns', () => {
    const { value } = parseSettings('{"__proto__": {"debugHeaders": true}}');
    expect(value.debugHeaders).toBe(DEFAULT_SETTINGS.debugHeaders);
  });
});
