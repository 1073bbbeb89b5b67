/**
 * Test helper: a real `redis-server` (Debian package, installed by .ci/run) on a free 127.0.0.1
 * port, with persistence off, killed when the tests end. `REDIS_SERVER` is absent where the
 * binary is, so suites can skip with a one-line reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const CANDIDATES = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
export const REDIS_SERVER: string | null = CANDIDATES.find((path): path is string => typeof path === 'string' && existsSync(path)) ?? null;
export const REDIS_SKIP_REASON = 'skipped: no redis-server binary (apt-get install redis-server)';

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output.slice(-300)}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output.slice(-300)}`));
    });
  });
}

/** Starts redis-server on a free port (retrying if another process took the port first). */
export async function startRedis(binary = REDIS_SERVER): Promise<RunningRedis> {
  if (binary === null) throw new Error(REDIS_SKIP_REASON);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitReady(child);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 3) continue;
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await exited;
      },
    };
  }
}
