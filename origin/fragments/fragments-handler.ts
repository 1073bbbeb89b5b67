/**
 * The `fragments` backend: hero banners per segment and variant, segment recommendations, the
 * segments' candidate documents for ranked includes (published by `npm run recs`), per-visitor
 * recommendations (never shareable; the demo pages no longer use them) and geo promos. Bodies are
 * built from `.html` snippets and never contain ESI markup.
 */
import { bestsellers, categoryTitle, CATEGORIES, type Category } from '../data/catalog.ts';
import { promoFor } from '../data/regions.ts';
import { isSegment, SEGMENTS, segmentContent, type Segment } from '../data/segment-content.ts';
import { renderProductCards } from '../html/product-card.ts';
import { loadText, renderHtml } from '../html/render-html.ts';
import { htmlResponse, methodNotAllowed } from '../http/origin-response.ts';
import { publishedHeaders } from '../http/published-content.ts';
import { candidateBodies } from '../recs/candidate-document.ts';
import { candidateFormat } from '../recs/candidates-negotiation.ts';
import { COMPACT_CANDIDATES_TYPE } from '../../src/core/recs/compact-format.ts';
import type { CandidateStore } from '../recs/candidate-store.ts';
import { CANDIDATES_SURROGATE_KEY } from '../recs/recs-limits.ts';
import type { OriginRequest, OriginResponse } from '../http/origin-response.ts';
import type { ServiceProfile } from '../profiles/service-profile.ts';

/** Reads a visitor's current profile from the profile store; null when unknown or unavailable. */
export type ProfileReader = (id: string) => Promise<ServiceProfile | null>;

const RECS_LAYOUTS: Readonly<Record<string, number>> = { control: 4, grid: 6 };

function snippet(file: string, values: Record<string, string>): string {
  return renderHtml(loadText(import.meta.url, file), values);
}

function shared(body: string, keys: string): OriginResponse {
  return htmlResponse(200, body, publishedHeaders({ esi: false, surrogateKeys: keys }));
}

function notFound(): OriginResponse {
  return htmlResponse(404, '<p class="fragment-missing">Not found</p>\n', { 'cache-control': 'public, max-age=10' });
}

/** A missing `seg` is the default segment; an unknown one is a 404 so the edge falls back. */
function segmentParam(query: URLSearchParams): Segment | null {
  const value = query.get('seg') || 'general';
  return isSegment(value) ? value : null;
}

function hero(query: URLSearchParams): OriginResponse {
  const segment = segmentParam(query);
  if (!segment) return notFound();
  const variant = query.get('v') === 'bold' ? 'bold' : 'control';
  const copy = segmentContent(segment).hero;
  const headline = variant === 'bold' ? copy.boldHeadline : copy.headline;
  const body = snippet('./hero.html', { segment, variant, ...copy, headline });
  return shared(body, `frag-hero frag-hero-${segment}`);
}

function recs(query: URLSearchParams): OriginResponse {
  const segment = segmentParam(query);
  if (!segment) return notFound();
  const layout = query.get('layout') === 'grid' ? 'grid' : 'control';
  const content = segmentContent(segment);
  const products = bestsellers(RECS_LAYOUTS[layout] ?? 4, content.recsCategories);
  const body = snippet('./recs.html', { segment, layout, heading: content.recsHeading, cards: renderProductCards(products, 'recs') });
  return shared(body, `frag-recs frag-recs-${segment}`);
}

async function visitorRecs(query: URLSearchParams, profiles: ProfileReader): Promise<OriginResponse> {
  const profile = await profiles(query.get('vid') ?? '');
  if (!profile) return notFound();
  const affinity = (category: Category): number => (Object.hasOwn(profile.affinities, category) ? (profile.affinities[category] ?? 0) : 0);
  const ranked: Category[] = [...CATEGORIES].sort((a, b) => affinity(b) - affinity(a));
  const top = ranked.slice(0, 2);
  const body = snippet('./visitor-recs.html', {
    visitor: profile.id,
    because: top.map((category) => categoryTitle(category).toLowerCase()).join(' and '),
    cards: renderProductCards(bestsellers(4, top), 'recs'),
  });
  return htmlResponse(200, body, { 'cache-control': 'private, no-store' });
}

/**
 * Shared per segment and kept at the edge until a new publication purges `recs-candidates`: the
 * compact document to a request whose `Accept` prefers it (the edge's ranked includes), the JSON
 * document otherwise, with `Vary: Accept` on both so no cache hands one to a client that asked for
 * the other.
 */
function candidates(request: OriginRequest, store: CandidateStore): OriginResponse {
  const segment = segmentParam(request.query);
  if (!segment) return notFound();
  const bodies = candidateBodies(segment, store.current());
  const surrogateKeys = `${CANDIDATES_SURROGATE_KEY} ${CANDIDATES_SURROGATE_KEY}-${segment}`;
  const compact = store.offersCompact && candidateFormat(request.headers.accept) === 'compact';
  const headers = { 'content-type': compact ? COMPACT_CANDIDATES_TYPE : 'application/json', vary: 'Accept', ...publishedHeaders({ esi: false, surrogateKeys }) };
  return { status: 200, headers, body: compact ? bodies.compact : bodies.json };
}

function promo(query: URLSearchParams): OriginResponse {
  const region = query.get('region') ?? '';
  const found = promoFor(region);
  if (!found) return notFound();
  return shared(snippet('./promo.html', { region, ...found }), `frag-promo frag-promo-${region}`);
}

export function fragmentsHandler(store: CandidateStore, profiles: ProfileReader): (request: OriginRequest) => OriginResponse | Promise<OriginResponse> {
  // Rendered up front: the first page of a fresh origin should not wait for 500 product cards.
  for (const segment of SEGMENTS) candidateBodies(segment, store.current());
  return (request) => route(request, store, profiles);
}

function route(request: OriginRequest, store: CandidateStore, profiles: ProfileReader): OriginResponse | Promise<OriginResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
  switch (request.pathname) {
    case '/fragments/hero': return hero(request.query);
    case '/fragments/recs': return recs(request.query);
    case '/fragments/recs/candidates': return candidates(request, store);
    case '/fragments/recs/visitor': return visitorRecs(request.query, profiles);
    case '/fragments/promo': return promo(request.query);
    default: return notFound();
  }
}
