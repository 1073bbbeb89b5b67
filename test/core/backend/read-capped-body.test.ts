/**
 * The capped body reader on hand-made streams: it returns the bytes under the cap, and cancels
 * the stream at the cap, at the deadline or on a read error.
 */
import { describe, expect, it } from 'vitest';
import { deadlineOf, startDeadline, TIMED_OUT } from '../../../src/core/backend/deadline.ts';
import { Later } from '../../../src/core/later.ts';
import { readCappedBody } from '../../../src/core/backend/read-capped-body.ts';
import { rejected } from '../../../src/core/backend/rejected.ts';

interface Probe {
  stream: ReadableStream<Uint8Array>;
  cancelled: () => boolean;
}

function chunks(sizes: readonly number[], then: 'close' | 'stall' | 'error' = 'close'): Probe {
  let cancelled = false;
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes[next++];
      if (size !== undefined) return controller.enqueue(new Uint8Array(size).fill(next));
      if (then === 'close') return controller.close();
      if (then === 'error') return controller.error(new Error('reset'));
      return new Promise<void>(() => undefined);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe('readCappedBody', () => {
  it('returns all chunks joined in order when the body fits', async () => {
    const deadline = startDeadline(1_000);
    const result = await readCappedBody(chunks([2, 3]).stream, 10, deadline);
    deadline.clear();
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([1, 1, 2, 2, 2]) });
  });

  it('returns a body of one chunk as that chunk, not a copy of it', async () => {
    const chunk = new Uint8Array([7, 8, 9]);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const result = await readCappedBody(stream, 10, deadlineOf(new Later<unknown>()));
    expect(result.ok && result.bytes).toBe(chunk);
  });

  it('accepts a body of exactly the cap', async () => {
    const deadline = startDeadline(1_000);
    const result = await readCappedBody(chunks([4, 4]).stream, 8, deadline);
    deadline.clear();
    expect(result.ok && result.bytes.byteLength).toBe(8);
  });

  it('returns an empty body for a null stream', async () => {
    const deadline = startDeadline(1_000);
    const result = await readCappedBody(null, 8, deadline);
    deadline.clear();
    expect(result).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });

  it('stops at one byte over the cap and cancels the stream', async () => {
    const probe = chunks([4, 5, 100]);
    const deadline = startDeadline(1_000);
    const result = await readCappedBody(probe.stream, 8, deadline);
    deadline.clear();
    expect(result).toMatchObject({ ok: false, reason: 'too-large' });
    await expect.poll(probe.cancelled).toBe(true);
  });

  it('gives up at the deadline on a stalled stream and cancels it', async () => {
    const probe = chunks([1], 'stall');
    const deadline = startDeadline(30);
    const started = performance.now();
    const result = await readCappedBody(probe.stream, 8, deadline);
    deadline.clear();
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect.poll(probe.cancelled).toBe(true);
  });

  it.each([
    { name: 'stops once its framed length is in, without the read for the end', length: 5, result: { ok: true, bytes: new Uint8Array([1, 1, 2, 2, 2]) } },
    { name: 'waits for the end (here, the deadline) when the body stops short of its framed length', length: 6, result: { ok: false, reason: 'timeout' } },
  ])('$name', async ({ length, result }) => {
    const deadline = startDeadline(50);
    const read = await readCappedBody(chunks([2, 3], 'stall').stream, 10, deadline, (body) => body, length);
    deadline.clear();
    expect(read).toMatchObject(result);
  });

  it('returns an error when the stream errors mid-body', async () => {
    const deadline = startDeadline(1_000);
    const result = await readCappedBody(chunks([1], 'error').stream, 8, deadline);
    deadline.clear();
    expect(result).toMatchObject({ ok: false, reason: 'error' });
  });

  it('times out at once when the deadline has already passed', async () => {
    const deadline = startDeadline(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deadline.expired).toBe(true);
    const result = await readCappedBody(chunks([1]).stream, 8, deadline);
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('rejects (never throws) for a body that is already being read, like an async function would', async () => {
    const { stream } = chunks([1]);
    stream.getReader();
    const deadline = startDeadline(1_000);
    let thrown: unknown = null;
    let pending: Promise<unknown> | null = null;
    try {
      pending = readCappedBody(stream, 8, deadline);
    } catch (error) {
      thrown = error;
    }
    deadline.clear();
    expect(thrown).toBeNull();
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});

describe('readCappedBody under a deadline its owner times (deadlineOf)', () => {
  it('returns the body when the owner settles nothing before the read ends', async () => {
    const result = await readCappedBody(chunks([2, 3]).stream, 10, deadlineOf(new Later<unknown>()));
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([1, 1, 2, 2, 2]) });
  });

  it('gives up and cancels a stalled stream once the owner times it out', async () => {
    const probe = chunks([1], 'stall');
    const owner = new Later<unknown>();
    const reading = readCappedBody(probe.stream, 8, deadlineOf(owner));
    setTimeout(() => owner.set(TIMED_OUT), 20);
    expect(await reading).toMatchObject({ ok: false, reason: 'timeout' });
    expect(probe.cancelled()).toBe(true);
  });

  it('is not spent when the owner is set to a result rather than a timeout', async () => {
    const owner = new Later<unknown>();
    owner.set('answered');
    const deadline = deadlineOf(owner);
    expect(deadline.expired).toBe(false);
    expect(await readCappedBody(chunks([1]).stream, 8, deadline)).toMatchObject({ ok: true });
  });

  it('times out at once, cancelling the stream, when the owner has already timed out', async () => {
    const probe = chunks([1]);
    const owner = new Later<unknown>();
    owner.set(TIMED_OUT);
    expect(await readCappedBody(probe.stream, 8, deadlineOf(owner))).toMatchObject({ ok: false, reason: 'timeout' });
    await expect.poll(probe.cancelled).toBe(true);
  });
});

describe('rejected', () => {
  it.each([
    { name: 'an Error as it is', error: new RangeError('out of range'), expected: RangeError },
    { name: 'anything else wrapped in an Error', error: 'text', expected: Error },
  ])('rejects with $name', async ({ error, expected }) => {
    await expect(rejected(error)).rejects.toBeInstanceOf(expected);
    await expect(rejected(error)).rejects.toThrow(error instanceof Error ? error.message : error);
  });
});
