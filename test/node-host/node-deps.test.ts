import { expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { BUILD_VERSION } from '../../src/core/version.ts';
import { formatLogLine } from '../../src/local-platform/log-line.ts';
import { loadManifest, parseManifest } from '../../src/local-platform/manifest.ts';
import { createNodeDeps } from '../../src/node-host/node-deps.ts';

const repoManifest = loadManifest(fileURLToPath(new URL('../../fastly.toml', import.meta.url)));

it.each([
  { address: '127.0.0.1', city: 'London' },
  { address: '127.0.0.9', city: 'London' },
  { address: '::ffff:127.0.0.1', city: 'London' },
  { address: '::1', city: 'Berlin' },
  { address: '0:0:0:0:0:0:0:1', city: 'Berlin' },
  { address: '198.51.100.4', city: null },
  { address: 'not-an-ip', city: null },
])('looks up $address in the repository manifest as $city', ({ address, city }) => {
  const deps = createNodeDeps(repoManifest, { sink: () => undefined });
  expect(deps.geo(address)?.city ?? null).toBe(city);
});

it('gives loopback the San Francisco record when use_default_loopback is on and there is no entry', () => {
  const deps = createNodeDeps(parseManifest('', { file: 'x.toml', dir: '.' }), { sink: () => undefined });
  expect(deps.geo('::ffff:127.0.0.1')).toEqual({ countryCode: 'US', continent: 'NA', region: 'CA', city: 'San Francisco' });
  expect(deps.geo('10.1.2.3')).toBeNull();
});

it('detects devices by the exact user agent only', () => {
  const deps = createNodeDeps(repoManifest, { sink: () => undefined });
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
  expect(deps.device(iphone)).toEqual({ isMobile: true, isTablet: null, isDesktop: null, isBot: false });
  expect(deps.device(`${iphone} extra`)).toBeNull();
});

it('reads the personalization config and secret stores, null for missing keys', async () => {
  const deps = createNodeDeps(repoManifest, { sink: () => undefined });
  expect(deps.config('segments')).toContain('"default": "general"');
  expect(await deps.secret('cookie_signing_key')).toMatch(/^dev-only-cookie/);
  const bare = createNodeDeps(parseManifest('', { file: 'x.toml', dir: '.' }), { sink: () => undefined });
  expect(bare.config('settings')).toBeNull();
  expect(await bare.secret('log_hash_key')).toBeNull();
});

it('emits `<endpoint> :: <message>` lines with interior newlines escaped', () => {
  const lines: string[] = [];
  const deps = createNodeDeps(repoManifest, { sink: (line) => lines.push(line) });
  deps.emit('personalization_events', '{"a":1}');
  deps.emit('clickstream', 'two\nlines\n');
  expect(lines).toEqual(['personalization_events :: {"a":1}', 'clickstream :: two\\nlines']);
  expect(formatLogLine('x', 'a\n\nb')).toBe('x :: a\\n\\nb');
});

it('reports runtime facts and CPU time only inside a request', async () => {
  const deps = createNodeDeps(repoManifest, { sink: () => undefined });
  expect([deps.pop, deps.runtime, deps.version]).toEqual(['local', 'node', BUILD_VERSION]);
  expect(deps.cpuMs()).toBeNull();
  const inside = await deps.runRequest(() => {
    let spin = 0;
    for (let i = 0; i < 200_000; i += 1) spin += i;
    return Promise.resolve(spin > 0 ? deps.cpuMs() : null);
  });
  expect(inside).toBeTypeOf('number');
  expect(inside).toBeGreaterThanOrEqual(0);
});
