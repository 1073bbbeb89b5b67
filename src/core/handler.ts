/**
 * The request handler every runtime shares: a small explicit route table over `Request → Response`,
 * with one top-level boundary that turns an unexpected exception into a generic 500 without details.
 */
import type { Deps, RequestContext } from './ports.ts';
import { handleHealth } from './routes/health.ts';
import { handleBeacon } from './routes/beacon.ts';
import { handlePage } from './routes/page.ts';
import { jsonResponse } from './http/json-response.ts';
import { parseSettings, readSettings } from './config/settings.ts';
import { isPassThrough, passThrough } from './pass/pass-through.ts';
import { isStaticPath, serveStatic } from './pass/static-asset.ts';

export type Handler = (request: Request, context: RequestContext) => Promise<Response>;

interface Route {
  method: string;
  path: string;
  handle: (request: Request, deps: Deps, context: RequestContext) => Promise<Response>;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/__health', handle: handleHealth },
  { method: 'POST', path: '/__beacon', handle: handleBeacon },
];

/** Paths owned by the edge itself: any other method on them is a 405, never a page fetch. */
const RESERVED_PATHS = new Set(ROUTES.map((route) => route.path));

/**
 * The boundary is a `catch` on the route's promise and a `try` around its synchronous start, not an
 * async wrapper: in the Wasm guest each async frame and await costs ~10 µs, on every request.
 */
export function createHandler(deps: Deps): Handler {
  const failed = (error: unknown): Response => {
    reportUnexpected(deps, error);
    return jsonResponse(500, { error: 'internal error' });
  };
  return (request, context) => {
    try {
      return route(request, deps, context, failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  };
}

function route(request: Request, deps: Deps, context: RequestContext, failed: (error: unknown) => Response): Promise<Response> {
  const path = pathOf(request.url);
  // A page (nearly every request) asks one set lookup here, not a search of the route table with a
  // callback (self-hosted engine code, interpreted in the Wasm guest).
  if (RESERVED_PATHS.has(path)) return edgeRoute(request, path, deps, context).catch(failed);
  // isPassRequest's answer, from the path and settings already in hand (not a reserved path here).
  const settings = parseSettings(readSettings(deps)).value;
  if (isPassThrough(request.method, path, settings)) return passThrough(request, deps).catch(failed);
  if (isStaticPath(path, settings)) return serveStatic(request, deps, context, settings, () => handlePage(request, deps, context, failed)).catch(failed);
  // A page catches its own failure (in its own frame), so its response reaches the runtime without
  // a `catch` reaction in between: one promise job fewer on nearly every request.
  return handlePage(request, deps, context, failed);
}

/** One of the edge's own paths: its route for the method, or a 405 naming the methods it has. */
function edgeRoute(request: Request, path: string, deps: Deps, context: RequestContext): Promise<Response> {
  const match = ROUTES.find((r) => r.path === path && r.method === request.method);
  if (match) return match.handle(request, deps, context);
  const allowed = ROUTES.filter((r) => r.path === path).map((r) => r.method);
  return Promise.resolve(jsonResponse(405, { error: 'method not allowed' }, { allow: allowed.join(', ') }));
}

/**
 * Whether this request passes to the origin untouched: not one of the edge's own paths, and not a
 * personalized page view. Hosts that can move a pass's bytes more cheaply ask this before building
 * a web `Request`; the answer is the one the handler itself would reach.
 */
export function isPassRequest(method: string, url: string, deps: Pick<Deps, 'config'>): boolean {
  const path = pathOf(url);
  if (RESERVED_PATHS.has(path)) return false;
  return isPassThrough(method, path, parseSettings(readSettings(deps)).value);
}

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const query = url.indexOf('?', start);
  const fragment = url.indexOf('#', start);
  const end = Math.min(query < 0 ? url.length : query, fragment < 0 ? url.length : fragment);
  return url.slice(start, end);
}

/** Logged to the runtime's console only: the client never sees what went wrong. */
function reportUnexpected(deps: Deps, error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
  console.error(`[${deps.runtime}] unexpected error: ${message}`);
}
