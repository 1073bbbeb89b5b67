/**
 * The client's request body through the compiled guest on the Wasm host: a pass-through streams it
 * to the backend (the backend sees the first bytes before the client has sent the last), any size
 * gets through byte for byte, and a backend that answers before reading it still answers the client.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { startWasmStack, type WasmStack } from './wasm-stack.ts';

const buildError = await ensureWasm('bin/main.wasm').then(
  () => null,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
if (buildError) console.warn(`[wasm-host test] ${buildError}; testing the existing bin/main.wasm`);
const noWasm = !existsSync('bin/main.wasm');

/** Resolves when the stand-in origin has received its first body bytes for `/upload/stream`. */
let firstBytes: () => void = () => undefined;
const firstBytesSeen = new Promise<void>((resolve) => (firstBytes = resolve));
let origin: Server;
let stack: WasmStack;

/** The stand-in origin: `/upload/*` answers the length and SHA-256 of what it read; `/refuse` answers 413 first. */
function standInOrigin(): Server {
  return createServer((req, res) => {
    if (req.url === '/refuse') {
      // Answers at once, then drops what the client still sends (what a careful server does).
      res.writeHead(413, { 'content-type': 'text/plain' }).end('too large\n');
      req.resume();
      return;
    }
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (length === 0 && req.url === '/upload/stream') firstBytes();
      length += chunk.byteLength;
      hash.update(chunk);
    });
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ length, sha256: hash.digest('hex') })));
  });
}

beforeAll(async () => {
  if (noWasm) return;
  origin = standInOrigin();
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/`;
  stack = await startWasmStack({
    editManifest: (local) => {
      const backends = local.backends as Record<string, Record<string, unknown>>;
      backends.templates = { ...backends.templates, url };
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  origin?.close();
});

function pattern(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
  return bytes;
}

describe.skipIf(noWasm)('request bodies through the Wasm host (skipped only because bin/main.wasm is missing and npm run build failed)', () => {
  it('passes a 12 MiB upload to the origin byte for byte', async () => {
    const body = pattern(12 * 1024 * 1024);
    const response = await fetch(stack.url('/upload/big'), { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Blob([body]) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ length: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') });
  });

  it('streams the upload: the origin sees its first bytes while the client still holds the rest back', async () => {
    // node:http, not fetch: the test setup's msw interceptor reads a fetch body to its end before
    // anything is sent, which would hide the streaming this test is about.
    const request = httpRequest(stack.url('/upload/stream'), { method: 'POST', headers: { 'content-type': 'application/octet-stream' } });
    const answer = new Promise<string>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      request.on('error', reject);
    });
    request.write(pattern(64 * 1024));
    // The rest is sent only once the origin has bytes in hand; a host that buffered the whole body
    // first would never forward any, and this deadline would fire.
    const seen = await Promise.race([firstBytesSeen.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000))]);
    request.end(pattern(64 * 1024));
    expect(seen).toBe(true);
    expect(JSON.parse(await answer)).toMatchObject({ length: 128 * 1024 });
  }, 40_000);

  it("answers with the origin's refusal when it answers before reading the body", async () => {
    const response = await fetch(stack.url('/refuse'), { method: 'PUT', body: new Blob([pattern(4 * 1024 * 1024)]) });
    expect([response.status, await response.text()]).toEqual([413, 'too large\n']);
    const health = await fetch(stack.url('/__health'));
    expect(health.status).toBe(200);
  });
});
