/**
 * `npm run wasm -- --manifest FILE --addr HOST:PORT`: serves `bin/main.wasm` through the Node host
 * for the Compute hostcall ABI (wasm-host/), configured from FILE's `[local_server]` tables; builds
 * the Wasm first when it is missing or stale. Every failure is one line on stderr: exit 2 for a bad
 * command line, 1 when it cannot start (a bad manifest, a taken port).
 */
import { pathToFileURL } from 'node:url';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { DEFAULT_WASM_PATH, startWasmHost } from '../wasm-host/wasm-server.ts';
import type { RunningWasmHost } from '../wasm-host/wasm-server.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { describeStartError, EDGE_OPTIONS, parseEdgeArgs, stopOnSignals } from './edge.ts';
import { UsageError } from './lib/cli-args.ts';
import type { CliIo, EdgeArgs } from './edge.ts';

export type WasmCliResult = { ok: true; host: RunningWasmHost } | { ok: true; help: string } | { ok: false; message: string; usage: boolean };

const SPEC = { name: 'wasm', usage: 'usage: npm run wasm -- [--manifest FILE] [--addr HOST:PORT]', options: EDGE_OPTIONS };

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<WasmCliResult> {
  let args: EdgeArgs | null = null;
  try {
    args = parseEdgeArgs(argv, SPEC);
    if (args === null) {
      io.stdout(SPEC.usage);
      return { ok: true, help: SPEC.usage };
    }
    loadManifest(args.manifest);
    await ensureWasm(DEFAULT_WASM_PATH, (line) => io.stdout(line));
    const host = await startWasmHost({ manifestPath: args.manifest, host: args.host, port: args.port });
    io.stdout(`edge (Wasm host, ${DEFAULT_WASM_PATH}) listening on ${host.url} with ${args.manifest}`);
    return { ok: true, host };
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `wasm: ${describeStartError(error, args ?? undefined)}`;
    io.stderr(message);
    return { ok: false, message, usage: error instanceof UsageError };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await main(process.argv.slice(2));
  if (!result.ok) process.exitCode = result.usage ? 2 : 1;
  else if ('host' in result) stopOnSignals(result.host);
}
