/**
 * One call to the `profiles` backend (DESIGN §5.1) under a deadline covering headers and the whole
 * body, classified into a result value. It never throws and never asks the readthrough cache.
 */
import type { Deps } from '../ports.ts';
import { startDeadline, TIMED_OUT } from './deadline.ts';
import type { Deadline } from './deadline.ts';
import type { Profile } from './profile.ts';
import { parseProfile } from './profile-parse.ts';
import { readCappedBody } from './read-capped-body.ts';

export type StoreFailure = 'timeout' | 'error' | 'invalid' | 'too-large';

export type StoreResult = { kind: 'hit'; profile: Profile } | { kind: 'unknown' } | { kind: StoreFailure; reason: string };

export interface StoreCallOptions {
  timeoutMs: number;
  maxBytes: number;
}

/** The backend's `override_host` decides the Host header; this host name is never resolved. */
export const PROFILE_STORE_ORIGIN = 'http://profiles.internal';

/** `GET /profiles/{id}` with only `Accept`: no cookies and nothing copied from the client. */
export function profileRequest(id: string): Request {
  return new Request(`${PROFILE_STORE_ORIGIN}/profiles/${encodeURIComponent(id)}`, {
    method: 'GET',
    headers: { accept: 'application/json' },
  });
}

export async function fetchProfile(id: string, fetchBackend: Deps['fetchBackend'], options: StoreCallOptions): Promise<StoreResult> {
  const deadline = startDeadline(options.timeoutMs);
  try {
    const sent = fetchBackend('profiles', profileRequest(id), { pass: true });
    const answer = await deadline.race(sent);
    if (answer === TIMED_OUT) {
      // The fetch cannot be aborted on Compute; drop its body whenever it turns up.
      void sent.then(({ response }) => discard(response, undefined), () => undefined);
      return { kind: 'timeout', reason: 'no response within the deadline' };
    }
    return await classify(answer.response, id, options.maxBytes, deadline);
  } catch (error) {
    return rejected(error);
  } finally {
    deadline.clear();
  }
}

async function classify(response: Response, id: string, maxBytes: number, deadline: Deadline): Promise<StoreResult> {
  if (response.status === 404) return discard(response, { kind: 'unknown' });
  if (response.status !== 200) return discard(response, { kind: 'error', reason: `status ${response.status}` });
  if (!isJson(response.headers.get('content-type'))) return discard(response, { kind: 'invalid', reason: 'content type is not JSON' });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return discard(response, { kind: 'too-large', reason: `content-length over ${maxBytes} bytes` });
  const body = await readCappedBody(response.body, maxBytes, deadline);
  if (!body.ok) return { kind: body.reason, reason: body.detail };
  let json: unknown;
  try {
    // Compute's TextDecoder has no `fatal` option: bad UTF-8 becomes U+FFFD, which is harmless data.
    json = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    return { kind: 'invalid', reason: 'body is not JSON' };
  }
  const parsed = parseProfile(json, id);
  return parsed.ok ? { kind: 'hit', profile: parsed.profile } : { kind: 'invalid', reason: parsed.reason };
}

/** `application/json` or any `application/*+json` (RFC 6839 §3.1), parameters ignored. */
function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * A rejected fetch is a network failure, except the backend's own connect or first-byte timeout,
 * which Compute reports as a rejection whose message names the timeout (js-compute-runtime #1209).
 */
function rejected(error: unknown): StoreResult {
  const message = error instanceof Error ? error.message : '';
  if (/timeout|timed out/i.test(message)) return { kind: 'timeout', reason: 'backend timeout' };
  return { kind: 'error', reason: 'network error' };
}

function discard<T>(response: Response, result: T): T {
  void response.body?.cancel().catch(() => undefined);
  return result;
}
