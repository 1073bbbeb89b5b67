/**
 * "Point fastly.toml at these origins": writes a throw-away copy of the manifest whose backends
 * go to running local servers, with a run's config and backend overrides applied. Every local
 * stack (tests, the Wasm host's tests, the contract suite, the load tester) starts from it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { BACKEND_NAMES, type BackendName, type ConfigKey } from '../core/ports.ts';
import { relaxTimeouts } from './relaxed-timeouts.ts';

type Table = Record<string, unknown>;

export interface WithOriginsOptions {
  /** The URL each backend is pointed at; a backend left out keeps fastly.toml's. */
  urls: Partial<Record<BackendName, string>>;
  /** Extra fields per backend table (`{ templates: { first_byte_timeout_ms: 300 } }`); null removes the backend. */
  backends?: Partial<Record<BackendName, Table | null>>;
  /** Replaces keys of the `personalization_config` store (JSON text per key). */
  config?: Partial<Record<ConfigKey, string>>;
  /** Generous backend and settings budgets, so a busy machine trips no timeout (relaxed-timeouts.ts). */
  relaxedTimeouts?: boolean;
  /** Edits the parsed `[local_server]` table last. */
  edit?: (local: Table) => void;
  /** Names the temporary folder, for whoever finds it. */
  label?: string;
  /** The manifest to copy (default fastly.toml in the working directory). */
  source?: string;
}

/** Returns the path of the written copy. */
export function withOrigins(options: WithOriginsOptions): string {
  const manifest = parse(readFileSync(options.source ?? 'fastly.toml', 'utf8')) as Table;
  const local = manifest.local_server as Table;
  if (options.relaxedTimeouts) relaxTimeouts(local);
  const backends = local.backends as Record<string, Table>;
  for (const name of BACKEND_NAMES) {
    const url = options.urls[name];
    const override = options.backends?.[name];
    if (override === null) {
      delete backends[name];
      continue;
    }
    if (backends[name] === undefined && url === undefined && override === undefined) continue;
    backends[name] = { ...backends[name], ...(url === undefined ? {} : { url }), ...override };
  }
  const stores = local.config_stores as Record<string, Table>;
  Object.assign(stores.personalization_config?.contents as Table, options.config ?? {});
  options.edit?.(local);
  const path = join(mkdtempSync(join(tmpdir(), `${options.label ?? 'edge'}-`)), 'fastly.toml');
  writeFileSync(path, stringify(manifest));
  return path;
}
