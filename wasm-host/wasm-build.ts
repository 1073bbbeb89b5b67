/**
 * Rebuilds `bin/main.wasm` with `npm run build` when it is missing or older than any file under
 * `src/`, so the Wasm host never serves a stale guest.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Newest modification time (ms) of any file under `dir`, or 0. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function wasmIsStale(wasmPath: string, sourceDir = 'src'): boolean {
  let built: number;
  try {
    built = statSync(wasmPath).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(sourceDir) > built;
}

/** Runs `npm run build`; rejects with the last line of its output when it fails. */
export function buildWasm(log: (line: string) => void = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const last = output.trim().split('\n').filter(Boolean).pop() ?? `exit code ${code}`;
      log(output);
      reject(new Error(`npm run build failed: ${last}`));
    });
  });
}

const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `work` while holding `<wasmPath>.lock` (an atomic mkdir), so test files running in parallel
 * workers never build, or read a half-written, bin/main.wasm at the same time.
 */
async function withBuildLock<T>(wasmPath: string, work: () => Promise<T>): Promise<T> {
  const lock = `${wasmPath}.lock`;
  mkdirSync(dirname(wasmPath), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureWasm(wasmPath: string, log: (line: string) => void = () => undefined): Promise<boolean> {
  if (!wasmIsStale(wasmPath)) return false;
  return withBuildLock(wasmPath, async () => {
    // Another worker may have built it while this one waited for the lock.
    if (!wasmIsStale(wasmPath)) return false;
    log(`building ${wasmPath} (missing or older than src/) ...`);
    await buildWasm();
    return true;
  });
}
