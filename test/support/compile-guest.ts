/**
 * Compiles a test guest with the project's js-compute-runtime (and any build flags) into the temp
 * dir, once per content hash (the caller hashes whatever the guest is built from, flags included);
 * returns the path of the Wasm. Each source change leaves a new build (the ESI guest is ~110 MB), so
 * a new build removes the same guest's builds untouched for an hour: old enough that no test run of
 * another working copy is still between finding one and reading it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
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

/** A hash of every `.ts` file under `dirs` and of `files`: whatever a guest is built from, so a change to any rebuilds it. */
export function sourceHash(dirs: readonly string[], files: readonly string[]): string {
  const hash = createHash('sha256');
  const add = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) add(path);
      else if (path.endsWith('.ts')) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of dirs) add(dir);
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
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
