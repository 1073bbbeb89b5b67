/**
 * A deterministic synthetic experiment log (seeded PRNG, no Math.random) with known truth: per
 * experiment a per-visitor click-through rate per variant (a planted lift), an optional share of
 * one variant's visitors whose events are lost (a planted SRM), and noise the rules must ignore:
 * previews, unattributed beacons, v1 lines, clicks in slots the experiment does not shape,
 * unexposed pages and visitors without a pseudonym.
 */
import { mulberry32 } from '../../../origin/data/seeded-random.ts';
import type { ExperimentSpec } from '../../../collector/experiments/experiment-specs.ts';

export interface SyntheticExperiment {
  id: string;
  slot: string;
  weights: Record<string, number>;
  /** Probability that an exposed visitor clicks the slot at least once, per variant. */
  ctr: Record<string, number>;
  /** Share of a variant's visitors whose events never arrive (planted SRM). */
  lost?: Record<string, number>;
}

export interface SyntheticOptions {
  seed: number;
  visitors: number;
  experiments: readonly SyntheticExperiment[];
  /** Probability that a visitor adds to cart and purchases, whatever the variants (default 0.05). */
  purchase?: number;
}

/** The demo's two experiments with a planted +30% lift (hero-copy) and a planted SRM (recs-layout). */
export const HERO: SyntheticExperiment = { id: 'hero-copy', slot: 'hero', weights: { control: 50, bold: 50 }, ctr: { control: 0.2, bold: 0.26 } };
export const RECS: SyntheticExperiment = { id: 'recs-layout', slot: 'recs', weights: { control: 50, grid: 50 }, ctr: { control: 0.15, grid: 0.15 }, lost: { grid: 0.1 } };

/** The collector's view of synthetic experiments: weights in order, the first variant control. */
export function specsOf(experiments: readonly SyntheticExperiment[]): ExperimentSpec[] {
  return experiments.map((e) => ({ id: e.id, control: Object.keys(e.weights)[0]!, variants: Object.entries(e.weights).map(([id, weight]) => ({ id, weight })), slots: [e.slot] }));
}

const START = Date.parse('2026-11-20T00:00:00.000Z');
const DECISION = { v: 2, pop: 'LHR', status: 200, consent: 'granted', geo: 'eu-west', device: 'desktop', profile: { outcome: 'hit', ms: 9 }, template: { cache: 'HIT', ms: 2 }, fragments: [], pageCache: 'MISS', ttfbMs: 20, totalMs: 40, cpuMs: 1 };

export function syntheticLog(options: SyntheticOptions): string[] {
  const rng = mulberry32(options.seed);
  const lines: string[] = [];
  let clock = 0;
  const ts = (): string => new Date(START + (clock += 3_000)).toISOString();
  const pick = (weights: Record<string, number>): string => {
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    let r = rng() * total;
    for (const [id, w] of Object.entries(weights)) if ((r -= w) < 0) return id;
    return Object.keys(weights)[0]!;
  };
  for (let i = 0; i < options.visitors; i++) {
    const visitor = `v${i.toString(36).padStart(21, '0')}`;
    const variants: Record<string, string> = {};
    let lost = false;
    for (const e of options.experiments) {
      variants[e.id] = pick(e.weights);
      if (rng() < (e.lost?.[variants[e.id]!] ?? 0)) lost = true;
    }
    if (lost) continue;
    const decision = (exposed: string[], extra: object = {}): void => {
      lines.push(`personalization_events :: ${JSON.stringify({ ...DECISION, ts: ts(), requestId: `r${lines.length}`, path: '/', segment: 'general', variants, visitor, exposed, ...extra })}`);
    };
    const beacon = (type: string, slot: string, extra: object = {}): void => {
      lines.push(`clickstream :: ${JSON.stringify({ v: 2, ts: ts(), requestId: `r${lines.length}`, type, slot, item: 'sku-1', page: '/', segment: 'general', variants, consent: 'granted', visitor, attribution: 'token', exposed: options.experiments.map((e) => e.id), ...extra })}`);
    };
    // Page views: a first unexposed one (the experiments' parts fell back), then 1-3 exposed ones.
    decision([]);
    const views = 1 + Math.floor(rng() * 3);
    for (let p = 0; p < views; p++) decision(options.experiments.map((e) => e.id));
    for (const e of options.experiments) {
      const variant = variants[e.id]!;
      if (rng() < e.ctr[variant]!) for (let c = 1 + Math.floor(rng() * 3); c > 0; c--) beacon('click', e.slot);
    }
    if (rng() < (options.purchase ?? 0.05)) {
      beacon('add_to_cart', 'add-to-cart');
      beacon('purchase', 'checkout', { value: 59.9 });
    }
    noise(rng, beacon, decision, variants, visitor, ts, lines);
  }
  return lines;
}

/** Events that would bias the readout if counted: they all favour non-control variants. */
function noise(
  rng: () => number,
  beacon: (type: string, slot: string, extra?: object) => void,
  decision: (exposed: string[], extra?: object) => void,
  variants: Record<string, string>,
  visitor: string,
  ts: () => string,
  lines: string[],
): void {
  const favoured = Object.values(variants).some((v) => v !== 'control');
  if (!favoured) return;
  beacon('click', 'promo');
  if (rng() < 0.5) beacon('click', 'hero', { attribution: 'none', variants: undefined });
  if (rng() < 0.3) {
    decision(Object.keys(variants), { preview: true });
    beacon('click', 'hero', { preview: true });
    beacon('click', 'recs', { preview: true });
  }
  if (rng() < 0.3) beacon('click', 'recs', { visitor: null });
  if (rng() < 0.2) lines.push(`clickstream :: ${JSON.stringify({ v: 1, ts: ts(), requestId: `r${lines.length}`, type: 'click', slot: 'hero', item: 'sku-1', page: '/', segment: 'general', variants, consent: 'granted', visitor })}`);
}
