/**
 * A segment's list as the candidate document ranked includes fetch:
 * `{"before", "after", "items": [{"id", "category", "score", "html"}]}`, the item HTML being the
 * store's product card with the whitespace between tags removed (the edge parses every byte).
 */
import { productBySku } from '../data/catalog.ts';
import type { Segment } from '../data/segment-content.ts';
import { segmentContent } from '../data/segment-content.ts';
import { renderProductCard } from '../html/product-card.ts';
import { loadText, renderHtml } from '../html/render-html.ts';
import type { Publication } from './candidate-store.ts';

const ITEMS_MARKER = '<!--items-->';

function compact(html: string): string {
  return html.replace(/>\s+</g, '><').trim();
}

/** Rendered once per segment and publication: every edge cache miss asks for the same bytes. */
const rendered = new WeakMap<Publication, Map<Segment, string>>();

export function candidateDocument(segment: Segment, publication: Publication): string {
  let bySegment = rendered.get(publication);
  if (!bySegment) rendered.set(publication, (bySegment = new Map<Segment, string>()));
  let text = bySegment.get(segment);
  if (text === undefined) bySegment.set(segment, (text = render(segment, publication)));
  return text;
}

function render(segment: Segment, publication: Publication): string {
  const wrapper = compact(renderHtml(loadText(import.meta.url, '../fragments/ranked-recs.html'), {
    segment,
    generation: String(publication.generation),
    heading: segmentContent(segment).recsHeading,
    items: ITEMS_MARKER,
  }));
  const [before = '', after = ''] = wrapper.split(ITEMS_MARKER);
  const items = (publication.lists[segment] ?? []).flatMap(({ id, score }) => {
    const product = productBySku(id);
    return product ? [{ id, category: product.category, score, html: compact(renderProductCard(product, 'recs')) }] : [];
  });
  return JSON.stringify({ before, after, items });
}
