/**
 * Purging a deployed Fastly service by surrogate key through Fastly's purge API: one batch request,
 * `POST /service/{service_id}/purge` with the keys in a `Surrogate-Key` header (at most 256 per
 * request), authenticated with an API token that has the `purge_select` scope, and
 * `Fastly-Soft-Purge: 1` to mark the copies stale instead of dropping them. The answer is a JSON
 * object from each purged key to its purge id, so a key missing from it was not purged.
 *
 * The settings come from the same environment variables the Fastly CLI reads (`FASTLY_API_TOKEN`,
 * `FASTLY_SERVICE_ID`, `FASTLY_API_ENDPOINT`), with the service id falling back to `fastly.toml`'s
 * `service_id`, which `fastly compute deploy` fills in.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

export interface FastlyApiTarget {
  serviceId: string;
  token: string;
  /** API base URL without trailing slash (https://api.fastly.com unless overridden). */
  endpoint: string;
}

const DEFAULT_ENDPOINT = 'https://api.fastly.com';
/** The API's limit on keys per batch purge. */
const MAX_KEYS_PER_REQUEST = 256;
/** Surrogate keys are space-separated tokens; anything else cannot be sent in the header. */
const KEY_PATTERN = /^[\x21-\x7e]{1,1024}$/;
const SERVICE_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

export type TargetResult = { ok: true; target: FastlyApiTarget } | { ok: false; error: string };

function manifestServiceId(manifestPath: string): string {
  try {
    const manifest = parse(readFileSync(manifestPath, 'utf8')) as { service_id?: unknown };
    return typeof manifest.service_id === 'string' ? manifest.service_id : '';
  } catch {
    return '';
  }
}

/** Reads the API settings; says which one is missing or malformed instead of guessing. */
export function fastlyTargetFromEnv(env: NodeJS.ProcessEnv, manifestPath = 'fastly.toml'): TargetResult {
  const token = env.FASTLY_API_TOKEN ?? '';
  if (token === '') return { ok: false, error: 'set FASTLY_API_TOKEN to a Fastly API token with the purge_select scope' };
  const serviceId = env.FASTLY_SERVICE_ID || manifestServiceId(manifestPath);
  if (!SERVICE_ID_PATTERN.test(serviceId)) return { ok: false, error: 'set FASTLY_SERVICE_ID (or service_id in fastly.toml) to the service to purge' };
  const endpoint = (env.FASTLY_API_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return { ok: false, error: 'FASTLY_API_ENDPOINT must be https (the token travels with every purge)' };
  } catch {
    return { ok: false, error: 'FASTLY_API_ENDPOINT must be a URL' };
  }
  return { ok: true, target: { serviceId, token, endpoint } };
}

async function purgeBatch(target: FastlyApiTarget, keys: readonly string[], soft: boolean): Promise<Set<string>> {
  const headers: Record<string, string> = { 'fastly-key': target.token, 'surrogate-key': keys.join(' '), accept: 'application/json' };
  if (soft) headers['fastly-soft-purge'] = '1';
  try {
    const response = await fetch(`${target.endpoint}/service/${target.serviceId}/purge`, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    if (!response.ok) return new Set();
    const answer: unknown = JSON.parse(text);
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return new Set();
    return new Set(Object.keys(answer));
  } catch {
    return new Set();
  }
}

/** Purges `keys` on the service; returns the keys the API did not confirm (malformed keys included). */
export async function purgeThroughFastlyApi(target: FastlyApiTarget, keys: readonly string[], soft: boolean): Promise<string[]> {
  const sendable = [...new Set(keys)].filter((key) => KEY_PATTERN.test(key));
  const confirmed = new Set<string>();
  for (let start = 0; start < sendable.length; start += MAX_KEYS_PER_REQUEST) {
    for (const key of await purgeBatch(target, sendable.slice(start, start + MAX_KEYS_PER_REQUEST), soft)) confirmed.add(key);
  }
  return keys.filter((key) => !confirmed.has(key));
}
