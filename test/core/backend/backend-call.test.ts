/**
 * A backend call under a deadline its owner times (deadlineOf, the page's one timer for its
 * fragment fetches): no timer and no race of its own, yet an answer after the deadline is a
 * timeout whose body is dropped, as under its own timer.
 */
import { expect, it } from 'vitest';
import { callBackend } from '../../../src/core/backend/backend-call.ts';
import { deadlineOf, TIMED_OUT } from '../../../src/core/backend/deadline.ts';
import { Later } from '../../../src/core/later.ts';
import type { BackendResponse } from '../../../src/core/ports.ts';

function answerLater(): { sent: Promise<BackendResponse>; answer: () => void; cancelled: () => boolean } {
  let cancelled = false;
  let resolve!: (response: BackendResponse) => void;
  const sent = new Promise<BackendResponse>((done) => (resolve = done));
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      cancelled = true;
    },
  });
  return { sent, answer: () => resolve({ response: new Response(body), cache: 'MISS' }), cancelled: () => cancelled };
}

const REQUEST = { url: 'https://www.example.com/fragments/a', headers: {} };

it.each([
  { when: 'answered in time', timedOut: false, ok: true },
  { when: 'answered after the owner timed it out', timedOut: true, ok: false },
])('takes an answer under the owner deadline only when it is $when', async ({ timedOut, ok }) => {
  const backend = answerLater();
  const owner = new Later<unknown>();
  const calling = callBackend({ fetchBackend: () => backend.sent, now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs: 5_000, deadline: deadlineOf(owner) });
  if (timedOut) owner.set(TIMED_OUT);
  backend.answer();
  const call = await calling;
  expect(call.ok).toBe(ok);
  if (!call.ok) expect(call).toMatchObject({ reason: 'timeout', detail: 'no response within the deadline' });
  await expect.poll(backend.cancelled).toBe(!ok);
  if (call.ok) call.discard(null);
});

it.each([
  { outcome: 'an answer', fetchBackend: (): Promise<BackendResponse> => Promise.resolve({ response: new Response('x'), cache: 'HIT' }), expected: 'ok' },
  { outcome: 'a rejection', fetchBackend: (): Promise<BackendResponse> => Promise.reject(new Error('connection refused')), expected: 'network' },
  { outcome: 'a throw', fetchBackend: (): Promise<BackendResponse> => { throw new Error('bad request'); }, expected: 'network' },
])('hands $outcome and the caller’s context to its next step and resolves with what that returns', async ({ fetchBackend, expected }) => {
  const seen: string[] = [];
  const result = await callBackend({ fetchBackend, now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs: 5_000 }, (call, context: string) => {
    seen.push(call.ok ? 'ok' : call.reason);
    if (call.ok) call.discard(null);
    return Promise.resolve(`${context} ${seen.length}`);
  }, 'mapped');
  expect(seen).toEqual([expected]);
  expect(result).toBe('mapped 1');
});
