/**
 * A synthetic clickstream with planted tastes, for when the collector has stored nothing yet and
 * for measuring quality. Each visitor has a favourite category (most of what they look at comes
 * from it), a segment that only partly reflects it (as the edge's rules would assign), and looks
 * at items without repeats, more often at popular ones. A few views end in a purchase.
 */
import { CATEGORIES, PRODUCTS, type Category, type Product } from '../data/catalog.ts';
import { mulberry32, pickWeighted } from '../data/seeded-random.ts';
import type { Interaction } from './interaction.ts';

export interface SyntheticOptions {
  visitors: number;
  seed: number;
  /** Epoch ms of the last event; events spread over `spanMs` before it. */
  end: number;
  spanMs: number;
  /** Share of views from the visitor's favourite category. */
  focus?: number;
}

export interface SyntheticVisitor {
  id: string;
  segment: string;
  taste: Category;
  events: Interaction[];
}

const SEGMENT_FOR: Record<Category, readonly (readonly [string, number])[]> = {
  running: [['runner', 50], ['general', 30], ['mobile-visitor', 15], ['vip', 5]],
  outdoor: [['outdoor', 50], ['general', 30], ['mobile-visitor', 15], ['vip', 5]],
  shoes: [['runner', 20], ['general', 50], ['mobile-visitor', 20], ['vip', 10]],
  jackets: [['vip', 20], ['outdoor', 15], ['general', 45], ['mobile-visitor', 20]],
};

const BY_CATEGORY = new Map(CATEGORIES.map((category) => [category, PRODUCTS.filter((item) => item.category === category)]));

function pickItem(random: () => number, pool: readonly Product[], seen: ReadonlySet<string>): Product | null {
  const options = pool.filter((item) => !seen.has(item.sku)).map((item) => [item, item.popularity + 0.05] as const);
  return options.length === 0 ? null : pickWeighted(random(), options);
}

function visitor(index: number, random: () => number, options: SyntheticOptions): SyntheticVisitor {
  const id = `syn-${index}`;
  const taste = pickWeighted<Category>(random(), [['running', 30], ['outdoor', 30], ['shoes', 20], ['jackets', 20]]);
  const segment = pickWeighted(random(), SEGMENT_FOR[taste]);
  const length = 6 + Math.floor(random() * 10);
  const seen = new Set<string>();
  let ts = options.end - Math.floor(random() * options.spanMs);
  const events: Interaction[] = [];
  for (let step = 0; step < length; step++) {
    const category = random() < (options.focus ?? 0.75) ? taste : (CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? taste);
    const item = pickItem(random, BY_CATEGORY.get(category) ?? [], seen);
    if (!item) continue;
    seen.add(item.sku);
    const kind = random() < 0.08 ? 'purchase' : random() < 0.3 ? 'click' : 'view';
    events.push({ visitor: id, segment, item: item.sku, category: item.category, ts, kind });
    ts += 20_000 + Math.floor(random() * 120_000);
  }
  return { id, segment, taste, events };
}

export function syntheticVisitors(options: SyntheticOptions): SyntheticVisitor[] {
  const random = mulberry32(options.seed);
  return Array.from({ length: options.visitors }, (_, index) => visitor(index, random, options));
}

export function syntheticClickstream(options: SyntheticOptions): Interaction[] {
  return syntheticVisitors(options).flatMap((entry) => entry.events);
}
