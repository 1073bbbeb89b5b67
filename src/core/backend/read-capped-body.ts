/**
 * Reads a response body into bytes under a size cap and a deadline, chunk by chunk, so neither a
 * huge body nor a slow drip can hold the request: at the cap or the deadline the stream is cancelled.
 * Once the read has settled the deadline's timer is cleared here, in the reaction the race needs
 * anyway: a caller's own `then` to clear it cost one more promise (~10 µs in the Wasm guest) per body.
 */
import type { Deadline } from './deadline.ts';
import { NO_DEADLINE, TIMED_OUT } from './deadline.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { rejected } from './rejected.ts';

export type CappedBody =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too-large' | 'timeout' | 'error'; detail: string };

/** Shared: results are only ever read. */
export const BODY_DEADLINE: CappedBody = { ok: false, reason: 'timeout', detail: 'body deadline' };

/**
 * `then` (optional) maps the result inside the reaction that settles it, so a caller that only
 * transforms the body needs no `then` of its own: one promise less per body in the guest.
 */
export function readCappedBody(body: ReadableStream<Uint8Array> | null, maxBytes: number, deadline: Deadline): Promise<CappedBody>;
export function readCappedBody<T>(body: ReadableStream<Uint8Array> | null, maxBytes: number, deadline: Deadline, then: (body: CappedBody) => T, length?: number | null): Promise<T>;
export function readCappedBody<T>(body: ReadableStream<Uint8Array> | null, maxBytes: number, deadline: Deadline, then?: (body: CappedBody) => T, length: number | null = null): Promise<T | CappedBody> {
  const map: (body: CappedBody) => T | CappedBody = then ?? same;
  if (body === null) {
    deadline.clear();
    return Promise.resolve(map({ ok: true, bytes: new Uint8Array(0) }));
  }
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch (error) {
    deadline.clear();
    return rejected(error);
  }
  // One race for the whole body rather than one per chunk, and no `async` layer: in the Wasm guest
  // every promise costs about 10 µs (the runtime timestamps each one), and a race makes two more per read.
  // Without a race, `map` runs inside the read's own promise rather than in a `then` of it.
  if (deadline === NO_DEADLINE) return readAll(reader, maxBytes, length, map);
  if (deadline.watch !== undefined) return watched(reader, maxBytes, length, deadline, map);
  const reading = readAll(reader, maxBytes, length, same);
  // At the deadline the read in flight is cancelled; readAll then ends on its own, unobserved.
  return deadline.race(reading).then(
    (result) => {
      deadline.clear();
      return map(result === TIMED_OUT ? giveUp(reader, BODY_DEADLINE) : result);
    },
    (error: unknown) => {
      deadline.clear();
      throw error;
    },
  );
}

/**
 * Under a deadline its owner's timer runs: no race (a promise and two reactions in the guest), the
 * read in flight is cancelled when the deadline is spent, and a read that ends after it is a timeout.
 */
function watched<T>(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number, length: number | null, deadline: Deadline, map: (body: CappedBody) => T | CappedBody): Promise<T | CappedBody> {
  if (deadline.expired) return Promise.resolve(map(giveUp(reader, BODY_DEADLINE)));
  deadline.watch?.(() => giveUp(reader, BODY_DEADLINE));
  return readAll(reader, maxBytes, length, (result) => map(deadline.expired ? BODY_DEADLINE : result));
}

function same(body: CappedBody): CappedBody {
  return body;
}

/**
 * `finish` maps the result inside this function's own promise. `length` is the body's framed length (`Content-Length` of an unencoded body) when known: once
 * that many bytes are in, the read that would only say "done" is skipped. In the Wasm guest each
 * read is an `async_io.select`, a body read and a promise (~70–100 µs), and a small fragment
 * otherwise takes two reads, one of them for the end. A body that stops short still ends the usual way.
 */
async function readAll<T>(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number, length: number | null, finish: (body: CappedBody) => T): Promise<T> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      total += step.value.byteLength;
      if (total > maxBytes) return finish(giveUp(reader, { ok: false, reason: 'too-large', detail: `body over ${maxBytes} bytes` }));
      chunks.push(step.value);
      if (total === length) break;
    }
  } catch {
    return finish(giveUp(reader, { ok: false, reason: 'error', detail: 'body read failed' }));
  }
  // A body of one chunk (a small fragment's, framed) is that chunk: no copy of it.
  return finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : concatBytes(chunks, total) });
}

/** Cancels without waiting: a stalled origin must not delay the answer we already have. */
function giveUp(reader: ReadableStreamDefaultReader<Uint8Array>, result: CappedBody): CappedBody {
  void reader.cancel().catch(() => undefined);
  return result;
}
