import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockStack, type MockStack } from '../security/support/mock-stack.ts';
import { connect } from 'node:net';
import { raw } from '../security/support/http-client.ts';

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack();
});
afterAll(async () => {
  await stack.close();
});

it.each([
  { name: 'an HTTP/0.9 request line', text: 'GET /\r\n' },
  { name: 'an HTTP/0.9 request line and a blank line', text: 'GET /\r\n\r\n' },
  { name: 'a bare LF request line', text: 'GET /x\n' },
])('answers $name with 400 and closes, instead of waiting for headers', async ({ text }) => {
  const answer = await raw(stack.port, text);
  expect(answer.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
  expect(answer.endsWith('{"error":"request line needs an HTTP version"}')).toBe(true);
});

it('still serves a well-formed HTTP/1.1 request', async () => {
  const answer = await raw(stack.port, 'GET /__health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
  expect(answer.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
});

it('closes a connection that never sent a byte when the edge stops', async () => {
  const own = await startMockStack();
  const socket = connect(own.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  await own.close();
  expect(await closed).toBe(true);
});
