/**
 * Starts the real local stack for end-to-end tests: the local origin on free ports and the Node
 * host configured from a copy of fastly.toml whose backends point at that origin.
 */
import { startOrigin, type RunningOrigin } from '../origin/start-origin.ts';
import { startEdge, type RunningEdge } from '../src/node-host/edge-server.ts';
import { withOrigins } from '../src/local-platform/with-origins.ts';

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

export interface StackOptions {
  /** Replaces keys of the `personalization_config` store (JSON text per key). */
  config?: Partial<Record<'settings' | 'segments' | 'experiments', string>>;
  /** Extra fields per backend table, e.g. `{ templates: { first_byte_timeout_ms: 2000 } }`. */
  backends?: Partial<Record<'templates' | 'profiles' | 'fragments', Record<string, unknown>>>;
  /** Also hands every log endpoint line to this listener as it is printed (a collector, say). */
  onLine?: (line: string) => void;
}

/** Writes a copy of fastly.toml whose backends point at `origin`, and returns its path. */
export function stackManifest(origin: Pick<RunningOrigin, 'urls'>, options: StackOptions = {}): string {
  return withOrigins({ urls: origin.urls, backends: options.backends, config: options.config, relaxedTimeouts: true, label: 'edge-e2e' });
}

export async function startLocalStack(options: StackOptions = {}): Promise<LocalStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const manifestPath = stackManifest(origin, options);
  const lines: string[] = [];
  const edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, stdout: (line: string) => {
    lines.push(line);
    options.onLine?.(line);
  } });
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
