/**
 * The real bin/main.wasm in Viceroy, against the real local origin. Viceroy cannot be downloaded
 * here, so this runs only where it is installed (FASTLY_VICEROY_PATH or `viceroy` on PATH).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { findViceroy } from '../../scripts/viceroy.ts';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';
import { stackManifest } from '../e2e/local-stack.ts';

const viceroy = findViceroy();
if (!viceroy) console.info('viceroy.e2e: skipped: Viceroy is not installed (set FASTLY_VICEROY_PATH or put viceroy on PATH)');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`viceroy exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('viceroy did not answer /__health within 30 s');
}

describe.skipIf(!viceroy)('bin/main.wasm in Viceroy', () => {
  let origin: RunningOrigin;
  let child: ChildProcess;
  let base = '';
  const stdout: string[] = [];

  beforeAll(async () => {
    if (!existsSync('bin/main.wasm')) {
      const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npm run build failed');
    }
    origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(viceroy ?? 'viceroy', ['-C', stackManifest(origin), '--addr', `127.0.0.1:${port}`, 'bin/main.wasm'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(...chunk.toString('utf8').split('\n')));
    await waitForHealth(`${base}/__health`, child);
  }, 120_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await origin?.close();
  });

  it('answers /__health from the Fastly runtime', async () => {
    const body = (await (await fetch(`${base}/__health`)).json()) as { runtime: string };
    expect(body.runtime).toBe('fastly');
  });

  it('serves the demo home page with every ESI tag processed', async () => {
    const response = await fetch(`${base}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('</html>');
    expect(html).not.toContain('<esi:');
  });

  it('logs a decision event line in the Viceroy format', async () => {
    await (await fetch(`${base}/category/running`)).text();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stdout.some((line) => line.startsWith('personalization_events :: {'))).toBe(true);
  });
});
