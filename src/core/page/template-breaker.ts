/**
 * The template origin's circuit breaker: the shared per-backend breaker (circuit-breaker.ts) tuned
 * for a backend that has a last good copy to fall back on.
 *
 * Only a call that cost the wait counts as a failure (a connect or first-byte timeout): a 5xx or a
 * refused connection comes back fast, so a page with no last good copy still recovers the moment
 * the origin does, and one broken template URL must not open the breaker for every page. One failure
 * opens it, because that failure has already cost a request the full first-byte timeout (2 s in
 * fastly.toml) and, while open, a page with a last good copy is served from it at once; only a
 * page never seen before fails fast. The cool-down is short so such pages come back soon: after
 * it, the next request that would ask the origin serves what it can at once and probes the origin
 * in the background, one probe at a time (the probe lease outlasts the first-byte timeout), and the
 * probe's answer closes or re-opens the breaker. The breaker is read only where the origin would
 * be asked, a readthrough miss (template-fetch.ts): a template the edge holds answers without it.
 */
import type { Deps, EdgeCache, EdgeGet } from '../ports.ts';
import type { BackendCall } from '../backend/backend-call.ts';
import { admitTo, breakerKey, NOTHING_TO_RECORD, record, type Admission, type Admitted, type BreakerOptions, type BreakerVerdict } from '../backend/circuit-breaker.ts';
import { callBackend } from '../backend/backend-call.ts';
import { discardBody } from '../backend/backend-answer.ts';

export const TEMPLATE_BREAKER_OPTIONS: BreakerOptions = Object.freeze({
  failureThreshold: 1,
  failureWindowMs: 30_000,
  cooldownMs: 2_000,
  probeLeaseMs: 10_000,
});

export const TEMPLATES_BREAKER_KEY = breakerKey('templates');

/** The admission handed to `to` in the breaker read's own reaction (circuit-breaker.ts `admitTo`). */
export function admitTemplateTo(cache: EdgeCache, to: Admitted): Promise<void> {
  return admitTo(cache, TEMPLATES_BREAKER_KEY, TEMPLATE_BREAKER_OPTIONS, to);
}

/** Folds one template call into the breaker; meant for `waitUntil`. Never rejects. */
export function recordTemplateCall(cache: EdgeCache, admission: Admission, call: BackendCall): Promise<void> {
  return recordVerdict(cache, admission, verdictOf(call));
}

/** Folds one verdict into the breaker (a background revalidation's: template-revalidation.ts). Never rejects. */
export function recordVerdict(cache: EdgeCache, admission: Admission, verdict: BreakerVerdict): Promise<void> {
  const recording = record(cache, TEMPLATES_BREAKER_KEY, TEMPLATE_BREAKER_OPTIONS, admission, verdict);
  // Nothing to write (the common case) settles as it is: no `catch` promise (~10 µs in the Wasm guest).
  return recording === NOTHING_TO_RECORD ? recording : recording.catch(() => undefined);
}

/**
 * The half-open probe, after the request that claimed it was answered; meant for `waitUntil`. It
 * passes the readthrough cache: a miss that found the probe in flight would otherwise wait on it (the
 * readthrough collapses concurrent misses) instead of reading the breaker and answering at once.
 */
export async function probeTemplateOrigin(deps: Deps, admission: Admission, request: EdgeGet): Promise<void> {
  const call = await callBackend(deps, { backend: 'templates', request, pass: true, timeoutMs: null });
  if (call.ok) discardBody(call.response);
  await recordTemplateCall(deps.cache, admission, call);
}

function verdictOf(call: BackendCall): BreakerVerdict {
  if (!call.ok) return call.reason === 'timeout' ? 'failure' : 'neutral';
  return call.response.status < 500 ? 'success' : 'neutral';
}
