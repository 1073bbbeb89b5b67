/**
 * What the recommender learns from: one visitor looking at, clicking or buying one catalog item.
 * Read from the collector's event file (`<endpoint> :: <json>` lines): a decision event for a
 * product page is a view, a clickstream `click` on an item is a click, an `add_to_cart` a purchase. Visitors without consent
 * have no pseudonym; their interactions count for popularity but cannot link items together.
 */
import { productBySku } from '../data/catalog.ts';

export type InteractionKind = 'view' | 'click' | 'purchase';

export interface Interaction {
  /** A pseudonym, or null when the visitor did not consent. */
  visitor: string | null;
  segment: string;
  item: string;
  category: string;
  /** Epoch milliseconds. */
  ts: number;
  kind: InteractionKind;
}

/** How much one interaction says about taste. */
export const KIND_WEIGHT: Readonly<Record<InteractionKind, number>> = { view: 1, click: 2, purchase: 4 };

const PRODUCT_PATH = /^\/product\/[a-z-]+\/(sku-\d+)$/;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function interaction(event: Record<string, unknown>, item: string, kind: InteractionKind): Interaction | null {
  const product = productBySku(item);
  const ts = typeof event.ts === 'string' ? Date.parse(event.ts) : Number.NaN;
  if (!product || Number.isNaN(ts) || typeof event.segment !== 'string') return null;
  const visitor = typeof event.visitor === 'string' ? event.visitor : null;
  return { visitor, segment: event.segment, item: product.sku, category: product.category, ts, kind };
}

/** One event-file line as an interaction; null for anything else (other pages, bad lines). */
export function interactionFromLine(line: string): Interaction | null {
  const at = line.indexOf(' :: ');
  if (at < 0) return null;
  let event: Record<string, unknown> | null;
  try {
    event = record(JSON.parse(line.slice(at + 4)));
  } catch {
    return null;
  }
  if (event === null) return null;
  const endpoint = line.slice(0, at);
  if (endpoint === 'personalization_events' && event.status === 200 && typeof event.path === 'string') {
    const sku = PRODUCT_PATH.exec(event.path)?.[1];
    return sku ? interaction(event, sku, 'view') : null;
  }
  if (endpoint === 'clickstream' && (event.type === 'click' || event.type === 'add_to_cart') && typeof event.item === 'string') {
    // Putting an item in the basket says as much as buying it.
    const basket = event.type === 'add_to_cart' || event.slot === 'add-to-cart';
    return interaction(event, event.item, basket ? 'purchase' : 'click');
  }
  return null;
}

export function interactionsFromText(text: string): Interaction[] {
  const out: Interaction[] = [];
  for (const line of text.split('\n')) {
    const parsed = interactionFromLine(line);
    if (parsed) out.push(parsed);
  }
  return out;
}
