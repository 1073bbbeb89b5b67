/**
 * A body the edge already holds (a cache hit or a stale copy: nothing of it can stall), unencoded and of a declared
 * length within the cap, read in one native call (`Response.arrayBuffer()`) rather than chunk by chunk. Inside the
 * Wasm guest a streamed body costs a stream object, a reader, and an `async_io.select`, a host read and promises per
 * chunk, while the runtime reads a held body whole without them (template-source.ts reads a cached template so).
 */
import type { CacheState } from '../ports.ts';
import type { HeaderReader } from '../http/header-reader.ts';
import { NO_DEADLINE, TIMED_OUT, type Deadline } from './deadline.ts';
import { BODY_DEADLINE, type CappedBody } from './read-capped-body.ts';

/**
 * Whether a body may be read whole: the edge holds it (`HIT` or `STALE`), it is not encoded (no
 * `Content-Encoding`, or `identity`), and it declares a plain decimal `Content-Length` within
 * `maxBytes` (RFC 9110 §8.6). The one rule for templates (template-source.ts) and fragments
 * (backend-answer.ts).
 */
export function readsWhole(cache: CacheState, headers: Pick<HeaderReader, 'get'>, maxBytes: number): boolean {
  if (cache !== 'HIT' && cache !== 'STALE') return false;
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return false;
  const length = declaredLength(headers);
  return length !== null && length <= maxBytes;
}

/** A response's `Content-Length` as a byte count; null when absent or not a plain decimal (RFC 9110 §8.6). */
export function declaredLength(headers: Pick<HeaderReader, 'get'>): number | null {
  const raw = headers.get('content-length');
  return raw !== null && DECIMAL.test(raw) ? Number(raw) : null;
}

const DECIMAL = /^\d{1,15}$/;

/** Shared: results are only ever read. */
const READ_FAILED: CappedBody = { ok: false, reason: 'error', detail: 'body read failed' };

/**
 * `then` maps the result in the read's own reaction under no deadline of our own or one its owner's timer watches
 * (readCappedBody's `watched`); a deadline of the call's own is raced. Nothing is cancelled at the deadline (a whole
 * read cannot be): a held body holds no connection. So a hit only inferred from `Age` (a host without the HTTP cache
 * API, where an origin that sends its own `Age` looks like a hit while still sending) never comes here
 * (BackendAnswer.readHeld streams it, and the deadline cancels a stalled one). A body another reader holds makes
 * the read reject, which is a failed read here.
 */
export function readHeldBody<T>(response: Response, maxBytes: number, deadline: Deadline, then: (body: CappedBody) => T): Promise<T> {
  if (deadline.expired) {
    deadline.clear();
    return Promise.resolve(then(BODY_DEADLINE));
  }
  if (deadline === NO_DEADLINE || deadline.watch !== undefined) {
    return response.arrayBuffer().then(
      (buffer) => then(deadline.expired ? BODY_DEADLINE : heldBody(buffer, maxBytes)),
      () => then(READ_FAILED),
    );
  }
  const reading = response.arrayBuffer().then((buffer) => heldBody(buffer, maxBytes), (): CappedBody => READ_FAILED);
  return deadline.race(reading).then((result) => {
    deadline.clear();
    return then(result === TIMED_OUT ? BODY_DEADLINE : result);
  });
}

/** The bytes, unless more arrived than the cap (the declared length was checked; this holds the cap whatever it said). */
function heldBody(buffer: ArrayBuffer, maxBytes: number): CappedBody {
  if (buffer.byteLength > maxBytes) return { ok: false, reason: 'too-large', detail: `body over ${maxBytes} bytes` };
  return { ok: true, bytes: new Uint8Array(buffer) };
}
