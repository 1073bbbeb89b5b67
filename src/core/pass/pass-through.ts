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
import { withoutEdgeHeaders } from '../page/page-headers.ts';
import { isTimeout } from '../backend/backend-call.ts';
import { PROXY_HOP_BY_HOP } from '../http/hop-by-hop.ts';


/** A page view is a GET or HEAD outside `settings.passPrefixes`; anything else passes. */
export function isPassThrough(method: string, path: string, settings: Pick<Settings, 'passPrefixes'>): boolean {
  if (method !== 'GET' && method !== 'HEAD') return true;
  if (settings.passPrefixes.length === 0) return false;
  // A prefix matches the path as sent and as decoded, so `/%61pi/` cannot dodge `/api/`.
  const decoded = safeDecode(path);
  return settings.passPrefixes.some((prefix) => path.startsWith(prefix) || decoded.startsWith(prefix));
}

export async function passThrough(request: Request, deps: Pick<Deps, 'fetchBackend'>): Promise<Response> {
  let forwarded: Request;
  try {
    forwarded = new Request(request, { headers: withoutHopByHop(request.headers) });
  } catch {
    return errorPage(400, 'Bad request.');
  }
  try {
    const { response } = await deps.fetchBackend('templates', forwarded, { pass: true });
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: withoutEdgeHeaders(withoutHopByHop(response.headers)) });
  } catch (error) {
    return isTimeout(error) ? errorPage(504, 'The site took too long to answer. Please try again.') : errorPage(502, 'The site could not be reached. Please try again shortly.');
  }
}

function withoutHopByHop(source: Headers): Headers {
  const headers = new Headers(source);
  const named = (source.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  for (const name of [...PROXY_HOP_BY_HOP, ...named]) headers.delete(name);
  return headers;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
