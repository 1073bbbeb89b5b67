/**
 * One request to the Node host: a pass goes straight to the templates backend (pass-proxy.ts), the
 * local purge route is answered here (local-purge.ts), and everything else runs the core handler,
 * its page written to the socket (socket-page.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isPassRequest } from '../core/handler.ts';
import type { createHandler } from '../core/handler.ts';
import type { BackendConfig } from '../local-platform/manifest-backends.ts';
import { answerUrlTooLong, urlTooLong } from './url-limit.ts';
import type { NodeDeps } from './node-deps.ts';
import { proxyPass } from './pass-proxy.ts';
import { BadRequest, requestUrl, toWebRequest } from './web-request.ts';
import { SocketPage } from './socket-page.ts';
import { forgetLastMatch } from './regexp-statics.ts';
import { answerLocalPurge, plain, PURGE_PATH } from './local-purge.ts';

/** What every request of one running host shares. */
export interface EdgeSite {
  deps: NodeDeps;
  handler: ReturnType<typeof createHandler>;
  waitUntil: (work: Promise<unknown>) => void;
  /** Where passes go straight through; none when the manifest defines no templates backend. */
  passBackend: BackendConfig | undefined;
  /** The host:port the server listens on, for requests without a Host header (set once listening). */
  host: string;
}

/** The server's request callback: a failure answers 500 (or drops a started answer), never throws. */
export function edgeRequests(site: EdgeSite): RequestListener {
  return (incoming, outgoing) => {
    void serve(site, incoming, outgoing)
      .catch((error: unknown) => {
        console.error(`[node] request failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        if (!outgoing.headersSent) plain(outgoing, 500, { error: 'internal error' });
        else outgoing.destroy();
      })
      // Whatever the request's text the last RegExp matched is not left to the next visitor.
      .finally(forgetLastMatch);
  };
}

async function serve(site: EdgeSite, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const { deps, passBackend } = site;
  let url: URL;
  let request: Request | null = null;
  try {
    url = requestUrl(incoming, site.host);
    if (urlTooLong(url.href)) return answerUrlTooLong(incoming, outgoing);
    // A pass skips the web Request entirely: its bytes go straight through (pass-proxy.ts).
    if (!directPass(site, incoming.method ?? 'GET', url)) request = toWebRequest(incoming, site.host);
  } catch (error) {
    if (error instanceof BadRequest) return plain(outgoing, 400, { error: error.message });
    throw error;
  }
  if (request === null) return passBackend ? proxyPass(incoming, outgoing, passBackend, url) : undefined;
  if (url.pathname === PURGE_PATH) return answerLocalPurge(request.method, url, outgoing, (key, soft) => deps.purge(key, soft));
  return answerPage(site, request, incoming, outgoing);
}

function directPass(site: EdgeSite, method: string, url: URL): boolean {
  return site.passBackend !== undefined && url.pathname !== PURGE_PATH && isPassRequest(method, url.href, site.deps);
}

/** Runs the core handler; an assembled page writes to the socket itself rather than through a web stream. */
async function answerPage(site: EdgeSite, request: Request, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const page = new SocketPage();
  const context = { clientAddress: incoming.socket.remoteAddress ?? '', requestId: randomUUID(), waitUntil: site.waitUntil, pageBody: page.open };
  const isHead = request.method === 'HEAD';
  let response: Response;
  try {
    response = await site.deps.runRequest(() => site.handler(request, context));
  } catch (error) {
    page.cancel('the request failed');
    throw error;
  }
  await page.send(response, outgoing, isHead);
}
