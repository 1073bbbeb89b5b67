/**
 * One call to the `profiles` backend under a deadline covering headers and the whole body
 * (backend-call.ts), classified into a lookup outcome: `hit` with the parsed profile, `unknown`
 * for a 404, or a failure with its detail. It never throws and never asks the readthrough cache.
 */
import type { Deps } from '../ports.ts';
import { callBackend } from '../backend/backend-call.ts';
import type { ProfileFound } from './profile-lookup.ts';
import { parseProfile } from './profile-parse.ts';

/** `application/json` or any `application/*+json` (RFC 6839 §3.1), parameters ignored. */
const JSON_TYPE = /^\s*application\/(?:[^;]*\+)?json\s*(?:;|$)/i;

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

export async function fetchProfile(id: string, deps: Pick<Deps, 'fetchBackend' | 'now'>, options: StoreCallOptions): Promise<ProfileFound> {
  const request = profileRequest(id);
  const call = await callBackend(deps, { backend: 'profiles', request, pass: true, timeoutMs: options.timeoutMs });
  if (!call.ok) return { outcome: call.reason === 'timeout' ? 'timeout' : 'error', profile: null, reason: call.detail };
  const { response } = call;
  const declared = Number(response.headers.get('content-length') ?? '0');
  // Refused on the head alone, before reading the body: the body is cancelled.
  const refused: ProfileFound | null =
    response.status === 404 ? { outcome: 'unknown', profile: null, reason: null }
    : response.status !== 200 ? { outcome: 'error', profile: null, reason: `status ${response.status}` }
    : !JSON_TYPE.test(response.headers.get('content-type') ?? '') ? { outcome: 'invalid', profile: null, reason: 'content type is not JSON' }
    : declared > options.maxBytes ? { outcome: 'too-large', profile: null, reason: `content-length over ${options.maxBytes} bytes` }
    : null;
  if (refused !== null) return call.discard(refused);
  const body = await call.read(options.maxBytes);
  if (!body.ok) return { outcome: body.reason, profile: null, reason: body.detail };
  let json: unknown;
  try {
    // Compute's TextDecoder has no `fatal` option: bad UTF-8 becomes U+FFFD, which is harmless data.
    json = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    return { outcome: 'invalid', profile: null, reason: 'body is not JSON' };
  }
  const parsed = parseProfile(json, id);
  return parsed.ok ? { outcome: 'hit', profile: parsed.profile, reason: null } : { outcome: 'invalid', profile: null, reason: parsed.reason };
}
