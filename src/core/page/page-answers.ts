/**
 * The page's answers that stitch nothing: a stored copy, a template passed through untouched, a
 * head without its body, and the unavailable page. Each one finishes the run, so its decision
 * event is written from the same record as its headers.
 */
import type { PageRun } from './page-run.ts';
import type { StoredPage } from './stored-page.ts';
import type { FetchedTemplate } from './template-fetch.ts';
import { withoutEdgeHeaders } from './page-headers.ts';
import { errorPage } from '../http/error-page.ts';

const UNAVAILABLE = 'This page is temporarily unavailable. Please try again shortly.';

export function serveStored(run: PageRun, stored: StoredPage, head: boolean): Response {
  run.pageCache('HIT');
  const headers = run.headers(stored.contentType);
  run.finish(stored.status, { experiment: stored.experiment });
  return new Response(head ? null : stored.body, { status: stored.status, headers });
}

/** Not opted in to ESI: passed through untouched, byte for byte, with no personalization. */
export function passThrough(run: PageRun, { response }: FetchedTemplate, head: boolean): Response {
  // Only an HTML answer is a page view worth a decision event.
  if (isHtml(response.headers)) run.finish(response.status);
  return new Response(head ? null : response.body, { status: response.status, headers: withoutEdgeHeaders(response.headers) });
}

/** A HEAD request gets the personalized head alone; an undecodable template is a 502. */
export async function withoutBody(run: PageRun, { response }: FetchedTemplate, decodable: boolean): Promise<Response> {
  await response.body?.cancel();
  const status = decodable ? response.status : 502;
  run.finish(status);
  if (!decodable) return errorPage(502, UNAVAILABLE);
  const headers = run.headers(response.headers.get('content-type') ?? 'text/html; charset=utf-8');
  return new Response(null, { status, headers });
}

/** No template and no last good copy of it. */
export function unavailable(run: PageRun): Response {
  run.finish(503);
  return errorPage(503, UNAVAILABLE);
}

function isHtml(headers: Headers): boolean {
  const type = headers.get('content-type') ?? '';
  return /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i.test(type);
}
