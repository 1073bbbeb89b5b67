/**
 * A backend's answer once its headers are in: the response, and its body read under a byte cap
 * and what is left of the call's deadline, or cancelled when nobody reads it so the connection is
 * released. backend-call.ts sends the request and classifies a failure; this is the step after.
 */
import type { CacheState } from '../ports.ts';
import type { Deadline } from './deadline.ts';
import { readCappedBody, type CappedBody } from './read-capped-body.ts';

export interface BackendAnswer {
  ok: true;
  response: Response;
  cache: CacheState;
  /** Time until the response headers arrived. */
  ms: number;
  /** Reads the body (or a decoded view of it) under the byte cap and what is left of the deadline. */
  read(maxBytes: number, body?: ReadableStream<Uint8Array> | null): Promise<CappedBody>;
  /** Cancels the unread body and returns `result`, for one-line early exits. */
  discard<T>(result: T): T;
}

export function backendAnswer(response: Response, cache: CacheState, ms: number, deadline: Deadline): BackendAnswer {
  return {
    ok: true,
    response,
    cache,
    ms,
    read(maxBytes, body = response.body) {
      // `then` with both handlers rather than an async `finally`: two promises fewer in the guest.
      const clear = <T>(value: T): T => {
        deadline.clear();
        return value;
      };
      return readCappedBody(body, maxBytes, deadline).then(clear, (error: unknown) => {
        deadline.clear();
        throw error;
      });
    },
    discard(result) {
      deadline.clear();
      discardBody(response);
      return result;
    },
  };
}

/** Cancels without waiting: a stalled origin must not delay the answer we already have. */
export function discardBody(response: Response): void {
  void response.body?.cancel().catch(() => undefined);
}
