/**
 * Starts the real local stack for end-to-end tests: the local origin on free ports and the Node
 * host configured from a copy of fastly.toml whose backends point at that origin.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';
import { startEdge, type RunningEdge } from '../../src/node-host/edge-server.ts';
import { relaxForBusyMachine } from '../support/busy-machine-budgets.ts';

export interface LocalStack {
  origin: RunningOrigin;
  edge: RunningEdge;
  url(path: string): string;
  /** Decision events emitted so far, parsed. */
  events(): Array<Record<string, unknown>>;
  /** Every log endpoint line emitted so far, as printed (`<endpoint> :: <message>`). */
  lines(): readonly string[];
  close(): Promise<void>;
}

type Table = Record<string, unknown>;

export interface StackOptions {
  /** Replaces keys of the `personalization_config` store (JSON text per key). */
  config?: Partial<Record<'settings' | 'segments' | 'experiments', string>>;
}

/** Writes a copy of fastly.toml whose backends point at `origin`, and returns its path. */
export function stackManifest(origin: Pick<RunningOrigin, 'urls'>, options: StackOptions = {}): string {
  const manifest = parse(readFileSync('fastly.toml', 'utf8')) as Table;
  const local = manifest.local_server as Table;
  const backends = local.backends as Record<string, Table>;
  for (const name of ['templates', 'profiles', 'fragments'] as const) {
    const backend = backends[name];
    if (backend) backend.url = origin.urls[name];
  }
  relaxForBusyMachine(local);
  const stores = local.config_stores as Record<string, Table>;
  const contents = stores.personalization_config?.contents as Record<string, string>;
  Object.assign(contents, options.config ?? {});
  const dir = mkdtempSync(join(tmpdir(), 'edge-e2e-'));
  const manifestPath = join(dir, 'fastly.toml');
  writeFileSync(manifestPath, stringify(manifest));
  return manifestPath;
}

export async function startLocalStack(options: StackOptions = {}): Promise<LocalStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const manifestPath = stackManifest(origin, options);
  const lines: string[] = [];
  const edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, stdout: (line: string) => lines.push(line) });
  const base = edge.url.replace(/\/$/, '');
  return {
    origin,
    edge,
    url: (path) => `${base}${path}`,
    lines: () => lines,
    events: () =>
      lines
        .filter((line) => line.startsWith('personalization_events :: '))
        .map((line) => JSON.parse(line.slice('personalization_events :: '.length)) as Record<string, unknown>),
    async close() {
      await edge.close();
      await origin.close();
    },
  };
}
