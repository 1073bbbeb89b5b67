/**
 * The documents the warm-up parses into the snapshot (src/fastly/shipped-config.ts) are the ones
 * fastly.toml ships, character for character: otherwise the memo would never hit, and the demo
 * would quietly pay for validation again. And they are valid: a memo of their problems would be
 * the defaults.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { SHIPPED_CONFIG } from '../../src/fastly/shipped-config.ts';
import { loadConfig } from '../../src/core/config/load-config.ts';

type Manifest = { local_server: { config_stores: { personalization_config: { contents: Record<string, string> } } } };

describe('shipped config documents', () => {
  const contents = (parse(readFileSync('fastly.toml', 'utf8')) as Manifest).local_server.config_stores.personalization_config.contents;

  it.each(['settings', 'segments', 'experiments'] as const)('%s is fastly.toml\'s text exactly', (key) => {
    expect(SHIPPED_CONFIG[key]).toBe(contents[key]);
  });

  it('parses without a problem', () => {
    expect(loadConfig({ config: (key) => SHIPPED_CONFIG[key] }).problems).toEqual([]);
  });
});
