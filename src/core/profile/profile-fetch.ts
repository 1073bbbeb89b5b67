/**
 * One call to the `profiles` backend under a deadline covering headers and the whole body
 * (backend-call.ts), classified into a result value. It never throws and never asks the
 * readthrough cache.
 */
import type { Deps } from '../ports.ts';
import { callBackend, type BackendAnswer } from '../backend/backend-call.ts';
import type { Profile } from './profile.ts';
import { parseProfile } from './profile-parse.ts';

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

export async function fetchProfile(id: string, deps: Pick<Deps, 'fetchBackend' | 'now'>, options: StoreCallOptions): Promise<StoreResult> {
  const call = await callBackend(deps, { backend: 'profiles', request: profileRequest(id), pass: true, timeoutMs: options.timeoutMs });
  if (!call.ok) return { kind: call.reason === 'timeout' ? 'timeout' : 'error', reason: call.detail };
  return classify(call, id, options.maxBytes);
}

async function classify(call: BackendAnswer, id: string, maxBytes: number): Promise<StoreResult> {
  const { response } = call;
  if (response.status === 404) return call.discard({ kind: 'unknown' });
  if (response.status !== 200) return call.discard({ kind: 'error', reason: `status ${response.status}` });
  if (!isJson(response.headers.get('content-type'))) return call.discard({ kind: 'invalid', reason: 'content type is not JSON' });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return call.discard({ kind: 'too-large', reason: `content-length over ${maxBytes} bytes` });
  const body = await call.read(maxBytes);
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
