/**
 * A backend call under a deadline its owner times (deadlineOf, the page's one timer for its
 * fragment fetches): no timer and no race of its own, yet an answer after the deadline is a
 * timeout whose body is dropped, as under its own timer.
 */
import { expect, it } from 'vitest';
import { callBackend } from '../../../src/core/backend/backend-call.ts';
import { deadlineOf, TIMED_OUT } from '../../../src/core/backend/deadline.ts';
import { Later } from '../../../src/core/later.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';
import type { BackendFetchOptions, BackendName, BackendResponse, BackendSettle, EdgeGet, FetchBackend } from '../../../src/core/ports.ts';

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
  const calling = callBackend({ fetchBackend: backendPort(() => backend.sent), now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs: 5_000, deadline: deadlineOf(owner) });
  if (timedOut) owner.set(TIMED_OUT);
  backend.answer();
  const call = await calling;
  expect(call.ok).toBe(ok);
  if (!call.ok) expect(call).toMatchObject({ reason: 'timeout', detail: 'no response within the deadline' });
  await expect.poll(backend.cancelled).toBe(!ok);
  if (call.ok) call.discard(null);
});

const OUTCOMES = [
  { outcome: 'an answer', send: (): Promise<BackendResponse> => Promise.resolve({ response: new Response('x'), cache: 'HIT' }), expected: 'ok' },
  { outcome: 'a rejection', send: (): Promise<BackendResponse> => Promise.reject(new Error('connection refused')), expected: 'network' },
  { outcome: 'a throw', send: (): Promise<BackendResponse> => { throw new Error('bad request'); }, expected: 'network' },
];

// With a timeout of its own the call races the port's promise; without one the port settles the call itself.
it.each([
  ...OUTCOMES.map((row) => ({ ...row, timeoutMs: 5_000, how: 'racing its own timer', plain: false })),
  ...OUTCOMES.map((row) => ({ ...row, timeoutMs: null, how: 'settled by the port', plain: false })),
  // A fetch with no settling form (a fake, a host adapter) is never handed a settle it would ignore.
  ...OUTCOMES.map((row) => ({ ...row, timeoutMs: null, how: 'through a plain fetch with no settling form', plain: true })),
])('hands $outcome and the caller’s context to its next step and resolves with what that returns, $how', async ({ send, timeoutMs, expected, plain }) => {
  const seen: string[] = [];
  const result = await callBackend({ fetchBackend: plain ? send : backendPort(send), now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs }, (call, context: string) => {
    seen.push(call.ok ? 'ok' : call.reason);
    if (call.ok) call.discard(null);
    return Promise.resolve(`${context} ${seen.length}`);
  }, 'mapped');
  expect(seen).toEqual([expected]);
  expect(result).toBe('mapped 1');
});

/** A port that records, per call, whether it was asked in its settling form. */
function watchingPort(settles: boolean[]): FetchBackend {
  const inner = backendPort(() => Promise.resolve<BackendResponse>({ response: new Response('x'), cache: 'MISS' }));
  return Object.assign((backend: BackendName, request: Request | EdgeGet, options?: BackendFetchOptions) => (settles.push(false), inner(backend, request, options)), {
    settling: <T>(backend: BackendName, request: Request | EdgeGet, options: BackendFetchOptions, settle: BackendSettle<T>): Promise<T> => {
      settles.push(true);
      return inner.settling!(backend, request, options, settle);
    },
  });
}

it.each([
  { deadline: 'none of its own', timeoutMs: null, owned: false, settles: true },
  { deadline: 'one its owner times', timeoutMs: 5_000, owned: true, settles: true },
  { deadline: 'its own timer', timeoutMs: 5_000, owned: false, settles: false },
])('lets the port settle the call in the fetch’s own reaction only when no timer of its own races it: $deadline', async ({ timeoutMs, owned, settles }) => {
  const seen: boolean[] = [];
  const deadline = owned ? deadlineOf(new Later<unknown>()) : undefined;
  const call = await callBackend({ fetchBackend: watchingPort(seen), now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs, deadline });
  expect(seen).toEqual([settles]);
  expect(call.ok).toBe(true);
  if (call.ok) call.discard(null);
});

it('still races a deadline its owner has already spent, and drops the answer', async () => {
  const seen: boolean[] = [];
  const owner = new Later<unknown>();
  owner.set(TIMED_OUT);
  const call = await callBackend({ fetchBackend: watchingPort(seen), now: () => performance.now() }, { backend: 'fragments', request: REQUEST, timeoutMs: 5_000, deadline: deadlineOf(owner) });
  expect(seen).toEqual([false]);
  expect(call).toMatchObject({ ok: false, reason: 'timeout', detail: 'no response within the deadline' });
});
