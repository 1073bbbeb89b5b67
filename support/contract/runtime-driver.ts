/**
 * The runtime-neutral face of a started edge for the contract suite: every runtime (Node host, Wasm
 * host, Viceroy) starts the real local origin plus its edge and exposes the same handful of probes.
 */
import type { RunningOrigin } from '../../origin/start-origin.ts';
import type { BackendName, ConfigKey } from '../../src/core/ports.ts';

export type RuntimeName = 'node' | 'wasm' | 'viceroy';

/** A backend table override for the manifest (`url`, `first_byte_timeout_ms`, ...); null removes the backend. */
export type BackendOverride = Record<string, string | number> | null;

export interface ContractStackOptions {
  /** Replaces keys of the `personalization_config` store (JSON text per key). */
  config?: Partial<Record<ConfigKey, string>>;
  /** Merged into `[local_server.backends.<name>]` after the backends point at the local origin. */
  backends?: Partial<Record<BackendName, BackendOverride>>;
  /** The guest the Wasm runtimes run (default bin/main.wasm); the Node host ignores it. */
  wasmPath?: string;
}

export interface ContractStack {
  url(path: string): string;
  origin: RunningOrigin;
  /** Decision events (`personalization_events`) so far, parsed. */
  events(): Array<Record<string, unknown>>;
  /** Beacon events (`clickstream`) so far, parsed. */
  clickstream(): Array<Record<string, unknown>>;
  /** Resolves once the edge has finished all work for the requests answered so far (waitUntil, logs). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeDriver {
  name: RuntimeName;
  /** Why this runtime cannot run on this machine, or null when it can. */
  unavailable: string | null;
  start(options?: ContractStackOptions): Promise<ContractStack>;
}

/** Parses the `<endpoint> :: <json>` lines (Viceroy's log format, which every runtime prints). */
export function endpointEvents(lines: readonly string[], endpoint: string): Array<Record<string, unknown>> {
  const prefix = `${endpoint} :: `;
  return lines.filter((line) => line.startsWith(prefix)).map((line) => JSON.parse(line.slice(prefix.length)) as Record<string, unknown>);
}

interface StackParts {
  origin: RunningOrigin;
  /** The edge's base URL, with or without a trailing slash. */
  base: string;
  lines: readonly string[];
  settled(): Promise<void>;
  closeEdge(): Promise<void>;
}

export function contractStack(parts: StackParts): ContractStack {
  const base = parts.base.replace(/\/$/, '');
  return {
    origin: parts.origin,
    url: (path) => `${base}${path}`,
    events: () => endpointEvents(parts.lines, 'personalization_events'),
    clickstream: () => endpointEvents(parts.lines, 'clickstream'),
    settled: parts.settled,
    async close() {
      await parts.closeEdge();
      await parts.origin.close();
    },
  };
}
