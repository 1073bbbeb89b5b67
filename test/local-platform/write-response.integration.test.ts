import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeWebResponse } from '../../src/local-platform/write-response.ts';

let server: Server;
let base: string;
let makeResponse: () => Response;
let cancelled: Promise<unknown>;

beforeAll(async () => {
  server = createServer((incoming, outgoing) => {
    void writeWebResponse(makeResponse(), outgoing, incoming.method === 'HEAD');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function chunks(parts: string[], gapMs: number, onCancel?: (reason: unknown) => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    async pull(controller) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const part = parts[index++];
      if (part === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(part));
    },
    cancel: onCancel,
  });
}

it('sends each Set-Cookie header separately and strips framing headers', async () => {
  makeResponse = () => {
    const headers = new Headers({ 'content-length': '999', 'x-a': '1' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    return new Response('hello', { status: 201, headers });
  };
  const response = await fetch(base);
  expect(response.status).toBe(201);
  expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  expect(await response.text()).toBe('hello');
});

it('delivers the first chunk before the body has finished', async () => {
  makeResponse = () => new Response(chunks(['first', 'second'], 400));
  const events = await new Promise<string[]>((resolve) => {
    const seen: string[] = [];
    const req = httpRequest(base, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => seen.push(chunk));
      res.on('end', () => resolve(seen));
    });
    req.end();
  });
  expect(events).toEqual(['first', 'second']);
});

it('sends no body for HEAD', async () => {
  makeResponse = () => new Response('body bytes', { headers: { 'content-length': '10' } });
  const response = await fetch(base, { method: 'HEAD' });
  expect(response.headers.get('content-length')).toBe('10');
  expect(await response.text()).toBe('');
});

it('cancels the body when the client disconnects mid-stream', async () => {
  cancelled = new Promise((resolve) => {
    makeResponse = () => new Response(chunks(Array.from({ length: 50 }, () => 'chunk'), 50, resolve));
  });
  await new Promise<void>((resolve) => {
    const req = httpRequest(base, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.end();
  });
  await expect(cancelled).resolves.toBeUndefined();
});

it('ends the socket when the body errors mid-stream and keeps serving', async () => {
  makeResponse = () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('partial'));
          setTimeout(() => controller.error(new Error('origin went away')), 20);
        },
      }),
    );
  const response = await fetch(base);
  await expect(response.text()).rejects.toThrow();
  makeResponse = () => new Response('still alive');
  expect(await (await fetch(base)).text()).toBe('still alive');
});
