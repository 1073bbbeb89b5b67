/**
 * `npm run wasm -- --manifest FILE --addr HOST:PORT`: serves `bin/main.wasm` through the Node host
 * for the Compute hostcall ABI (wasm-host/), configured from FILE's `[local_server]` tables; builds
 * the Wasm first when it is missing or stale. Every failure is one line on stderr and a non-zero exit.
 */
import { pathToFileURL } from 'node:url';
import { ManifestError } from '../src/node-host/manifest-error.ts';
import { loadManifest } from '../src/node-host/manifest.ts';
import { DEFAULT_WASM_PATH, startWasmHost } from '../wasm-host/wasm-server.ts';
import type { RunningWasmHost } from '../wasm-host/wasm-server.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { parseEdgeArgs } from './edge.ts';
import type { CliIo, EdgeArgs } from './edge.ts';

export type WasmCliResult = { ok: true; host: RunningWasmHost } | { ok: false; message: string };

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<WasmCliResult> {
  let args: EdgeArgs | undefined;
  try {
    args = parseEdgeArgs(argv);
    loadManifest(args.manifest);
    await ensureWasm(DEFAULT_WASM_PATH, (line) => io.stdout(line));
    const host = await startWasmHost({ manifestPath: args.manifest, host: args.host, port: args.port });
    io.stdout(`edge (Wasm host, ${DEFAULT_WASM_PATH}) listening on ${host.url} with ${args.manifest}`);
    return { ok: true, host };
  } catch (error) {
    const message = `wasm: ${describe(error, args)}`;
    io.stderr(message);
    return { ok: false, message };
  }
}

function describe(error: unknown, args: EdgeArgs | undefined): string {
  if (error instanceof ManifestError) return error.message;
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const addr = args ? (args.host.includes(':') ? `[${args.host}]:${args.port}` : `${args.host}:${args.port}`) : '';
  if (code === 'EADDRINUSE') return `${addr} is already in use`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${addr}: no such local address`;
  if (code === 'EACCES') return `cannot listen on ${addr}: permission denied`;
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim() || 'failed to start';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await main(process.argv.slice(2));
  if (!result.ok) {
    process.exitCode = 1;
  } else {
    const { host } = result;
    const stop = (): void => {
      host.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
