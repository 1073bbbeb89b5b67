/**
 * Loads `fastly.toml` and validates its `[local_server]` tables into a typed `LocalManifest`, in the
 * formats Viceroy accepts, so the Node host and `fastly compute serve` run from the same file.
 * Every problem is a one-line `ManifestError` naming the file and the key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { DeviceRecord } from '../core/ports.ts';
import { parseBackends } from './manifest-backends.ts';
import type { BackendConfig } from './manifest-backends.ts';
import { ManifestError } from './manifest-error.ts';
import { parseDeviceDetection, parseGeolocation } from './manifest-geo-device.ts';
import type { GeolocationConfig } from './manifest-geo-device.ts';
import { parseConfigStores, parseKvStores, parseSecretStores } from './manifest-stores.ts';
import type { KvEntry } from './manifest-stores.ts';
import { at, fail, onlyKeys, optionalTable } from './toml-fields.ts';
import type { Place } from './toml-fields.ts';

export type { BackendConfig } from './manifest-backends.ts';
export type { GeolocationConfig } from './manifest-geo-device.ts';
export type { KvEntry } from './manifest-stores.ts';
export { ManifestError } from './manifest-error.ts';

export interface LocalManifest {
  /** The manifest file as named by the caller (used in messages). */
  file: string;
  backends: Map<string, BackendConfig>;
  configStores: Map<string, Map<string, string>>;
  secretStores: Map<string, Map<string, string>>;
  kvStores: Map<string, Map<string, KvEntry>>;
  geolocation: GeolocationConfig;
  deviceDetection: Map<string, DeviceRecord>;
}

export interface ManifestSource {
  /** How messages name the file, e.g. `fastly.toml`. */
  file: string;
  /** Directory that relative `file = "..."` keys resolve against. */
  dir: string;
  /** Environment for `env = "NAME"` secrets; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `[local_server]` keys Viceroy or the Fastly CLI understand but the Node host has no use for. */
const IGNORED_LOCAL_SERVER_KEYS = ['acls', 'shielding_sites', 'fake_valid_fastly_keys', 'viceroy_version', 'pushpin'];
const LOCAL_SERVER_KEYS = [
  'backends',
  'config_stores',
  'dictionaries',
  'secret_stores',
  'kv_stores',
  'object_stores',
  'object_store',
  'geolocation',
  'device_detection',
  ...IGNORED_LOCAL_SERVER_KEYS,
];

/** Reads and validates a manifest file; `path` is also how messages name it. */
export function loadManifest(path: string, env: ManifestSource['env'] = process.env): LocalManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new ManifestError(path, code === 'ENOENT' ? 'file not found' : `cannot be read (${code || 'unknown error'})`);
  }
  return parseManifest(text, { file: path, dir: dirname(resolve(path)), env });
}

export function parseManifest(text: string, source: ManifestSource): LocalManifest {
  const context = { dir: source.dir, env: source.env ?? process.env };
  const root: Place = { file: source.file, key: '' };
  const local = optionalTable(parseToml(text, source.file).local_server, at(root, 'local_server')) ?? {};
  const place = at(root, 'local_server');
  onlyKeys(local, LOCAL_SERVER_KEYS, place);
  return {
    file: source.file,
    backends: parseBackends(local.backends, at(place, 'backends')),
    configStores: new Map([
      ...parseConfigStores(local.dictionaries, at(place, 'dictionaries'), context),
      ...parseConfigStores(local.config_stores, at(place, 'config_stores'), context),
    ]),
    secretStores: parseSecretStores(local.secret_stores, at(place, 'secret_stores'), context),
    kvStores: new Map([
      ...parseKvStores(local.object_store, at(place, 'object_store'), context),
      ...parseKvStores(local.object_stores, at(place, 'object_stores'), context),
      ...parseKvStores(local.kv_stores, at(place, 'kv_stores'), context),
    ]),
    geolocation: parseGeolocation(local.geolocation, at(place, 'geolocation'), context),
    deviceDetection: parseDeviceDetection(local.device_detection, at(place, 'device_detection'), context),
  };
}

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    return fail({ file, key: '' }, `invalid TOML at line ${error.line}, column ${error.column}: ${reason}`);
  }
}
