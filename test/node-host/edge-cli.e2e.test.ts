import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, parseEdgeArgs } from '../../scripts/edge.ts';
import { startTestOrigin } from './test-origin.ts';
import type { TestOrigin } from './test-origin.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/fixtures/manifests/';
// tsx directly rather than `npx tsx`: npx may print its own warnings on stderr.
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let origin: TestOrigin;
let busy: Server;

beforeAll(async () => {
  origin = await startTestOrigin((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`from the cli origin ${request.url}`);
  });
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await origin.close();
  await new Promise((resolve) => busy.close(resolve));
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['scripts/edge.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it.each([
  { name: 'a missing manifest', args: () => ['--manifest', 'nope.toml'], line: 'edge: nope.toml: file not found' },
  { name: 'invalid TOML', args: () => ['--manifest', `${FIXTURES}invalid-toml.toml`], line: `edge: ${FIXTURES}invalid-toml.toml: invalid TOML at line 2, column 33: illegal character in key` },
  { name: 'an unknown backend key', args: () => ['--manifest', `${FIXTURES}unknown-backend-key.toml`], line: `edge: ${FIXTURES}unknown-backend-key.toml: local_server.backends.templates has unknown key "connect_timeout_ms"` },
  { name: 'a busy port', args: () => ['--manifest', `${FIXTURES}minimal.toml`, '--addr', `127.0.0.1:${(busy.address() as AddressInfo).port}`], line: () => `edge: 127.0.0.1:${(busy.address() as AddressInfo).port} is already in use` },
])('prints one line and exits non-zero for $name', async ({ args, line }) => {
  const result = await run(args());
  expect(result.code).not.toBe(0);
  expect(result.stderr).toBe(`${typeof line === 'function' ? line() : line}\n`);
});

it('serves from the backends a different manifest names and stops cleanly on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-cli-'));
  writeFileSync(join(dir, 'other.toml'), `[local_server.backends.templates]\nurl = "${origin.url}"\n`);
  const child: ChildProcess = spawn(TSX, ['scripts/edge.ts', '--manifest', join(dir, 'other.toml'), '--addr', '127.0.0.1:0'], { cwd: ROOT });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (found) resolve(found[0]);
    });
    child.on('close', () => reject(new Error(`edge exited early: ${stdout}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const body = await (await fetch(`${url}hello`)).text();
  expect(body).toContain('from the cli origin /hello');
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stdout).toContain('personalization_events :: {');
});

it.each([
  { argv: ['--addr', 'localhost'], error: 'bad --addr "localhost" (expected HOST:PORT, e.g. 127.0.0.1:7676)' },
  { argv: ['--addr', '127.0.0.1:70000'], error: 'bad --addr "127.0.0.1:70000" (expected HOST:PORT, e.g. 127.0.0.1:7676)' },
  { argv: ['--port', '1'], error: 'unknown flag --port' },
  { argv: ['--manifest'], error: "Option '--manifest <value>' argument missing" },
  { argv: ['--manifest='], error: '--manifest needs a file' },
])('rejects $argv in-process with one line', async ({ argv, error }) => {
  const lines: string[] = [];
  const result = await main(argv, { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) });
  const line = `edge: ${error}; usage: npm run edge -- [--manifest FILE] [--addr HOST:PORT]`;
  expect(result).toEqual({ ok: false, message: line, usage: true });
  expect(lines).toEqual([line]);
});

it('parses defaults, = forms and bracketed IPv6 addresses', () => {
  expect(parseEdgeArgs([])).toEqual({ manifest: 'fastly.toml', host: '127.0.0.1', port: 7676 });
  expect(parseEdgeArgs(['--manifest=x.toml', '--addr=[::1]:8080'])).toEqual({ manifest: 'x.toml', host: '::1', port: 8080 });
});
