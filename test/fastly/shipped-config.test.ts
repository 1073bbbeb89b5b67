/**
 * The documents the warm-up parses into the snapshot (src/fastly/shipped-config.ts) are the ones
 * fastly.toml ships, character for character: otherwise the memo would never hit, and the demo
 * would quietly pay for validation again. And they are valid: a memo of their problems would be
 * the defaults.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_CONFIG, SHIPPED_CONFIG } from '../../src/fastly/shipped-config.ts';
import { loadConfig } from '../../src/core/config/load-config.ts';

type Manifest = {
  local_server: { config_stores: { personalization_config: { contents: Record<string, string> } } };
  setup: { config_stores: { personalization_config: { items: Record<string, { value: string }> } } };
};

describe('shipped config documents', () => {
  const manifest = parse(readFileSync('fastly.toml', 'utf8')) as Manifest;
  const local = manifest.local_server.config_stores.personalization_config.contents;
  const setup = manifest.setup.config_stores.personalization_config.items;

  it.each(['settings', 'segments', 'experiments'] as const)('%s is the text of fastly.toml\'s local store and of its deploy setup exactly', (key) => {
    expect(SHIPPED_CONFIG[key]).toBe(local[key]);
    expect(DEPLOYED_CONFIG[key]).toBe(setup[key]?.value);
  });

  it.each([SHIPPED_CONFIG, DEPLOYED_CONFIG])('parses without a problem', (documents) => {
    expect(loadConfig({ config: (key) => documents[key] }).problems).toEqual([]);
  });
});
