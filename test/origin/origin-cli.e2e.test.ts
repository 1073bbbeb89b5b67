import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/origin.ts` the way `npm run origin` does (tsx), collecting its output. */
function origin(args: string[], onStdout?: (text: string, stop: () => void) => void, env: Record<string, string> = {}): Promise<Run> {
  // The Fastly API settings come only from `env`, so a developer's own token never reaches a test.
  const { FASTLY_API_TOKEN: _token, FASTLY_SERVICE_ID: _service, FASTLY_API_ENDPOINT: _endpoint, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/origin.ts', ...args], { cwd: process.cwd(), env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, () => child.kill('SIGTERM'));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  busy = createServer();
  busy.listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const address = busy.address();
  busyPort = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  busy.close();
  await once(busy, 'close');
});

describe('npm run origin', () => {
  it.each([
    { args: ['--port', 'abc'], message: 'origin: --port "abc" must be 0 or a port from 1 to 65533 (the origin uses N, N+1 and N+2)' },
    { args: ['--port', '65534'], message: 'origin: --port "65534" must be 0 or a port from 1 to 65533 (the origin uses N, N+1 and N+2)' },
    { args: ['--fault', 'profiles=explode'], message: 'origin: --fault profiles=explode: kind must be one of latency, status, garbage, hang, oversized, drip, jitter' },
    { args: ['--bogus'], message: /^origin: unknown flag --bogus; usage: npm run origin/ },
    { args: ['--edge', 'not a url'], message: 'origin: --edge "not a url" must be a URL, fastly or none' },
    { args: ['--edge', 'fastly'], message: 'origin: --edge fastly: set FASTLY_API_TOKEN to a Fastly API token with the purge_select scope' },
  ])('exits 2 with one line on stderr for $args', async ({ args, message }) => {
    const run = await origin(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
  });

  it('exits 2 with one line naming the busy port', async () => {
    const run = await origin(['--port', String(busyPort)]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([`origin: templates could not listen on port ${busyPort}: the port is already in use`]);
  });

  it('prints one line per server, serves, and stops cleanly on SIGTERM', async () => {
    let templatesUrl = '';
    let probed: Promise<number> | undefined;
    const run = await origin(['--port', '0', '--fault', 'profiles=status:503'], (text, stop) => {
      const lines = text.trimEnd().split('\n');
      if (lines.length < 3 || probed) return;
      templatesUrl = /http:\/\/127\.0\.0\.1:\d+\//.exec(lines[0] ?? '')?.[0] ?? '';
      probed = fetch(templatesUrl).then((response) => response.status).finally(stop);
    });
    expect(run.code).toBe(0);
    expect(await probed).toBe(200);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^origin templates +http:\/\/127\.0\.0\.1:\d+\/ {2}fault: none$/);
    expect(lines[1]).toMatch(/^origin profiles +http:\/\/127\.0\.0\.1:\d+\/ {2}fault: status 503$/);
    expect(lines[2]).toMatch(/^origin fragments +http:\/\/127\.0\.0\.1:\d+\/ {2}fault: none$/);
  });

  it('tells a deployed Fastly service about the deploy through the purge API with --edge fastly', async () => {
    const purges: Array<{ url: string; key: string; soft: string }> = [];
    const api = createHttpServer((req, res) => {
      const keys = String(req.headers['surrogate-key'] ?? '').split(' ');
      purges.push({ url: req.url ?? '', key: String(req.headers['fastly-key']), soft: String(req.headers['fastly-soft-purge']) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(keys.map((key) => [key, 'id']))));
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    const endpoint = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      const env = { FASTLY_API_TOKEN: 'cli-test-token', FASTLY_SERVICE_ID: 'svc123', FASTLY_API_ENDPOINT: endpoint };
      const run = await origin(['--port', '0', '--edge', 'fastly'], (text, stop) => {
        if (text.includes('origin deploy:')) stop();
      }, env);
      expect(run.stdout).toContain('origin deploy: soft-purged templates and shared fragments at Fastly service svc123');
      expect(run.stdout).not.toContain('cli-test-token');
      expect(purges).toEqual([{ url: '/service/svc123/purge', key: 'cli-test-token', soft: '1' }]);
    } finally {
      api.close();
    }
  });
});
