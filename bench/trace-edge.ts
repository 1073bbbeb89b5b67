/**
 * The edge of the P6 trace replay: the real handler (createHandler) with the Node host's ports
 * (readthrough cache with the guest's per-response storage decision, edge object cache) on the
 * trace's clock, so every TTL expires and every stale copy is revalidated as the origin says, in
 * front of the local origin's own templates and fragments handlers called in process. Only what
 * leaves the edge is counted: each backend request that reaches an origin, background
 * revalidations included. Publishing candidate lists purges them by surrogate key, as the
 * recommender job does.
 */
import { createHandler, type Handler } from '../src/core/handler.ts';
import type { BackendName, BackendResponse, EdgeGet, GeoRecord } from '../src/core/ports.ts';
import { asRequest } from '../src/core/http/edge-get.ts';
import { createNodeDeps } from '../src/node-host/node-deps.ts';
import { edgeStorage } from '../src/local-platform/edge-storage.ts';
import type { LocalManifest } from '../src/local-platform/manifest.ts';
import { templatesHandler } from '../origin/templates/templates-handler.ts';
import { fragmentsHandler } from '../origin/fragments/fragments-handler.ts';
import { CandidateStore } from '../origin/recs/candidate-store.ts';
import type { SegmentLists } from '../origin/recs/compute-candidates.ts';
import { CANDIDATES_SURROGATE_KEY } from '../origin/recs/recs-limits.ts';
import type { OriginRequest, OriginResponse } from '../origin/http/origin-response.ts';
import { TraceProfiles } from './trace-profiles.ts';
import { backendPort } from '../src/core/backend/backend-port.ts';

/** Origin requests by kind: templates, shared fragments by path, and anything about one visitor. */
export interface OriginCounts {
  templates: number;
  candidates: number;
  otherFragments: number;
  perVisitorFragments: number;
  profileReads: number;
  profileWrites: number;
}

export interface TraceEdge {
  handler: Handler;
  counts: OriginCounts;
  candidates: CandidateStore;
  profiles: TraceProfiles;
  /** Geolocation per client address (the trace's visitors' regions). */
  geo: Map<string, GeoRecord>;
  /** Keys of the assembled pages stored since the last call. */
  takeStoredPages(): string[];
  /** Moves the trace's clock, which every cache ages by. */
  setNow(ms: number): void;
  /** Publishes new candidate lists and purges the old ones at the edge, as `npm run recs` does. */
  publish(lists: SegmentLists): Promise<void>;
  /** Resolves once background revalidations (counted origin fetches) have finished. */
  idle(): Promise<void>;
}

async function originRequest(request: Request): Promise<OriginRequest> {
  const url = new URL(request.url);
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
  return { method: request.method, path: url.pathname + url.search, pathname: url.pathname, query: url.searchParams, headers: Object.fromEntries(request.headers), body };
}

function toResponse(answer: OriginResponse): Response {
  return new Response(new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
}

function isPerVisitorFragment(path: string): boolean {
  return path.startsWith('/fragments/recs/visitor') || /[?&]vid=/.test(path);
}

/**
 * `templateMaxAge` (seconds) replaces the templates' `Surrogate-Control: max-age` (an hour at the
 * local origin): what-if runs for an origin that keeps its pages at the edge for longer or shorter.
 */
function withTemplateMaxAge(response: OriginResponse, seconds: number | null): OriginResponse {
  const control = response.headers['surrogate-control'];
  if (seconds === null || control === undefined) return response;
  return { ...response, headers: { ...response.headers, 'surrogate-control': control.replace(/max-age=\d+/, `max-age=${seconds}`) } };
}

export function traceEdge(manifest: LocalManifest, settings: string, templateMaxAge: number | null = null): TraceEdge {
  let now = 0;
  const counts: OriginCounts = { templates: 0, candidates: 0, otherFragments: 0, perVisitorFragments: 0, profileReads: 0, profileWrites: 0 };
  const candidates = new CandidateStore();
  const profiles = new TraceProfiles(() => new Date(Date.parse('2026-11-30T00:00:00Z') + now));
  const geo = new Map<string, GeoRecord>();
  const fragments = fragmentsHandler(candidates, () => Promise.resolve(null));
  const deps = createNodeDeps(manifest, { sink: () => undefined, clock: () => now, cacheBytes: 512 * 1024 * 1024 });

  const origin = async (name: BackendName, request: Request): Promise<Response> => {
    const asked = await originRequest(request);
    if (name === 'templates') {
      counts.templates++;
      return toResponse(withTemplateMaxAge(templatesHandler(asked), templateMaxAge));
    }
    if (name === 'fragments') {
      if (isPerVisitorFragment(asked.path)) counts.perVisitorFragments++;
      else if (asked.pathname === '/fragments/recs/candidates') counts.candidates++;
      else counts.otherFragments++;
      return toResponse(await fragments(asked));
    }
    if (asked.method === 'GET') counts.profileReads++;
    else counts.profileWrites++;
    return toResponse(await profiles.handler(asked));
  };

  const fetchBackend = backendPort((name: BackendName, sent: Request | EdgeGet, options: { pass?: boolean; cacheKey?: string }): Promise<BackendResponse> => {
    const request = asRequest(sent);
    if (options.pass) return origin(name, request).then((response) => ({ response, cache: 'PASS' }));
    const key = options.cacheKey ?? `${name}\n${request.url}`;
    return deps.readthrough.fetch(key, request, () => origin(name, request), edgeStorage(name));
  });

  let stored: string[] = [];
  const cache = {
    ...deps.cache,
    insert: (key: string, body: Uint8Array, insert: Parameters<typeof deps.cache.insert>[2]) => {
      if (key.startsWith('page:')) stored.push(key);
      return deps.cache.insert(key, body, insert);
    },
  };
  const handler = createHandler({
    ...deps,
    cache,
    fetchBackend,
    config: (key) => (key === 'settings' ? settings : deps.config(key)),
    geo: (address) => geo.get(address) ?? null,
  });
  const takeStoredPages = (): string[] => {
    const taken = stored;
    stored = [];
    return taken;
  };
  const publish = (lists: SegmentLists): Promise<void> => {
    candidates.publish(lists, 'trace');
    return deps.purge(CANDIDATES_SURROGATE_KEY);
  };
  return { handler, counts, candidates, profiles, geo, takeStoredPages, setNow: (ms) => (now = ms), publish, idle: () => deps.idle() };
}
