/**
 * A consented, known visitor's view of a category or product page is a `view` event for their
 * profile, written from `waitUntil` so the page never waits. Views leave the cached profile in
 * place (dropping it on every page would defeat the cache); the next click, or the cache's TTL,
 * brings them in. A failed write prints one line and is not retried.
 */
import type { Identity } from '../visitor/identity.ts';
import { categoryFromPath } from '../visitor/page-category.ts';
import type { Deps, RequestContext } from '../ports.ts';
import { profileEvent, profileWriteTarget } from './profile-event.ts';
import { writeProfileEvents } from './profile-writer.ts';

const SKU = /^[A-Za-z0-9_-]{1,64}$/;

export interface PageView {
  path: string;
  identity: Identity;
  pseudonym: string | null;
}

export function recordPageView(page: PageView, deps: Deps, context: RequestContext): void {
  const item = productSku(page.path);
  const category = categoryFromPath(page.path);
  if (category === null) return;
  const visitorId = profileWriteTarget(page.identity);
  if (visitorId === null) return;
  const event = profileEvent({ prefix: 'v', requestId: context.requestId, type: 'view', item, category, ts: new Date() });
  const write = writeProfileEvents({ visitorId, cacheId: page.pseudonym, events: [event], dropCached: false }, deps).then((report) => {
    if (report.outcome !== 'ok') console.warn(`personalization: profile view write ${report.outcome} after ${report.ms} ms`);
  });
  context.waitUntil(write);
}

function productSku(path: string): string | null {
  const parts = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  return parts[1] === 'product' && parts.length === 4 && SKU.test(parts[3] ?? '') ? (parts[3] ?? null) : null;
}
