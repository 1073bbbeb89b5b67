/**
 * A stale template's background revalidation, recorded in the templates breaker like a miss: a
 * hanging origin trips the breaker whatever request found it. The breaker lets the revalidation
 * through in the port's gate (template-fetch.ts), but its answer is not the call's (a stale copy
 * answered it), so the host tells the gate what the origin did (`OriginGate.originAnswered` /
 * `originFailed`): on Compute the HTTP cache's `afterSend` hook, on the Node host the readthrough's
 * origin fetch; a stale-if-error copy carries its origin request's failure (platform-cache-state.ts).
 * On Compute a background revalidation that fails reaches no hook at all, so one that has not
 * answered by the deadline counts as a timeout (a refused connection too: nothing tells them apart).
 *
 * Seen on the Wasm host (js-compute 3.46.0): the HTTP cache calls `beforeSend` inside `fetch`
 * itself, so the gate is asked before the call answers, but the breaker's read (an entry with a
 * body to read) may settle after the response has gone and the event is inactive, when
 * `waitUntil` throws and the instance ends with the origin request. So the record's work is kept
 * when the stale copy answers (the event is active then), and settled once the admission is in.
 * That kept work is also what lets such a late revalidation be the half-open probe (template-fetch.ts
 * `claims`): a half-open breaker's entry has a body to read, so there its read is late, and without
 * that a site answered only from stale copies would send no probe until they or the entry expired.
 */
import type { Deps, RequestContext } from '../ports.ts';
import type { Admission, BreakerVerdict } from '../backend/circuit-breaker.ts';
import { isTimeout } from '../backend/backend-call.ts';
import { recordVerdict, TEMPLATE_BREAKER_OPTIONS } from './template-breaker.ts';

/**
 * How long a revalidation may go unanswered before it counts as a timeout: the probe lease, which
 * outlasts the origin's first-byte timeout, so an answer the foreground would have waited for is
 * never counted a failure here.
 */
export const REVALIDATION_DEADLINE_MS = TEMPLATE_BREAKER_OPTIONS.probeLeaseMs;

type Hear = (verdict: BreakerVerdict) => void;
type Keeps = Pick<RequestContext, 'waitUntil'>;

/**
 * What the host told of the origin's answer, as a template call's base (no object of its own per
 * fetch): kept until the call knows whether the request let through was a revalidation.
 */
export class HearsOrigin {
  /** The verdict told so far; once the call records a revalidation, where the verdict goes. */
  private heard: BreakerVerdict | Hear | null = null;
  /** Ends the work kept for a revalidation whose admission is still to come. */
  private kept: (() => void) | null = null;

  /** The origin answered: a success under 500; a 5xx says nothing of a hang, as for a miss. */
  originAnswered(status: number): void {
    this.hear(status < 500 ? 'success' : 'neutral');
  }

  /** The origin request failed: only a timeout cost the wait (a refused connection comes back fast). */
  originFailed(error: unknown): void {
    this.hear(isTimeout(error) ? 'failure' : 'neutral');
  }

  /**
   * A stale copy answered the call and the gate was asked for its revalidation: recorded now if
   * the breaker let it through (`admission`), else kept now, while the event is active, until it does.
   */
  protected staleAnswered(at: { deps: Pick<Deps, 'cache'>; context: Keeps }, admission: Admission | null): void {
    if (admission !== null) this.revalidates(at, admission);
    else if (!keep(at.context, new Promise<void>((resolve) => (this.kept = resolve)))) this.kept = null;
  }

  /** Whether a revalidation's record is kept, waiting for its admission (the half-open probe may be it). */
  protected keepsRevalidation(): boolean {
    return this.kept !== null;
  }

  /** The revalidation was refused: nothing to record, the kept work ends. */
  protected refusedRevalidation(): void {
    this.kept?.();
    this.kept = null;
  }

  /** Records the revalidation `admission` let through, once: its verdict, or a timeout at the deadline. */
  protected revalidates(at: { deps: Pick<Deps, 'cache'>; context: Keeps }, admission: Admission): void {
    const { heard, kept } = this;
    if (typeof heard === 'function') return;
    const verdict = heard !== null ? Promise.resolve(heard) : new Promise<BreakerVerdict>((resolve) => this.listen(resolve));
    const recording = verdict.then((found) => recordVerdict(at.deps.cache, admission, found));
    this.kept = null;
    if (kept !== null) void recording.then(kept);
    else keep(at.context, recording);
  }

  private hear(verdict: BreakerVerdict): void {
    if (typeof this.heard === 'function') this.heard(verdict);
    else this.heard ??= verdict;
  }

  private listen(resolve: Hear): void {
    const deadline = setTimeout(() => resolve('failure'), REVALIDATION_DEADLINE_MS);
    this.heard = (verdict) => {
      clearTimeout(deadline);
      resolve(verdict);
    };
  }
}

/** `waitUntil`, which js-compute throws from once the event is inactive: the work then runs unkept (false). */
function keep(context: Keeps, work: Promise<void>): boolean {
  try {
    context.waitUntil(work);
    return true;
  } catch {
    // Nothing can keep it alive now, and the caller must not break.
    return false;
  }
}
