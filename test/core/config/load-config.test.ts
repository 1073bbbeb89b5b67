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
