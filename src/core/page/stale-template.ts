/**
 * The last good copy of each ESI template, kept in the edge cache well past its TTL, so that when
 * the template origin is down the page still renders from it (docs/contracts.md#failure-policy). A copy is written only
 * after a fresh origin fetch (a readthrough MISS) of a shareable 200, so hits cost nothing extra.
 */
import type { Deps, EdgeCache, RequestContext } from '../ports.ts';
import type { FetchedTemplate, TemplateFailure, TemplateFetch } from './template-fetch.ts';
import { BodyCopy } from './record-body.ts';
import { MAX_TEMPLATE_BYTES } from '../esi/esi-limits.ts';

/** How long a last good copy may stand in for a template origin that is down. */
export const STALE_TEMPLATE_TTL_MS = 24 * 60 * 60 * 1000;

/** Response headers kept with the copy: what the page pipeline reads from a template. */
const KEPT_HEADERS = ['content-type', 'surrogate-control', 'surrogate-key', 'cache-control'] as const;

export function staleCopyKey(templateKey: string): string {
  return `stale:${templateKey}`;
}

export async function readStaleTemplate(cache: EdgeCache, templateKey: string): Promise<Response | null> {
  try {
    const entry = await cache.lookup(staleCopyKey(templateKey));
    if (!entry) return null;
    const headers = JSON.parse(entry.meta) as Record<string, string>;
    return new Response(entry.body as Uint8Array<ArrayBuffer>, { status: 200, headers });
  } catch {
    return null;
  }
}

/** The last good copy, or the failure when there is none. */
export async function standIn(deps: Pick<Deps, 'cache' | 'now'>, staleKey: string, failure: TemplateFailure, started: number): Promise<TemplateFetch> {
  const stale = await readStaleTemplate(deps.cache, staleKey);
  if (stale) return { ok: true, response: stale, cache: 'STALE', ms: deps.now() - started, staleKey };
  return { ok: false, reason: failure, ms: deps.now() - started };
}

export async function writeStaleTemplate(cache: EdgeCache, templateKey: string, headers: Headers, body: Uint8Array): Promise<void> {
  if (body.byteLength > MAX_TEMPLATE_BYTES) return;
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value;
  }
  await cache.insert(staleCopyKey(templateKey), body, { ttlMs: STALE_TEMPLATE_TTL_MS, meta: JSON.stringify(kept) });
}

/**
 * After a fresh origin fetch of a shareable template, the tap that keeps its bytes, as the ESI
 * reader passes them, as the last good copy (written after the response); none otherwise.
 */
export function keepStaleTemplate(cache: EdgeCache, template: FetchedTemplate, templateTtl: number | null, context: Pick<RequestContext, 'waitUntil'>): BodyCopy | undefined {
  const { response } = template;
  if (template.cache !== 'MISS' || response.status !== 200 || templateTtl === null) return undefined;
  const copy = new BodyCopy(MAX_TEMPLATE_BYTES);
  context.waitUntil(
    copy.copy.then(async (bytes) => {
      if (bytes) await writeStaleTemplate(cache, template.staleKey, response.headers, bytes);
    }),
  );
  return copy;
}
