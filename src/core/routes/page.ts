/**
 * Page requests: everything that is not an edge route. The template is fetched from the
 * `templates` backend with headers the edge sets itself (never copied from the client), then
 * streamed to the client with edge-only headers removed.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { errorPage } from '../http/error-page.ts';

/** Response headers that belong to the edge and its origins, never to the client (DESIGN §5.2). */
const EDGE_ONLY_RESPONSE_HEADERS = ['surrogate-control', 'surrogate-key'];

export async function handlePage(request: Request, deps: Deps, _context: RequestContext): Promise<Response> {
  const started = deps.now();
  const templateRequest = new Request(request.url, {
    method: 'GET',
    headers: { accept: 'text/html', 'accept-encoding': 'identity' },
  });
  let fetched;
  try {
    fetched = await deps.fetchBackend('templates', templateRequest);
  } catch {
    return errorPage(502, 'The page is temporarily unavailable.');
  }
  const templateMs = deps.now() - started;
  const headers = new Headers(fetched.response.headers);
  for (const name of EDGE_ONLY_RESPONSE_HEADERS) headers.delete(name);
  headers.set('cache-control', 'private, no-store');
  headers.set('server-timing', `template;dur=${templateMs.toFixed(1)}, total;dur=${(deps.now() - started).toFixed(1)}`);
  const body = request.method === 'HEAD' ? null : fetched.response.body;
  return new Response(body, { status: fetched.response.status, headers });
}
