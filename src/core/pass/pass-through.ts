/**
 * Everything that is not a personalized page view goes to the `templates` origin the way a CDN
 * passes it: any method, with the body streamed, the client's cookies and headers (hop-by-hop ones
 * removed, RFC 9110 §7.6.1). Never cached, never ESI-processed, no decision event, no profile
 * lookup; the origin's answer, `Set-Cookie` included, goes back as sent. A store's forms, cart,
 * login and API keep working behind the edge.
 */
import type { Deps } from '../ports.ts';
import type { Settings } from '../config/settings.ts';
import { errorPage } from '../http/error-page.ts';
import { EDGE_ONLY_HEADERS } from '../page/page-headers.ts';
import { isTimeout } from '../backend/backend-call.ts';
import { PROXY_HOP_BY_HOP } from '../http/hop-by-hop.ts';


/** A page view is a GET or HEAD outside `settings.passPrefixes`; anything else passes. */
export function isPassThrough(method: string, path: string, settings: Pick<Settings, 'passPrefixes'>): boolean {
  if (method !== 'GET' && method !== 'HEAD') return true;
  if (settings.passPrefixes.length === 0) return false;
  // A prefix matches the path as sent and as decoded, so `/%61pi/` cannot dodge `/api/`.
  const decoded = safeDecode(path);
  // Indexed loops here and in isStaticPath: every page request asks both, and in the Wasm guest a
  // `some` callback is an interpreted call per element.
  const prefixes = settings.passPrefixes;
  for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!) || decoded.startsWith(prefixes[i]!)) return true;
  return false;
}

export async function passThrough(request: Request, deps: Pick<Deps, 'fetchBackend'>): Promise<Response> {
  let forwarded: Request;
  try {
    forwarded = forwardable(request);
  } catch {
    return errorPage(400, 'Bad request.');
  }
  try {
    const { response } = await deps.fetchBackend('templates', forwarded, { pass: true });
    const headers = withoutHopByHop(response.headers, 'response');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  } catch (error) {
    return passFailure(isTimeout(error));
  }
}

/** What a client gets when the origin of a pass cannot be reached or does not answer in time. */
export function passFailure(timedOut: boolean): Response {
  return timedOut ? errorPage(504, 'The site took too long to answer. Please try again.') : errorPage(502, 'The site could not be reached. Please try again shortly.');
}

/**
 * Lowercased names a pass drops: the hop-by-hop ones, those the message's own `Connection` names,
 * and on the way back the origin's edge-only headers. Hosts that move the bytes themselves apply the
 * same set, so every host forwards the same headers.
 */
export function passDroppedHeaders(connection: string | null, direction: 'request' | 'response'): Set<string> {
  const named = (connection ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  return new Set([...PROXY_HOP_BY_HOP, ...named, ...(direction === 'response' ? EDGE_ONLY_HEADERS : [])]);
}

/** A copy of `source` without `dropped` (by default the set `source`'s own `Connection` gives for `direction`). */
function withoutHopByHop(source: Headers, direction: 'request' | 'response', dropped = passDroppedHeaders(source.get('connection'), direction)): Headers {
  const headers = new Headers(source);
  for (const name of dropped) headers.delete(name);
  return headers;
}

/**
 * The client's request itself, its hop-by-hop headers deleted (nothing reads them after a pass), or
 * a copy without them when its headers cannot change. A copy went through `new Headers` and a
 * `Request`, and the runtime's fetch copies the request again: in the Wasm guest each copy of a
 * client's ~1,000 headers cost ~7 ms of the runtime's own work plus a hostcall pair per header.
 */
function forwardable(request: Request): Request {
  const dropped = passDroppedHeaders(request.headers.get('connection'), 'request');
  try {
    for (const name of dropped) if (request.headers.has(name)) request.headers.delete(name);
    return request;
  } catch {
    // The set worked out before any delete: a delete that got through must not hide what `Connection` named.
    return new Request(request, { headers: withoutHopByHop(request.headers, 'request', dropped) });
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
