/**
 * A segment's list as the candidate document ranked includes fetch:
 * `{"before", "after", "items": [{"id", "category", "score", "html"}]}`, the item HTML being a
 * recommendation card (recs-card.html) with the whitespace between tags removed and its attributes
 * unquoted so JSON needs no escapes. The edge decodes and parses every byte inside the Wasm (about
 * 5 ns a byte: `\"` escapes cost `JSON.parse` there about a quarter of its time), so the card is
 * the store's product card without its class names (the ranked block's CSS finds its parts):
 * 240 bytes instead of 313, 15 KB less to decode and parse in a 200-item document.
 */
import { productBySku } from '../data/catalog.ts';
import type { Segment } from '../data/segment-content.ts';
import { segmentContent } from '../data/segment-content.ts';
import { productHref, productImageUrl } from '../html/product-card.ts';
import { formatGbp } from '../html/money.ts';
import type { Product } from '../data/catalog.ts';
import { loadText, renderHtml } from '../html/render-html.ts';
import type { Candidate } from '../../src/core/recs/candidate-scan.ts';
import { renderCompactDocument } from '../../src/core/recs/compact-writer.ts';
import type { Publication } from './candidate-store.ts';
import type { CandidateScore } from './compute-candidates.ts';

const ITEMS_MARKER = '<!--items-->';

function compact(html: string): string {
  return html.replace(/>\s+</g, '><').trim();
}

/** What HTML allows as an unquoted attribute value (https://html.spec.whatwg.org/#unquoted). */
const UNQUOTABLE = /^[^\s"'=<>`]+$/;

/**
 * The same DOM with no `"` left: an empty attribute value dropped (`alt` is `alt=""`), each other
 * value unquoted where HTML allows it, else in single quotes. Only for markup rendered by renderHtml, where every `"` delimits an attribute value and no
 * value holds a `'` (both are escaped as entities).
 */
export function withoutDoubleQuotes(html: string): string {
  return html.replace(/="([^"]*)"/g, (_, value: string) => (value === '' ? '' : UNQUOTABLE.test(value) ? `=${value}` : `='${value}'`));
}

/**
 * The same text in ASCII: every other character as a numeric character reference (`£` becomes
 * `&#163;`). The guest's TextDecoder takes a faster path over pure ASCII. Only for markup (text and
 * attribute values), where a reference means the character itself.
 */
export function asciiOnly(html: string): string {
  return html.replace(/[\u0080-\u{10ffff}]/gu, (char) => `&#${char.codePointAt(0) ?? 0};`);
}

/** A segment's list in both formats: the JSON document and the compact one (edges that ask for it). */
export interface CandidateBodies {
  json: Buffer;
  compact: Buffer;
}

/** Rendered once per segment and publication: every edge cache miss asks for the same bytes. */
const rendered = new WeakMap<Publication, Map<Segment, CandidateBodies>>();

export function candidateBodies(segment: Segment, publication: Publication): CandidateBodies {
  let bySegment = rendered.get(publication);
  if (!bySegment) rendered.set(publication, (bySegment = new Map<Segment, CandidateBodies>()));
  let bodies = bySegment.get(segment);
  if (bodies === undefined) bySegment.set(segment, (bodies = render(segment, publication)));
  return bodies;
}

function render(segment: Segment, publication: Publication): CandidateBodies {
  const { before, after, items } = candidateParts(segment, publication.generation, publication.lists[segment] ?? []);
  return { json: Buffer.from(JSON.stringify({ before, after, items })), compact: Buffer.from(renderCompactDocument(before, after, items)) };
}

/**
 * A recommendation's markup. The swatch is written in the comma syntax of `hsl()` (the same colour)
 * so the attribute needs no quotes.
 */
export function renderRecsCard(product: Product): string {
  return asciiOnly(withoutDoubleQuotes(compact(renderHtml(loadText(import.meta.url, '../html/recs-card.html'), {
    sku: product.sku,
    href: productHref(product),
    image: productImageUrl(product),
    swatch: product.swatch.replace(/ /g, ','),
    name: product.name,
    price: formatGbp(product.priceCents),
  }))));
}

/** A segment's candidate document for `list` (unknown skus left out). */
export function renderCandidateDocument(segment: Segment, generation: number, list: readonly CandidateScore[]): string {
  return JSON.stringify(candidateParts(segment, generation, list));
}

/** The wrapper and the items of a segment's list, whichever format carries them. */
export function candidateParts(segment: Segment, generation: number, list: readonly CandidateScore[]): { before: string; after: string; items: Candidate[] } {
  const wrapper = asciiOnly(compact(renderHtml(loadText(import.meta.url, '../fragments/ranked-recs.html'), {
    segment,
    generation: String(generation),
    heading: segmentContent(segment).recsHeading,
    items: ITEMS_MARKER,
  })));
  const [before = '', after = ''] = wrapper.split(ITEMS_MARKER);
  const items = list.flatMap(({ id, score }) => {
    const product = productBySku(id);
    return product ? [{ id, category: product.category, score, html: renderRecsCard(product) }] : [];
  });
  return { before, after, items };
}
