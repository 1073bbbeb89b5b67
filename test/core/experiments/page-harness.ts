/**
 * Runs pages through the real handler against in-memory backends: templates and fragments by
 * path, a profile store that answers 404 (or a given profile), and recorded log lines. Counts the
 * calls per backend so tests can prove what a request did not cost.
 */
import type { BackendName, Deps, LogEndpoint } from '../../../src/core/ports.ts';
import { createHandler } from '../../../src/core/handler.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { makeDeps } from '../beacon/make-deps.ts';
import { relaxedSettings } from '../../../src/local-platform/relaxed-timeouts.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

export const COOKIE_SECRET = 'page-test-cookie-key-0123456789';
export const LOG_SECRET = 'page-test-log-key-0123456789';
export const PREVIEW_SECRET = 'page-test-preview-key-0123456789';

export const EXPERIMENTS = JSON.stringify([
  { id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], rollout: 100, segments: ['general'] },
  { id: 'recs-layout', variants: [{ id: 'control', weight: 0 }, { id: 'grid', weight: 100 }], rollout: 100, segments: [] },
]);
export const SEGMENTS = JSON.stringify({ version: 1, default: 'general', rules: [{ segment: 'vip', when: { 'profile.tier': { in: ['gold'] } } }] });
export const ESI_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=300' };

export interface PageSite {
  templates?: Record<string, { body: string; headers?: Record<string, string> }>;
  /** Fragment body by path; `null` answers 500. */
  fragments?: Record<string, string | null>;
  profile?: Record<string, unknown> | null;
  settings?: Record<string, unknown>;
  experiments?: string;
  secrets?: Partial<Record<string, string | null>>;
}

export interface PageDeps extends Deps {
  lines: Array<{ endpoint: LogEndpoint; line: string }>;
  calls: Record<BackendName, number>;
}

export function makePageDeps(site: PageSite = {}): PageDeps {
  const config: Record<string, string | null> = {
    settings: relaxedSettings(JSON.stringify({ debugHeaders: true, ...site.settings })),
    segments: SEGMENTS,
    experiments: site.experiments ?? EXPERIMENTS,
  };
  const secrets: Record<string, string | null> = {
    cookie_signing_key: COOKIE_SECRET, log_hash_key: LOG_SECRET, preview_signing_key: PREVIEW_SECRET, ...site.secrets,
  };
  const base = makeDeps();
  const deps: PageDeps = {
    ...base,
    lines: [],
    calls: { templates: 0, profiles: 0, fragments: 0 },
    fetchBackend: backendPort((backend, request) => {
      deps.calls[backend]++;
      return Promise.resolve({ response: answer(site, backend, new URL(request.url).pathname), cache: 'MISS' });
    }),
    config: (key) => config[key] ?? null,
    secret: (key) => Promise.resolve(secrets[key] ?? null),
    emit: (endpoint, line) => deps.lines.push({ endpoint, line }),
  };
  return deps;
}

function answer(site: PageSite, backend: BackendName, path: string): Response {
  if (backend === 'profiles') {
    return site.profile ? Response.json(site.profile) : new Response('not found', { status: 404 });
  }
  if (backend === 'fragments') {
    const body = site.fragments?.[path];
    if (body === undefined || body === null) return new Response('fail', { status: 500 });
    return new Response(body, { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=60' } });
  }
  const template = site.templates?.[path];
  if (template === undefined) return new Response('body{}', { headers: { 'content-type': 'text/css', 'cache-control': 'max-age=60' } });
  return new Response(template.body, { headers: template.headers ?? ESI_HEADERS });
}

export interface PageResult {
  response: Response;
  text: string;
  event: Record<string, unknown> | undefined;
}

/** Requests `path` as a browser would, waits for the page's background work, returns the event. */
export async function getPage(deps: PageDeps, path: string, headers: Record<string, string> = {}): Promise<PageResult> {
  const pending: Promise<unknown>[] = [];
  const before = deps.lines.length;
  const request = new Request(`https://shop.example${path}`, { headers });
  const response = await createHandler(deps)(request, { clientAddress: '192.0.2.7', requestId: `req-${before}`, waitUntil: (work) => void pending.push(work) });
  const text = await response.text();
  await Promise.all(pending);
  await Promise.all(pending);
  const line = deps.lines.slice(before).find((l) => l.endpoint === 'personalization_events');
  return { response, text, event: line ? (JSON.parse(line.line) as Record<string, unknown>) : undefined };
}

export async function signedVid(id: string): Promise<string> {
  return signToken(await importHmacKey(COOKIE_SECRET), id);
}
