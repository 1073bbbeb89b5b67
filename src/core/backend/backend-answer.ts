/**
 * A backend's answer once its headers are in: the response, and its body read under a byte cap
 * and what is left of the call's deadline, or cancelled when nobody reads it so the connection is
 * released. backend-call.ts sends the request and classifies a failure; this is the step after.
 */
import type { CacheState } from '../ports.ts';
import type { Deadline } from './deadline.ts';
import { readCappedBody, type CappedBody } from './read-capped-body.ts';
import { declaredLength, readHeldBody, readsWhole } from './read-held-body.ts';

export interface BackendAnswer {
  ok: true;
  response: Response;
  cache: CacheState;
  /** Time until the response headers arrived. */
  ms: number;
  /**
   * Reads the body (or a decoded view of it) under the byte cap and what is left of the deadline;
   * `then` maps the result in the read's own reaction (see readCappedBody).
   */
  read(maxBytes: number, body?: ReadableStream<Uint8Array> | null): Promise<CappedBody>;
  /**
   * `framed`: `body` is the response's own, unencoded body, so its `Content-Length` (when valid)
   * says where it ends and the read stops there (readCappedBody).
   */
  read<T>(maxBytes: number, body: ReadableStream<Uint8Array> | null | undefined, then: (body: CappedBody) => T, framed?: boolean): Promise<T>;
  /**
   * The body read whole in one native call when the edge already holds it (a cache hit or a stale
   * copy, on the platform's word: not a hit inferred from `Age`), unencoded and of a declared length
   * within `maxBytes` (read-held-body.ts); null for any other body, which `read` streams. Ask before
   * anything touches `response.body`.
   */
  readHeld<T>(maxBytes: number, then: (body: CappedBody) => T): Promise<T> | null;
  /** Cancels the unread body and returns `result`, for one-line early exits. */
  discard<T>(result: T): T;
}

/** `inferred`: the hit is only told by `Age` (BackendResponse), so its body is streamed, never read whole. */
export function backendAnswer(response: Response, cache: CacheState, ms: number, deadline: Deadline, inferred = false): BackendAnswer {
  return new Answer(response, cache, ms, deadline, inferred);
}

/** A class, so an answer's methods are made once, not three closures per backend call. */
class Answer implements BackendAnswer {
  readonly ok = true as const;

  constructor(
    readonly response: Response,
    readonly cache: CacheState,
    readonly ms: number,
    private readonly deadline: Deadline,
    private readonly inferred: boolean,
  ) {}

  read(maxBytes: number, body?: ReadableStream<Uint8Array> | null): Promise<CappedBody>;
  read<T>(maxBytes: number, body: ReadableStream<Uint8Array> | null | undefined, then: (body: CappedBody) => T, framed?: boolean): Promise<T>;
  read<T>(maxBytes: number, body: ReadableStream<Uint8Array> | null = this.response.body, then?: (body: CappedBody) => T, framed = false): Promise<T | CappedBody> {
    // readCappedBody clears the deadline once the body is settled, in the reaction its race needs anyway.
    if (then === undefined) return readCappedBody(body, maxBytes, this.deadline);
    return readCappedBody(body, maxBytes, this.deadline, then, framed ? declaredLength(this.response.headers) : null);
  }

  readHeld<T>(maxBytes: number, then: (body: CappedBody) => T): Promise<T> | null {
    const { response } = this;
    // A whole read cannot be cancelled: a body that may still be arriving is streamed, so the deadline cancels it.
    if (this.inferred || !readsWhole(this.cache, response.headers, maxBytes)) return null;
    return readHeldBody(response, maxBytes, this.deadline, then);
  }

  discard<T>(result: T): T {
    this.deadline.clear();
    discardBody(this.response);
    return result;
  }
}

/** Cancels without waiting: a stalled origin must not delay the answer we already have. */
export function discardBody(response: Response): void {
  void response.body?.cancel().catch(() => undefined);
}
