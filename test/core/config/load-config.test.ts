/**
 * loadConfig parses the three documents once per change: the same text gives the same parsed
 * config, an edited document is seen on the next call, and a bad document still falls back alone.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/load-config.ts';
import type { ConfigKey } from '../../../src/core/ports.ts';

const store = (values: Partial<Record<ConfigKey, string>>) => ({ config: (key: ConfigKey) => values[key] ?? null });

describe('loadConfig', () => {
  it('returns the same parsed config while the documents are unchanged', () => {
    const docs = { settings: '{"maxIncludes":12}' };
    expect(loadConfig(store(docs))).toBe(loadConfig(store({ ...docs })));
  });

  it('sees an edited document on the next call', () => {
    expect(loadConfig(store({ settings: '{"maxIncludes":12}' })).settings.maxIncludes).toBe(12);
    expect(loadConfig(store({ settings: '{"maxIncludes":7}' })).settings.maxIncludes).toBe(7);
  });

  it('falls back for a bad document and reports it, every time it is read', () => {
    const bad = store({ settings: '{not json' });
    for (let i = 0; i < 2; i++) expect(loadConfig(bad).problems.length).toBeGreaterThan(0);
  });

  it('treats a store that throws like absent keys', () => {
    const loaded = loadConfig({ config: () => { throw new Error('store down'); } });
    expect(loaded.problems).toEqual([]);
  });
});

describe('config documents remembered by text', () => {
  it('hands out the same frozen value for the same text, and a problem list of its own each time', () => {
    const bad = store({ segments: '{"version": 2}' });
    const first = loadConfig(bad);
    first.problems.push('added by a caller');
    const again = loadConfig(store({ segments: '{"version": 2}', settings: '{"maxIncludes":3}' }));
    expect(again.segments).toBe(first.segments);
    expect(again.problems).not.toContain('added by a caller');
    expect(again.problems.length).toBeGreaterThan(0);
  });

  it('keeps answering every document right when more texts pass through than it remembers', () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 1; n <= 6; n++) expect(loadConfig(store({ settings: `{"maxIncludes":${n}}` })).settings.maxIncludes).toBe(n);
    }
  });
});
