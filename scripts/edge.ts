/**
 * `npm run edge -- --manifest FILE --addr HOST:PORT`: only the Node-host edge, configured from FILE
 * (default `fastly.toml`, `127.0.0.1:7676`). Every failure is one line on stderr and a non-zero exit.
 */
import { pathToFileURL } from 'node:url';
import { startEdge } from '../src/node-host/edge-server.ts';
import type { RunningEdge } from '../src/node-host/edge-server.ts';
import { ManifestError } from '../src/local-platform/manifest-error.ts';

export interface EdgeArgs {
  manifest: string;
  host: string;
  port: number;
}

export type EdgeCliResult = { ok: true; edge: RunningEdge } | { ok: false; message: string };

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

export function parseEdgeArgs(argv: readonly string[]): EdgeArgs {
  const values = new Map<string, string>([
    ['manifest', 'fastly.toml'],
    ['addr', '127.0.0.1:7676'],
  ]);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !values.has(name)) throw new UsageError(`unknown flag ${flag} (expected --manifest FILE, --addr HOST:PORT)`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    values.set(name, value);
  }
  const addr = values.get('addr') ?? '';
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(addr);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`bad --addr "${addr}" (expected HOST:PORT, e.g. 127.0.0.1:7676)`);
  return { manifest: values.get('manifest') ?? 'fastly.toml', host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port };
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<EdgeCliResult> {
  let args: EdgeArgs | undefined;
  try {
    args = parseEdgeArgs(argv);
    const edge = await startEdge({ manifestPath: args.manifest, host: args.host, port: args.port });
    io.stdout(`edge (Node host) listening on ${edge.url} with ${args.manifest}`);
    return { ok: true, edge };
  } catch (error) {
    const message = `edge: ${describeStartError(error, args)}`;
    io.stderr(message);
    return { ok: false, message };
  }
}

/** One line naming why a server could not start: usage, manifest, or the listening address. */
export function describeStartError(error: unknown, args: EdgeArgs | undefined): string {
  if (error instanceof UsageError || error instanceof ManifestError) return error.message;
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
  if (!result.ok) {
    process.exitCode = 1;
  } else {
    stopOnSignals(result.edge);
  }
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
