/**
 * Compiles a test guest with the project's js-compute-runtime (and any build flags) into the temp
 * dir, once per content hash (the caller hashes whatever the guest is built from, flags included);
 * returns the path of the Wasm. Each source change leaves a new build (the ESI guest is ~110 MB), so
 * a new build removes the same guest's builds untouched for an hour: old enough that no test run of
 * another working copy is still between finding one and reading it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function compileGuest(source: string, name: string, hash: string, flags: readonly string[] = []): Promise<string> {
  const wasm = join(tmpdir(), `${name}-${hash}.wasm`);
  if (existsSync(wasm)) return wasm;
  const partial = `${wasm}.${process.pid}.partial`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('node_modules/.bin/js-compute-runtime', [...flags, source, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name} guest build failed: ${errors.trim().split('\n').pop() ?? code}`))));
  });
  renameSync(partial, wasm);
  removeStaleBuilds(name, wasm);
  return wasm;
}

const STALE_AFTER_MS = 60 * 60 * 1000;

function removeStaleBuilds(name: string, keep: string): void {
  const dir = tmpdir();
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (path === keep || !file.startsWith(`${name}-`) || !file.endsWith('.wasm')) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
    } catch {
      // Gone already, or not ours to remove: a cache, nothing depends on it.
    }
  }
}
