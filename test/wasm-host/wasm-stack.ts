/**
 * Starts the local origin on free ports and the Wasm host on `bin/main.wasm`, configured from a copy
 * of fastly.toml whose backends point at that origin (the Wasm twin of support/local-stack.ts).
 */
import { startOrigin } from '../../origin/start-origin.ts';
import type { RunningOrigin } from '../../origin/start-origin.ts';
import { startWasmHost } from '../../wasm-host/wasm-server.ts';
import type { RunningWasmHost } from '../../wasm-host/wasm-server.ts';
import { withOrigins } from '../../src/local-platform/with-origins.ts';

type Table = Record<string, unknown>;

export interface WasmStack {
  origin: RunningOrigin;
  host: RunningWasmHost;
  /** Every log endpoint line so far. */
  lines: string[];
  /** Everything the guest wrote to stdout/stderr. */
  guestOutput: string[];
  url(path: string): string;
  events(endpoint: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface WasmStackOptions {
  /** Edits the parsed manifest before it is written (e.g. a shorter backend timeout). */
  editManifest?: (local: Table) => void;
  trace?: boolean;
  /** Guest workers (the host's default is 2). */
  workers?: number;
  /** Each instance's hostcall timeline, written to `guestOutput` as its fd 2 text when the instance ends. */
  timeline?: boolean;
}

export async function startWasmStack(options: WasmStackOptions = {}): Promise<WasmStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const manifestPath = withOrigins({ urls: origin.urls, relaxedTimeouts: true, edit: options.editManifest, label: 'wasm-host' });
  const lines: string[] = [];
  const guestOutput: string[] = [];
  const host = await startWasmHost({
    manifestPath,
    host: '127.0.0.1',
    port: 0,
    stdout: (line) => lines.push(line),
    guestOutput: (_fd, bytes) => guestOutput.push(Buffer.from(bytes).toString('utf8')),
    trace: options.trace ?? false,
    timeline: options.timeline ?? false,
    ...(options.workers ? { workers: options.workers } : {}),
  });
  const base = host.url.replace(/\/$/, '');
  return {
    origin,
    host,
    lines,
    guestOutput,
    url: (path) => `${base}${path}`,
    events: (endpoint) =>
      lines.filter((line) => line.startsWith(`${endpoint} :: `)).map((line) => JSON.parse(line.slice(endpoint.length + 4)) as Record<string, unknown>),
    async close() {
      await host.close();
      await origin.close();
    },
  };
}
