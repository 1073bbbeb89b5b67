/**
 * A body the edge already holds (a cache hit or a stale copy), unencoded and of a declared length
 * within the cap, is read whole in one call; any other body is left to the streamed read.
 */
import { describe, expect, it, vi } from 'vitest';
import { deadlineOf, NO_DEADLINE, startDeadline, TIMED_OUT } from '../../../src/core/backend/deadline.ts';
import { Later } from '../../../src/core/later.ts';
import { readHeldBody, readsWhole } from '../../../src/core/backend/read-held-body.ts';
import { backendAnswer } from '../../../src/core/backend/backend-answer.ts';
import type { CacheState } from '../../../src/core/ports.ts';
import type { CappedBody } from '../../../src/core/backend/read-capped-body.ts';

const same = (body: CappedBody): CappedBody => body;

function stalled(): Response {
  return new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => undefined) }));
}

describe('readHeldBody', () => {
  it.each([
    { name: 'no deadline of its own', deadline: () => NO_DEADLINE },
    { name: 'a deadline its owner times', deadline: () => deadlineOf(new Later<unknown>()) },
    { name: 'a deadline of its own', deadline: () => startDeadline(1_000) },
  ])('returns the whole body under $name', async ({ deadline }) => {
    const timer = deadline();
    expect(await readHeldBody(new Response('hello'), 5, timer, same)).toEqual({ ok: true, bytes: new TextEncoder().encode('hello') });
    timer.clear();
  });

  it('holds the cap whatever length was declared', async () => {
    expect(await readHeldBody(new Response('hello!'), 5, NO_DEADLINE, same)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('answers a failed read, never a rejection, for a body another reader holds', async () => {
    const response = new Response('hello');
    response.body!.getReader();
    expect(await readHeldBody(response, 5, NO_DEADLINE, same)).toMatchObject({ ok: false, reason: 'error' });
  });

  it('times out at once when the owner has already timed out', async () => {
    const owner = new Later<unknown>();
    owner.set(TIMED_OUT);
    const read = vi.fn();
    expect(await readHeldBody(Object.assign(new Response('x'), { arrayBuffer: read }), 5, deadlineOf(owner), same)).toMatchObject({ ok: false, reason: 'timeout' });
    expect(read).not.toHaveBeenCalled();
  });

  it('answers a timeout when the owner timed out while the body was read', async () => {
    const owner = new Later<unknown>();
    let arrive!: (buffer: ArrayBuffer) => void;
    const response = Object.assign(new Response('x'), { arrayBuffer: () => new Promise<ArrayBuffer>((resolve) => (arrive = resolve)) });
    const reading = readHeldBody(response, 5, deadlineOf(owner), same);
    owner.set(TIMED_OUT);
    arrive(new ArrayBuffer(1));
    expect(await reading).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('gives up at a deadline of its own when the read does not end', async () => {
    const deadline = startDeadline(20);
    expect(await readHeldBody(stalled(), 5, deadline, same)).toMatchObject({ ok: false, reason: 'timeout' });
  });
});

describe('BackendAnswer.readHeld', () => {
  const answer = (cache: CacheState, headers: Record<string, string>) => backendAnswer(new Response('hello', { headers }), cache, 0, NO_DEADLINE);

  it.each<{ name: string; cache: CacheState; headers: Record<string, string>; held: boolean }>([
    { name: 'a cache hit of a declared length within the cap', cache: 'HIT', headers: { 'content-length': '5' }, held: true },
    { name: 'a stale copy', cache: 'STALE', headers: { 'content-length': '5' }, held: true },
    { name: 'a miss (the origin may still be sending it)', cache: 'MISS', headers: { 'content-length': '5' }, held: false },
    { name: 'a pass', cache: 'PASS', headers: { 'content-length': '5' }, held: false },
    { name: 'a hit without a length', cache: 'HIT', headers: {}, held: false },
    { name: 'a hit declared over the cap', cache: 'HIT', headers: { 'content-length': '6000' }, held: false },
    { name: 'a hit whose length is not a plain decimal', cache: 'HIT', headers: { 'content-length': '5, 5' }, held: false },
    { name: 'an encoded hit (decoded as a stream)', cache: 'HIT', headers: { 'content-length': '5', 'content-encoding': 'gzip' }, held: false },
  ])('reads whole: $name ($held)', async ({ cache, headers, held }) => {
    const read = answer(cache, headers).readHeld(5_000, same);
    expect(read !== null).toBe(held);
    if (read !== null) expect(await read).toEqual({ ok: true, bytes: new TextEncoder().encode('hello') });
  });

  it('streams a hit only inferred from Age (it may still be arriving; a whole read could not be cancelled)', () => {
    const inferred = backendAnswer(new Response('hello', { headers: { 'content-length': '5', age: '9' } }), 'HIT', 0, NO_DEADLINE, true);
    expect(inferred.readHeld(5_000, same)).toBeNull();
  });
});

describe('readsWhole, the one rule for templates and fragments', () => {
  it.each([
    { name: 'a hit of a declared length within the cap', cache: 'HIT', headers: { 'content-length': '5' }, whole: true },
    { name: 'a stale copy', cache: 'STALE', headers: { 'content-length': '5' }, whole: true },
    { name: 'a hit declared identity-encoded', cache: 'HIT', headers: { 'content-length': '5', 'content-encoding': ' Identity ' }, whole: true },
    { name: 'a hit of exactly the cap', cache: 'HIT', headers: { 'content-length': '10' }, whole: true },
    { name: 'a miss', cache: 'MISS', headers: { 'content-length': '5' }, whole: false },
    { name: 'a pass', cache: 'PASS', headers: { 'content-length': '5' }, whole: false },
    { name: 'a compressed hit', cache: 'HIT', headers: { 'content-length': '5', 'content-encoding': 'gzip' }, whole: false },
    { name: 'a hit without a length', cache: 'HIT', headers: {}, whole: false },
    { name: 'a hit one byte over the cap', cache: 'HIT', headers: { 'content-length': '11' }, whole: false },
    { name: 'a hit of a length that is not a plain decimal', cache: 'HIT', headers: { 'content-length': '5, 5' }, whole: false },
  ] as Array<{ name: string; cache: string; headers: Record<string, string>; whole: boolean }>)('$name: $whole', ({ cache, headers, whole }) => {
    expect(readsWhole(cache as CacheState, new Headers(headers), 10)).toBe(whole);
  });
});
