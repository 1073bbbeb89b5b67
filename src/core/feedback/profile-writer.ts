/**
 * Sends events to the `profiles` backend's write path under a short deadline, once (a failed write
 * is counted by the caller, never retried), then drops this POP's cached copy of the visitor's
 * profile so their next page reads the updated one. Runs from `waitUntil`: nothing here ever
 * delays a response. Never throws.
 */
import type { Deps, EdgeGet } from '../ports.ts';
import { startDeadline, TIMED_OUT } from '../backend/deadline.ts';
import { PROFILE_STORE_ORIGIN } from '../profile/profile-fetch.ts';
import { profileCacheKey } from '../profile/profile-cache.ts';
import type { ProfileEvent } from './profile-event.ts';

export type ProfileWriteOutcome = 'ok' | 'timeout' | 'error';

/** What the clickstream event reports as `profileWrite`. */
export interface ProfileWriteReport {
  outcome: ProfileWriteOutcome;
  ms: number;
}

export interface ProfileWrite {
  visitorId: string;
  /** Pseudonym of the visitor, which keys their edge profile entry; null → nothing cached to drop. */
  cacheId: string | null;
  events: ProfileEvent[];
  /** Drop the cached profile after a successful write (clicks); page views leave it to its TTL. */
  dropCached: boolean;
}

/** Short: the write runs after the response, but Compute bounds how long `waitUntil` work may run. */
export const PROFILE_WRITE_TIMEOUT_MS = 500;

export async function writeProfileEvents(write: ProfileWrite, deps: Pick<Deps, 'fetchBackend' | 'cache' | 'now'>, timeoutMs = PROFILE_WRITE_TIMEOUT_MS): Promise<ProfileWriteReport> {
  const started = deps.now();
  const report = (outcome: ProfileWriteOutcome): ProfileWriteReport => ({ outcome, ms: Math.round(Math.max(0, deps.now() - started) * 10) / 10 });
  const deadline = startDeadline(timeoutMs);
  try {
    // Plain data, not a `Request`: `fetch` builds the one request it sends (ports.ts `EdgeGet`).
    const request: EdgeGet = {
      url: `${PROFILE_STORE_ORIGIN}/profiles/${encodeURIComponent(write.visitorId)}/events`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(write.events),
    };
    const sent = deps.fetchBackend('profiles', request, { pass: true });
    const answer = await deadline.race(sent);
    if (answer === TIMED_OUT) {
      void sent.then(({ response }) => response.body?.cancel(), () => undefined);
      return report('timeout');
    }
    await answer.response.body?.cancel().catch(() => undefined);
    if (answer.response.status !== 202 && answer.response.status !== 200) return report('error');
    const key = write.dropCached && write.cacheId !== null ? profileCacheKey(write.cacheId) : null;
    if (key !== null) await deps.cache.purgeSurrogateKey(key).catch(() => undefined);
    return report('ok');
  } catch {
    return report('error');
  } finally {
    deadline.clear();
  }
}
