/**
 * One call to a named backend, the way every backend call of the edge is made: under a deadline
 * that covers the headers and, when the caller reads it, the whole body (Compute has no
 * AbortSignal on fetch, js-compute-runtime #1289, so each step races a timer); with the body read
 * under a byte cap; a rejection classified as a timeout or a network failure; and a body nobody
 * reads cancelled so the connection is released (the answer and its body: backend-answer.ts).
 * Failure is a value; it never throws. The profile, template and fragment fetches are
 * classifiers on top of it.
 */
import type { BackendFetchOptions, BackendName, BackendResponse, BackendSettle, CacheState, Deps, EdgeGet } from '../ports.ts';
import { NO_DEADLINE, startDeadline, TIMED_OUT, type Deadline } from './deadline.ts';
import { backendAnswer, discardBody, type BackendAnswer } from './backend-answer.ts';

export type { BackendAnswer } from './backend-answer.ts';

export interface BackendRequest extends BackendFetchOptions {
  backend: BackendName;
  request: Request | EdgeGet;
  /** Budget for the headers and any body read through `read`; null leaves it to the backend's own timeouts. */
  timeoutMs: number | null;
  /** A deadline the caller's own timer already runs (deadlineOf), used instead of arming one for `timeoutMs`. */
  deadline?: Deadline;
}

export type BackendFailure = 'timeout' | 'network';

export interface BackendCallFailed {
  ok: false;
  reason: BackendFailure;
  /** Whose timeout fired, or that the network failed: for logs and lookups, never for the client. */
  detail: 'no response within the deadline' | 'backend timeout' | 'network error';
  ms: number;
}

export type BackendCall = BackendAnswer | BackendCallFailed;

/**
 * Written with `then`, not async/await: a page makes several calls, and in the Wasm guest each async frame and await
 * costs ~10 µs. `next` (optional) maps the outcome, with `context`, inside the reaction that settles it, so a caller
 * that goes on from the answer needs no `then`, `async` layer or closure of its own. It must not throw.
 */
export function callBackend(deps: Pick<Deps, 'fetchBackend' | 'now'>, call: BackendRequest): Promise<BackendCall>;
export function callBackend<T, C>(deps: Pick<Deps, 'fetchBackend' | 'now'>, call: BackendRequest, next: (call: BackendCall, context: C) => T | PromiseLike<T>, context: C): Promise<T>;
export function callBackend<T, C>(deps: Pick<Deps, 'fetchBackend' | 'now'>, call: BackendRequest, next?: (call: BackendCall, context: C) => T | PromiseLike<T>, context?: C): Promise<T | BackendCall> {
  const outcome = new CallOutcome(deps, call, next, context as C);
  const { deadline } = outcome;
  const options: BackendFetchOptions = call.pass ? { pass: true } : call.cacheKey === undefined ? {} : { cacheKey: call.cacheKey };
  if (call.gate !== undefined) options.gate = call.gate;
  let sent: Promise<BackendResponse>;
  try {
    // A deadline that races nothing (none of our own, or one its owner's timer watches): the port
    // hands the outcome over in the fetch's own reaction, one promise job fewer than a `then` here.
    if (deps.fetchBackend.settling !== undefined && !deadline.expired && (deadline === NO_DEADLINE || deadline.watch !== undefined)) {
      return deps.fetchBackend.settling(call.backend, call.request, options, outcome);
    }
    sent = deps.fetchBackend(call.backend, call.request, options);
  } catch (error) {
    return Promise.resolve(outcome.failed(error));
  }
  return deadline.race(sent).then((answer) => {
    if (answer === TIMED_OUT) {
      // The fetch cannot be aborted on Compute; drop its body whenever it turns up.
      void sent.then(({ response }) => discardBody(response), () => undefined);
      return outcome.timedOut();
    }
    return outcome.answered(answer.response, answer.cache, answer.inferred);
  }, (error: unknown) => outcome.failed(error));
}

/**
 * One call's outcome, classified: a class, so a call makes one object rather than a closure per
 * step, and so the port can settle it straight from the fetch's reaction (BackendSettle).
 */
class CallOutcome<T, C> implements BackendSettle<T | BackendCall> {
  readonly started: number;
  readonly deadline: Deadline;

  constructor(
    private readonly deps: Pick<Deps, 'now'>,
    call: BackendRequest,
    private readonly next: ((call: BackendCall, context: C) => T | PromiseLike<T>) | undefined,
    private readonly context: C,
  ) {
    this.started = deps.now();
    this.deadline = call.deadline ?? (call.timeoutMs === null ? NO_DEADLINE : startDeadline(call.timeoutMs));
  }

  answered(response: Response, cache: CacheState, inferred = false): T | BackendCall | PromiseLike<T> {
    // A watched deadline does not race the headers: an answer after it is dropped the same way.
    if (this.deadline.expired) {
      discardBody(response);
      return this.timedOut();
    }
    return this.map(backendAnswer(response, cache, this.deps.now() - this.started, this.deadline, inferred));
  }

  failed(error: unknown): T | BackendCall | PromiseLike<T> {
    return this.map(this.failure(isTimeout(error) ? 'backend timeout' : 'network error'));
  }

  timedOut(): T | BackendCall | PromiseLike<T> {
    return this.map(this.failure('no response within the deadline'));
  }

  private failure(detail: BackendCallFailed['detail']): BackendCallFailed {
    this.deadline.clear();
    return { ok: false, reason: detail === 'network error' ? 'network' : 'timeout', detail, ms: this.deps.now() - this.started };
  }

  private map(outcome: BackendCall): T | BackendCall | PromiseLike<T> {
    return this.next === undefined ? outcome : this.next(outcome, this.context);
  }
}

/**
 * The backend's own connect or first-byte timeout reaches the guest as a rejection whose message
 * names the timeout (js-compute-runtime #1209); any other rejection is a network failure.
 */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout|timed out/i.test(error.message);
}
