/**
 * Viceroy (Fastly's local Compute runtime) running bin/main.wasm as a contract-suite runtime. It is
 * never downloaded: only a binary found by `findViceroy()` is used.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startOrigin } from '../../origin/start-origin.ts';
import { findViceroy } from '../../scripts/viceroy.ts';
import { writeContractManifest } from '../../support/contract/contract-manifest.ts';
import { contractStack } from '../../support/contract/runtime-driver.ts';
import type { ContractStack, ContractStackOptions, RuntimeDriver } from '../../support/contract/runtime-driver.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error('viceroy did not answer /__health within 30 s');
}

/** Viceroy gives no completion signal for log lines: wait until stdout has been quiet for 300 ms. */
async function quiet(lines: readonly string[]): Promise<void> {
  for (let seen = -1, rounds = 0; seen !== lines.length && rounds < 20; rounds++) {
    seen = lines.length;
    await sleep(300);
  }
}

function startWith(viceroy: string) {
  return async (options: ContractStackOptions = {}): Promise<ContractStack> => {
    const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const args = ['-C', writeContractManifest(origin, options), '--addr', `127.0.0.1:${port}`, options.wasmPath ?? 'bin/main.wasm'];
    const child = spawn(viceroy, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
    await waitForHealth(`${base}/__health`, child);
    const closeEdge = async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    };
    return contractStack({ origin, base, lines, settled: () => quiet(lines), closeEdge });
  };
}

export function viceroyDriver(): RuntimeDriver {
  const viceroy = findViceroy();
  if (!viceroy) {
    const reason = 'Viceroy is not installed (set FASTLY_VICEROY_PATH or put viceroy on PATH)';
    return { name: 'viceroy', unavailable: reason, start: () => Promise.reject(new Error(reason)) };
  }
  return { name: 'viceroy', unavailable: null, start: startWith(viceroy) };
}
