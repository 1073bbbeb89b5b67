/**
 * The Node-host edge in front of three recording mock origins (templates, profiles, fragments),
 * configured from a copy of fastly.toml whose backends point at them, the way
 * support/local-stack.ts does for the real local origin.
 */
import { startEdge, type RunningEdge } from '../../../src/node-host/edge-server.ts';
import { loadManifest } from '../../../src/local-platform/manifest.ts';
import { signedVid } from '../../../src/local-platform/signed-visitor.ts';
import { send, startMockOrigin, type MockHandler, type MockOrigin } from './mock-origin.ts';
import { withOrigins } from '../../../src/local-platform/with-origins.ts';

type BackendName = 'templates' | 'profiles' | 'fragments';
type Table = Record<string, unknown>;

export interface MockStackOptions {
  handlers?: Partial<Record<BackendName, MockHandler>>;
  /** Replaces keys of `personalization_config` (JSON text per key). */
  config?: Partial<Record<'settings' | 'segments' | 'experiments', string>>;
  /** Extra fields per backend table, e.g. `{ templates: { first_byte_timeout_ms: 300 } }`. */
  backends?: Partial<Record<BackendName, Table>>;
  cacheBytes?: number;
  /** Milliseconds clock for cache ages, so tests can expire TTLs without waiting. */
  clock?: () => number;
}

export interface MockStack {
  edge: RunningEdge;
  origins: Record<BackendName, MockOrigin>;
  url(path: string): string;
  port: number;
  /** Decision events emitted so far, parsed. */
  events(): Array<Record<string, unknown>>;
  /** Every log line (both endpoints). */
  lines: string[];
  /** Waits for background work (page stores, revalidations), at most `ms`. */
  quiet(ms?: number): Promise<void>;
  /** A `Cookie` header value for a consenting visitor with a valid signed vid. */
  visitorCookie(id: string): Promise<string>;
  close(): Promise<void>;
}

const notFound: MockHandler = (_request, res) => send(res, 404, 'not found', { 'cache-control': 'no-store' });

export async function startMockStack(options: MockStackOptions = {}): Promise<MockStack> {
  const names: BackendName[] = ['templates', 'profiles', 'fragments'];
  const started = await Promise.all(names.map((name) => startMockOrigin(options.handlers?.[name] ?? notFound)));
  const origins = Object.fromEntries(names.map((name, i) => [name, started[i]])) as Record<BackendName, MockOrigin>;
  const urls = Object.fromEntries(names.map((name) => [name, origins[name].url]));
  const manifestPath = withOrigins({ urls, backends: options.backends, config: options.config, relaxedTimeouts: true, label: 'edge-security' });
  const lines: string[] = [];
  const edge = await startEdge({ manifestPath, host: '127.0.0.1', port: 0, stdout: (line) => lines.push(line), cacheBytes: options.cacheBytes, clock: options.clock });
  const loaded = loadManifest(manifestPath);
  const base = edge.url.replace(/\/$/, '');
  return {
    edge,
    origins,
    lines,
    port: Number(new URL(edge.url).port),
    url: (path) => `${base}${path}`,
    events: () =>
      lines
        .filter((line) => line.startsWith('personalization_events :: '))
        .map((line) => JSON.parse(line.slice('personalization_events :: '.length)) as Record<string, unknown>),
    quiet: (ms = 1_500) => Promise.race([edge.settled(), new Promise<void>((resolve) => setTimeout(resolve, ms))]),
    visitorCookie: async (id) => `consent=personalization,analytics; vid=${await signedVid(loaded, id)}`,
    async close() {
      // Bounded: background work the edge keeps alive (a stale-copy recorder waits up to 30 s
      // for a template body that was never read to the end) must not hold up the suite.
      await Promise.race([edge.close(), new Promise<void>((resolve) => setTimeout(resolve, 3_000))]);
      await Promise.all(started.map((origin) => origin.close()));
    },
  };
}
