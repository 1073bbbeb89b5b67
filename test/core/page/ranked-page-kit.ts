/**
 * A site for the ranked-page tests: a template with two ranked includes (one inside a try, one
 * with exclusions) and an ordinary fragment, the candidates as JSON or the compact document, and
 * two visitors' profiles; requests through the whole handler.
 */
import { expect } from 'vitest';
import { createHandler } from '../../../src/core/handler.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../../src/core/recs/compact-format.ts';
import { makeContext, makeDeps, TEST_SECRETS, type TestDeps } from '../../support/make-deps.ts';
import { DOC } from '../recs/recs-fixtures.ts';

export const ESI_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0", max-age=300' };
const CANDIDATES = '/fragments/recs/candidates?seg=$(SEGMENT)';
/** Two holes, one inside a try (recs-slot.html's shape), one with exclusions, around shared text and an ordinary fragment. */
export const TEMPLATE = [
  '<html><body><h1><esi:vars>$(SEGMENT)</esi:vars></h1>',
  `<esi:try><esi:attempt><esi:include src="${CANDIDATES}" rank="visitor" count="3"/></esi:attempt><esi:except>none</esi:except></esi:try>`,
  '<esi:include src="/fragments/banner"/>',
  `<esi:include src="${CANDIDATES}" rank="visitor" count="2" exclude="r1 s1"/>`,
  '</body></html>',
].join('');

export type DocKind = 'json' | 'compact';

export const PROFILES: Record<string, Record<string, unknown>> = {
  'visitor-a': { id: 'visitor-a', affinities: { outdoor: 1 }, recentItems: ['o1'] },
  'visitor-b': { id: 'visitor-b', affinities: { jackets: 1 }, purchased: ['j1'] },
};

export function candidates(kind: DocKind): Response {
  const surrogate = { 'cache-control': 'max-age=60', 'surrogate-key': 'recs-candidates' };
  if (kind === 'json') return new Response(JSON.stringify(DOC), { headers: { 'content-type': 'application/json', ...surrogate } });
  return new Response(renderCompactDocument(DOC.before, DOC.after, DOC.items) as Uint8Array<ArrayBuffer>, { headers: { 'content-type': COMPACT_CANDIDATES_TYPE, ...surrogate } });
}

/** `other`: a template's bytes in another charset (its content type), or candidates of its own. */
export interface OtherSite {
  contentType?: string;
  candidates?: () => Response;
}

export function site(kind: DocKind, template: string | Uint8Array<ArrayBuffer> = TEMPLATE, held: Promise<void> = Promise.resolve(), other: OtherSite = {}): TestDeps {
  const headers = other.contentType ? { ...ESI_HEADERS, 'content-type': other.contentType } : ESI_HEADERS;
  return makeDeps({
    backends: {
      templates: () => held.then(() => new Response(template, { headers })),
      fragments: (request) => (new URL(request.url).pathname === '/fragments/banner' ? new Response('<aside>banner</aside>', { headers: { 'content-type': 'text/html', 'cache-control': 'max-age=120', 'surrogate-key': 'banner' } }) : (other.candidates ?? (() => candidates(kind)))()),
      profiles: (request) => {
        const profile = PROFILES[new URL(request.url).pathname.split('/').pop() ?? ''];
        return profile ? Response.json(profile) : new Response('none', { status: 404 });
      },
    },
    config: { settings: JSON.stringify({ debugHeaders: true }), segments: JSON.stringify({ version: 1, default: 'general', rules: [] }) },
  });
}

/** The ranked blocks of a page, in order. */
export function blocks(body: string): string[] {
  return [...body.matchAll(/<ul class="recs">.*?<\/ul>/g)].map((match) => match[0]);
}

/** A consented visitor's cookies (`vid` signed), or none. */
export async function cookieOf(id: string | null): Promise<Record<string, string>> {
  if (id === null) return {};
  const vid = await signToken(await importHmacKey(TEST_SECRETS.cookie_signing_key), id);
  return { cookie: `consent=personalization; vid=${vid}` };
}

export async function view(deps: TestDeps, visitor: string | null, method = 'GET'): Promise<{ status: number; cache: string; body: string }> {
  const context = makeContext();
  const response = await createHandler(deps)(new Request('https://shop.example/p', { method, headers: await cookieOf(visitor) }), context);
  const body = await response.text();
  await context.settled();
  return { status: response.status, cache: /cache=(\w+)/.exec(response.headers.get('x-personalization') ?? '')?.[1] ?? '', body };
}

/** The page a fresh assembly gives `visitor`: on a site whose page cache holds nothing. */
export async function fresh(kind: DocKind, visitor: string | null): Promise<string> {
  const page = await view(site(kind), visitor);
  expect(page.cache).toBe('MISS');
  return page.body;
}
