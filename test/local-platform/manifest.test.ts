import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadManifest, ManifestError, parseManifest } from '../../src/local-platform/manifest.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const parse = (text: string, env: Record<string, string> = {}) => parseManifest(text, { file: 'fastly.toml', dir: FIXTURES, env });

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ManifestError) return error.message;
    throw error;
  }
  throw new Error('expected a ManifestError');
}

const BAD_MANIFESTS = [
  { name: 'a backend URL that is not a URL', toml: '[local_server.backends.templates]\nurl = "not a url"', error: 'fastly.toml: local_server.backends.templates.url is not a valid URL' },
  { name: 'a backend without url', toml: '[local_server.backends.templates]\noverride_host = "x"', error: 'fastly.toml: local_server.backends.templates is missing the required key "url"' },
  { name: 'a non-http backend URL', toml: '[local_server.backends.t]\nurl = "ftp://x/"', error: 'fastly.toml: local_server.backends.t.url must be an http or https URL' },
  { name: 'an unknown backend key', toml: '[local_server.backends.t]\nurl = "http://x/"\nconnect_timeout_ms = 5', error: 'fastly.toml: local_server.backends.t has unknown key "connect_timeout_ms"' },
  { name: 'a negative timeout', toml: '[local_server.backends.t]\nurl = "http://x/"\nfirst_byte_timeout_ms = -1', error: 'fastly.toml: local_server.backends.t.first_byte_timeout_ms must be a positive whole number of milliseconds' },
  { name: 'a string timeout', toml: '[local_server.backends.t]\nurl = "http://x/"\nbetween_bytes_timeout_ms = "5"', error: 'fastly.toml: local_server.backends.t.between_bytes_timeout_ms must be a positive whole number of milliseconds' },
  { name: 'an unknown local_server table', toml: '[local_server.backend.t]\nurl = "http://x/"', error: 'fastly.toml: local_server has unknown key "backend"' },
  { name: 'a config store without format', toml: '[local_server.config_stores.c.contents]\na = "1"', error: 'fastly.toml: local_server.config_stores.c is missing "format" ("inline-toml" or "json")' },
  { name: 'a config store with an unknown format', toml: '[local_server.config_stores.c]\nformat = "yaml"', error: 'fastly.toml: local_server.config_stores.c.format must be "inline-toml" or "json"' },
  { name: 'a non-string config value', toml: '[local_server.config_stores.c]\nformat = "inline-toml"\ncontents = { a = 1 }', error: 'fastly.toml: local_server.config_stores.c.contents.a must be a string' },
  { name: 'a missing JSON file', toml: '[local_server.config_stores.c]\nformat = "json"\nfile = "nope.json"', error: 'fastly.toml: local_server.config_stores.c.file names a file that cannot be read: nope.json (ENOENT)' },
  { name: 'a JSON file that is not JSON', toml: '[local_server.config_stores.c]\nformat = "json"\nfile = "minimal.toml"', error: 'fastly.toml: local_server.config_stores.c.file names a file that is not valid JSON: minimal.toml' },
  { name: 'a secret without a value', toml: '[local_server.secret_stores]\ns = [{ key = "k" }]', error: 'fastly.toml: local_server.secret_stores.s[0] needs exactly one of data, file, env' },
  { name: 'a secret with two values', toml: '[local_server.secret_stores]\ns = [{ key = "k", data = "a", env = "B" }]', error: 'fastly.toml: local_server.secret_stores.s[0] needs exactly one of data, file, env' },
  { name: 'a secret from an unset variable', toml: '[local_server.secret_stores]\ns = [{ key = "k", env = "NOPE_UNSET" }]', error: 'fastly.toml: local_server.secret_stores.s[0].env names an unset environment variable NOPE_UNSET' },
  { name: 'a secret store that is a string', toml: '[local_server.secret_stores]\ns = "x"', error: 'fastly.toml: local_server.secret_stores.s must be an array of entries or a { file, format = "json" } table' },
  { name: 'a geolocation key that is not an IP', toml: '[local_server.geolocation.addresses."localhost"]\ncity = "X"', error: 'fastly.toml: local_server.geolocation.addresses.localhost is not an IP address' },
  { name: 'a geolocation field of the wrong type', toml: '[local_server.geolocation.addresses."10.0.0.1"]\ncity = 5', error: 'fastly.toml: local_server.geolocation.addresses."10.0.0.1".city must be a string' },
  { name: 'a device flag that is not boolean', toml: '[local_server.device_detection.user_agents."UA"]\ndevice = { is_mobile = "yes" }', error: 'fastly.toml: local_server.device_detection.user_agents.UA.device.is_mobile must be true or false' },
  { name: 'a kv entry without data', toml: '[local_server.kv_stores]\nk = [{ key = "a", metadata = "m" }]', error: 'fastly.toml: local_server.kv_stores.k[0] needs exactly one of data, file' },
  { name: 'invalid TOML', toml: 'a = \nb = 1', error: 'fastly.toml: invalid TOML at line 1, column 5: invalid value' },
];

