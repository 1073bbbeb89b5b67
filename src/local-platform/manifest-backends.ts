/**
 * `[local_server.backends.<name>]` in the shape Viceroy accepts (src/config/backends.rs): `url` is
 * required and may carry a path prefix; unknown keys are rejected rather than silently ignored.
 */
import { at, fail, onlyKeys, optionalBoolean, optionalMillis, optionalString, string, table } from './toml-fields.ts';
import type { Place } from './toml-fields.ts';

export interface BackendConfig {
  name: string;
  /** The backend URL: scheme, host and port to connect to, plus an optional path prefix. */
  url: URL;
  /** Host header sent upstream; the request's own host when null. */
  overrideHost: string | null;
  /** TLS certificate / SNI host for https backends; the URL host when null. */
  certHost: string | null;
  useSni: boolean;
  firstByteTimeoutMs: number;
  betweenBytesTimeoutMs: number;
}

/** Fastly's defaults for backends without explicit timeouts (fastly:backend docs). */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 15_000;
export const DEFAULT_BETWEEN_BYTES_TIMEOUT_MS = 10_000;

const USED_KEYS = ['url', 'override_host', 'cert_host', 'use_sni', 'first_byte_timeout_ms', 'between_bytes_timeout_ms'];
/** Accepted for compatibility with Viceroy manifests, but with no effect on the Node host. */
const TOLERATED_KEYS = ['health', 'ca_certificate', 'client_certificate', 'grpc'];

export function parseBackends(value: unknown, place: Place): Map<string, BackendConfig> {
  const backends = new Map<string, BackendConfig>();
  if (value === undefined) return backends;
  for (const [name, raw] of Object.entries(table(value, place))) {
    backends.set(name, parseBackend(name, raw, at(place, name)));
  }
  return backends;
}

function parseBackend(name: string, raw: unknown, place: Place): BackendConfig {
  const fields = table(raw, place);
  onlyKeys(fields, [...USED_KEYS, ...TOLERATED_KEYS], place);
  if (fields.url === undefined) fail(place, 'is missing the required key "url"');
  const url = parseUrl(string(fields.url, at(place, 'url')), at(place, 'url'));
  const overrideHost = optionalString(fields.override_host, at(place, 'override_host')) ?? null;
  if (overrideHost === '') fail(at(place, 'override_host'), 'must not be empty');
  return {
    name,
    url,
    overrideHost,
    certHost: optionalString(fields.cert_host, at(place, 'cert_host')) ?? null,
    useSni: optionalBoolean(fields.use_sni, at(place, 'use_sni')) ?? true,
    firstByteTimeoutMs: optionalMillis(fields.first_byte_timeout_ms, at(place, 'first_byte_timeout_ms')) ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    betweenBytesTimeoutMs:
      optionalMillis(fields.between_bytes_timeout_ms, at(place, 'between_bytes_timeout_ms')) ?? DEFAULT_BETWEEN_BYTES_TIMEOUT_MS,
  };
}

function parseUrl(text: string, place: Place): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(place, 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(place, 'must be an http or https URL');
  if (url.username !== '' || url.password !== '') fail(place, 'must not contain credentials');
  if (url.search !== '' || url.hash !== '') fail(place, 'must not contain a query or fragment');
  return url;
}
