/**
 * Compiles a test guest with the project's js-compute-runtime (and any build flags) into the temp
 * dir, once per content hash (the caller hashes whatever the guest is built from, flags included);
 * returns the path of the Wasm.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
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
  return wasm;
}
