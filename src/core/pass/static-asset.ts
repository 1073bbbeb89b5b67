/**
 * Static files (stylesheets, scripts, images, fonts, source maps) are not page views: they are
 * fetched from the `templates` origin through the template cache, with no profile lookup, no
 * consent or identity work, no ESI and no decision event. A path is static by its extension or by
 * a prefix in `settings.staticPaths`. An origin that answers such a path with an ESI template has
 * said it is a page after all (`/account/x.css` on an origin that matches by prefix): it then takes
 * the page path, so template markup never reaches a client unprocessed.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { isEsiTemplate } from '../esi/esi-opt-in.ts';
import type { Settings } from '../config/settings.ts';
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { templateCacheKey } from '../cache-key/cache-key.ts';
import { fetchTemplate } from '../page/template-fetch.ts';
import { withoutEdgeHeaders } from '../page/page-headers.ts';
import { errorPage } from '../http/error-page.ts';

const STATIC_EXTENSION =
  /\.(?:css|js|mjs|map|json|txt|xml|ico|png|jpe?g|gif|webp|avif|svg|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|wav|pdf|zip|gz|wasm)$/i;

export function isStaticPath(path: string, settings: Pick<Settings, 'staticPaths'>): boolean {
  if (STATIC_EXTENSION.test(path)) return true;
  const prefixes = settings.staticPaths;
  for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!)) return true;
  return false;
}

export async function serveStatic(request: Request, deps: Deps, context: RequestContext, settings: Settings, asPage: () => Promise<Response>): Promise<Response> {
  const url = normalizeUrl(new URL(request.url));
  const locale = settings.locales[0] ?? 'en-US';
  const template = await fetchTemplate(deps, context, url, locale, await templateCacheKey(url, deps.crypto));
  if (!template.ok) return errorPage(503, 'This file is temporarily unavailable.');
  const { response } = template;
  if (isEsiTemplate(response.headers)) {
    await response.body?.cancel();
    return asPage();
  }
  const body = request.method === 'HEAD' ? null : response.body;
  if (body === null) await response.body?.cancel();
  return new Response(body, { status: response.status, headers: withoutEdgeHeaders(response.headers) });
}
