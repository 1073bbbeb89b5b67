/**
 * `npm run edge -- --manifest FILE --addr HOST:PORT`: only the Node-host edge, configured from FILE
 * (default `fastly.toml`, `127.0.0.1:7676`). Every failure is one line on stderr: exit 2 for a bad
 * command line, 1 when the server cannot start (a bad manifest, a taken port).
 */
import { pathToFileURL } from 'node:url';
import { startEdge } from '../src/node-host/edge-server.ts';
import type { RunningEdge } from '../src/node-host/edge-server.ts';
import { ManifestError } from '../src/local-platform/manifest-error.ts';
import { readArgs, UsageError, usageLine } from './lib/cli-args.ts';
import type { CliSpec } from './lib/cli-args.ts';

export interface EdgeArgs {
  manifest: string;
  host: string;
  port: number;
}

/** `usage`: the command line was refused (exit 2) rather than the server failing to start (exit 1). */
export type EdgeCliResult = { ok: true; edge: RunningEdge } | { ok: true; help: string } | { ok: false; message: string; usage: boolean };

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export const EDGE_OPTIONS = { manifest: { type: 'string', default: 'fastly.toml' }, addr: { type: 'string', default: '127.0.0.1:7676' } } as const;
const SPEC = { name: 'edge', usage: 'usage: npm run edge -- [--manifest FILE] [--addr HOST:PORT]', options: EDGE_OPTIONS };

/** null for `--help`; a bad command line throws a UsageError carrying the whole line. */
export function parseEdgeArgs(argv: readonly string[], spec: CliSpec<typeof EDGE_OPTIONS> = SPEC): EdgeArgs | null {
  const parsed = readArgs(spec, argv);
  if (parsed === null) return null;
  const { manifest, addr } = parsed.values;
  if (manifest === '') throw new UsageError(usageLine(spec, '--manifest needs a file'));
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(usageLine(spec, `bad --addr "${addr}" (expected HOST:PORT, e.g. 127.0.0.1:7676)`));
  return { manifest, host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port };
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<EdgeCliResult> {
  let args: EdgeArgs | null = null;
  try {
    args = parseEdgeArgs(argv);
    if (args === null) {
      io.stdout(SPEC.usage);
      return { ok: true, help: SPEC.usage };
    }
    const edge = await startEdge({ manifestPath: args.manifest, host: args.host, port: args.port });
    io.stdout(`edge (Node host) listening on ${edge.url} with ${args.manifest}`);
    return { ok: true, edge };
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `edge: ${describeStartError(error, args ?? undefined)}`;
    io.stderr(message);
    return { ok: false, message, usage: error instanceof UsageError };
  }
}

/** One line naming why a server could not start: the manifest or the listening address. */
export function describeStartError(error: unknown, args: EdgeArgs | undefined): string {
  if (error instanceof ManifestError) return error.message;
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const addr = args ? (args.host.includes(':') ? `[${args.host}]:${args.port}` : `${args.host}:${args.port}`) : '';
  if (code === 'EADDRINUSE') return `${addr} is already in use`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot listen on ${addr}: no such local address`;
  if (code === 'EACCES') return `cannot listen on ${addr}: permission denied`;
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim() || 'failed to start';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await main(process.argv.slice(2));
  if (!result.ok) process.exitCode = result.usage ? 2 : 1;
  else if ('edge' in result) stopOnSignals(result.edge);
}

/** Ctrl-C or SIGTERM closes the server, then exits (1 if closing failed). */
export function stopOnSignals(server: { close(): Promise<void> }): void {
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
