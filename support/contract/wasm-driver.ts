/**
 * The compiled guest (`bin/main.wasm`) in the Node Wasm host as a contract-suite runtime. The guest
 * is rebuilt first when older than src/; if that build fails an existing bin/main.wasm is used.
 */
import { existsSync } from 'node:fs';
import { startOrigin } from '../../origin/start-origin.ts';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { DEFAULT_WASM_PATH, startWasmHost } from '../../wasm-host/wasm-server.ts';
import type { RunningWasmHost } from '../../wasm-host/wasm-server.ts';
import { writeContractManifest } from './contract-manifest.ts';
import { contractStack } from './runtime-driver.ts';
import type { ContractStack, ContractStackOptions, RuntimeDriver } from './runtime-driver.ts';

/** Builds bin/main.wasm when stale; returns why the Wasm runtimes cannot run, or null. */
export async function prepareWasm(): Promise<string | null> {
  const buildError = await ensureWasm(DEFAULT_WASM_PATH).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  if (buildError) console.warn(`[contract] ${buildError}; testing the existing ${DEFAULT_WASM_PATH}`);
  return existsSync(DEFAULT_WASM_PATH) ? null : `${DEFAULT_WASM_PATH} is missing and npm run build failed`;
}

export interface WasmContractStack extends ContractStack {
  host: RunningWasmHost;
  /** Everything the guest wrote to stdout/stderr. */
  guestOutput: string[];
}

export async function startWasmContractStack(options: ContractStackOptions = {}): Promise<WasmContractStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const lines: string[] = [];
  const guestOutput: string[] = [];
  const host = await startWasmHost({
    manifestPath: writeContractManifest(origin, options),
    wasmPath: options.wasmPath ?? DEFAULT_WASM_PATH,
    host: '127.0.0.1',
    port: 0,
    stdout: (line) => lines.push(line),
    guestOutput: (_fd, bytes) => guestOutput.push(Buffer.from(bytes).toString('utf8')),
  });
  const stack = contractStack({ origin, base: host.url, lines, settled: () => host.settled(), closeEdge: () => host.close() });
  return { ...stack, host, guestOutput };
}

export function wasmDriver(unavailable: string | null): RuntimeDriver {
  return { name: 'wasm', unavailable, start: startWasmContractStack };
}