describe('manifest errors', () => {
  it.each(BAD_MANIFESTS)('rejects $name with one line', ({ toml, error }) => {
    const message = errorOf(toml);
    expect(message).toBe(error);
    expect(message).not.toContain('\n');
  });
});

describe('manifest parsing', () => {
  it('reads the repository fastly.toml with its three backends, stores, geolocation and devices', () => {
    const manifest = loadManifest(fileURLToPath(new URL('../../fastly.toml', import.meta.url)));
    expect([...manifest.backends.keys()].sort()).toEqual(['fragments', 'profiles', 'templates']);
    const templates = manifest.backends.get('templates')!;
    expect(templates.url.href).toBe('http://127.0.0.1:7070/');
    expect(templates.overrideHost).toBe('www.example.com');
    expect(templates.firstByteTimeoutMs).toBe(2000);
    expect(templates.betweenBytesTimeoutMs).toBe(10_000);
    expect(JSON.parse(manifest.configStores.get('personalization_config')!.get('settings')!)).toMatchObject({ consentMode: 'opt-in' });
    expect(manifest.secretStores.get('personalization_secrets')!.get('log_hash_key')).toMatch(/^dev-only-/);
    expect(manifest.geolocation.useDefaultLoopback).toBe(false);
    expect(manifest.geolocation.addresses.get('::1')).toEqual({ countryCode: 'DE', continent: 'EU', region: 'BE', city: 'Berlin' });
    const bot = manifest.deviceDetection.get('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
    expect(bot).toEqual({ isMobile: null, isTablet: null, isDesktop: null, isBot: true });
  });

  it('reads every store from JSON files relative to the manifest', () => {
    const manifest = loadManifest(`${FIXTURES}json-files.toml`);
    const fragments = manifest.backends.get('fragments')!;
    expect(fragments.url.pathname).toBe('/base/');
    expect(fragments.certHost).toBe('fragments.example.com');
    expect(fragments.betweenBytesTimeoutMs).toBe(500);
    expect(fragments.firstByteTimeoutMs).toBe(15_000);
    expect(manifest.configStores.get('personalization_config')!.get('settings')).toBe('{"consentMode": "opt-out"}');
    expect(manifest.secretStores.get('personalization_secrets')!.get('cookie_signing_key')).toBe('file-cookie-key');
    const home = manifest.kvStores.get('pages')!.get('home')!;
    expect(new TextDecoder().decode(home.body)).toBe('home page bytes\n');
    expect(home.metadata).toBe('{"v":1}');
    expect(manifest.geolocation.addresses.get('203.0.113.7')?.city).toBe('Paris');
    expect(manifest.geolocation.useDefaultLoopback).toBe(true);
    expect(manifest.deviceDetection.get('TestPhone/1.0')).toEqual({ isMobile: true, isTablet: false, isDesktop: null, isBot: false });
  });

  it('reads secrets from the environment and accepts the dictionaries alias', () => {
    const manifest = parse(
      '[local_server.secret_stores]\ns = [{ key = "k", env = "EDGE_TEST_SECRET" }]\n[local_server.dictionaries.d]\nformat = "inline-toml"\ncontents = { a = "1" }',
      { EDGE_TEST_SECRET: 'from-env' },
    );
    expect(manifest.secretStores.get('s')!.get('k')).toBe('from-env');
    expect(manifest.configStores.get('d')!.get('a')).toBe('1');
  });

  it('tolerates the Viceroy-only backend keys it does not use', () => {
    const manifest = parse('[local_server.backends.t]\nurl = "https://x.example/"\nuse_sni = false\nhealth = "healthy"\ngrpc = false\nca_certificate = "PEM"');
    expect(manifest.backends.get('t')!.useSni).toBe(false);
  });

  it('names the file when it is missing', () => {
    expect(() => loadManifest('does-not-exist.toml')).toThrow(new ManifestError('does-not-exist.toml', 'file not found'));
  });

  it('names the fixture file in a TOML error', () => {
    const path = `${FIXTURES}invalid-toml.toml`;
    expect(() => loadManifest(path)).toThrow(`${path}: invalid TOML at line 2`);
  });
});
