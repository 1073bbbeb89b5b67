/**
 * `npm run wasm -- --manifest FILE --addr HOST:PORT`: serves `bin/main.wasm` through the Node host
 * for the Compute hostcall ABI (wasm-host/), configured from FILE's `[local_server]` tables; builds
 * the Wasm first when it is missing or stale. Every failure is one line on stderr and a non-zero exit.
 */
import { pathToFileURL } from 'node:url';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { DEFAULT_WASM_PATH, startWasmHost } from '../wasm-host/wasm-server.ts';
import type { RunningWasmHost } from '../wasm-host/wasm-server.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { describeStartError, parseEdgeArgs, stopOnSignals } from './edge.ts';
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
    const message = `wasm: ${describeStartError(error, args)}`;
    io.stderr(message);
    return { ok: false, message };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await main(process.argv.slice(2));
  if (!result.ok) {
    process.exitCode = 1;
  } else {
    stopOnSignals(result.host);
  }
}
