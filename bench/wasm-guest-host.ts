/**
 * Builds the benchmark guests (bench/guest/*.ts) into .bench/ with js-compute-runtime (no AOT, as
 * `npm run build:wasm` builds bin/main.wasm) when missing or older than src/ or bench/guest/, and
 * runs one on the Wasm host against the local origin.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startOrigin } from '../origin/start-origin.ts';
import { stackManifest, type StackOptions } from '../support/local-stack.ts';
import { SHIPPED_CONFIG } from '../src/fastly/shipped-config.ts';
import { startWasmHost, type RunningWasmHost } from '../wasm-host/wasm-server.ts';
import { raiseBenchPriority } from './bench-priority.ts';

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * The `--` options of a js-compute-runtime command line (package.json's `build:wasm`), so a guest
 * that runs the service's handler is built as bin/main.wasm is (e.g. `--enable-http-cache`).
 */
export function buildFlags(script: string): string[] {
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The options `npm run build:wasm` passes to js-compute-runtime. */
export function serviceBuildFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  return buildFlags(scripts['build:wasm'] ?? '');
}

/** Compiles bench/guest/<name>.ts to .bench/<name>.wasm unless it is up to date; returns the path. */
export async function buildGuest(name: string, flags: readonly string[] = []): Promise<string> {
  const out = join('.bench', `${name}.wasm`);
  const built = statSync(out, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built > Math.max(newest('src'), newest(join('bench', 'guest')))) return out;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npx', ['js-compute-runtime', ...flags, join('bench', 'guest', `${name}.ts`), out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`js-compute-runtime ${name}: ${errors.trim().split('\n').slice(0, 3).join(' ')}`))));
  });
  return out;
}

export interface GuestStack {
  host: RunningWasmHost;
  manifestPath: string;
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * The `settings` document exactly as the demo ships it (fastly.toml), instead of the local stack's
 * relaxed budgets: the build-time warm-up parsed this text into the snapshot, so a request skips
 * validating it, as the shipped service does (relaxed text costs every request ~0.1–0.25 ms of
 * validation that production with this config does not pay). The demo pages come from the edge
 * caches once warm, so the production budgets have no backend wait to time out.
 */
export const AS_SHIPPED: StackOptions['config'] = { settings: SHIPPED_CONFIG.settings };

/**
 * One guest worker, so rounds never run concurrently and each request gets a fresh instance.
 * `vcpuMicroseconds`: the guest's `vCpuTime()` counts microseconds, for timing phases inside a run.
 * `hostTime`: the host also accounts each instance's CPU inside hostcalls (`host.hostMs`); without
 * it no hostcall is timed (the timeline stays off even with WASM_HOST_TIMELINE=1 set): timing each
 * call reads the thread's CPU clock twice and adds ~0.3–1.2 ms to an instance, which the goal row's
 * untimed instances must not count.
 * `host.vcpuMs` never counts the instance's memory, which the worker makes before the request as
 * Compute's pooling allocator keeps slots ready; `host.memoryMs` is that CPU, per instance.
 * `config` replaces documents of the config store (`AS_SHIPPED`); the default is the relaxed stack's.
 * The module is compiled fully optimized before the first request, as Compute runs it, and the
 * compile time counts in no figure (wasm-host/module-compile.ts); `BENCH_WASM_TIERUP=1` keeps V8's
 * lazy baseline compile and background tier-up instead, to compare. The guest threads run at a
 * raised priority where allowed (bench-priority.ts).
 */
export async function startGuest(wasmPath: string, vcpuMicroseconds = false, hostTime = false, config?: StackOptions['config']): Promise<GuestStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const manifestPath = stackManifest(origin, { config });
  raiseBenchPriority();
  const host = await startWasmHost({ manifestPath, wasmPath, host: '127.0.0.1', port: 0, workers: 1, vcpuMicroseconds, hostTime, timeline: false, optimized: process.env.BENCH_WASM_TIERUP !== '1', stdout: () => undefined, guestOutput: () => undefined });
  const base = host.url.replace(/\/$/, '');
  return {
    host,
    manifestPath,
    url: (path) => `${base}${path}`,
    async close() {
      await host.close();
      await origin.close();
    },
  };
}
