/**
 * Reads the `--edge` flag of the commands that purge (`npm run recs`, `npm run origin`): a URL is a
 * local Node or Wasm host, `fastly` is the deployed service through Fastly's purge API (settings
 * from the environment, fastly-purge-api.ts), `none` purges nothing.
 */
import type { PurgeTarget } from './edge-purge.ts';
import { fastlyTargetFromEnv } from './fastly-purge-api.ts';

export type EdgeFlag = { ok: true; target: PurgeTarget | null } | { ok: false; error: string };

export function readEdgeFlag(value: string, env: NodeJS.ProcessEnv, manifestPath?: string): EdgeFlag {
  if (value === 'none') return { ok: true, target: null };
  if (value === 'fastly') {
    const api = fastlyTargetFromEnv(env, manifestPath);
    return api.ok ? { ok: true, target: { kind: 'fastly', ...api.target } } : { ok: false, error: `--edge fastly: ${api.error}` };
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `--edge "${value}" must be an http(s) URL, fastly or none` };
    return { ok: true, target: { kind: 'local', url: url.href.endsWith('/') ? url.href : `${url.href}/` } };
  } catch {
    return { ok: false, error: `--edge "${value}" must be a URL, fastly or none` };
  }
}
