/**
 * Per experiment, one entry per visitor pseudonym: the variant they were enrolled in, whether any
 * page exposed them, and what they did. Counting per visitor (not per page view) keeps a heavy
 * visitor from weighing like many, and makes the rates proportions of independent units, which
 * is what the intervals and tests assume. A visitor seen in two variants of one experiment (a
 * weight change mid-run) is excluded from it and counted as mixed. Beacons may arrive before the
 * page's decision event, so outcomes are kept per variant and matched at read time.
 */
import type { DecisionRecord } from '../events/decision-event-schema.ts';
import type { ClickstreamRecord } from '../events/clickstream-event-schema.ts';
import { beaconOutcome, decisionCounts } from './attribution-rule.ts';
import type { ExperimentSpec } from './experiment-specs.ts';

/** Visitors kept per experiment; past it new visitors are dropped and the experiment says so. */
export const MAX_VISITORS = 1_000_000;
const MIXED = '';

interface Outcomes { clicks: number; addToCart: number; purchases: number; value: number }
interface VisitorState { variant: string | null; exposed: boolean; outcomes: Map<string, Outcomes> }

export interface VariantCounts {
  id: string;
  enrolled: number;
  exposed: number;
  /** Event counts, from exposed visitors of this variant. */
  clicks: number; addToCart: number; purchases: number; value: number;
  /** Exposed visitors with at least one such event. */
  clickers: number; carters: number; purchasers: number;
}

export interface ExperimentCounts {
  spec: ExperimentSpec;
  variants: VariantCounts[];
  mixedVisitors: number;
  truncated: boolean;
}

export class VisitorLedger {
  private readonly visitors = new Map<string, Map<string, VisitorState>>();
  private readonly truncated = new Set<string>();

  constructor(readonly specs: readonly ExperimentSpec[], private readonly maxVisitors = MAX_VISITORS) {}

  addDecision(event: DecisionRecord): void {
    if (!decisionCounts(event) || event.visitor === null) return;
    for (const spec of this.specs) {
      const variant = event.variants[spec.id];
      if (variant === undefined) continue;
      const state = this.state(spec.id, event.visitor);
      if (!state) continue;
      state.variant = state.variant === null || state.variant === variant ? variant : MIXED;
      if (event.exposed.includes(spec.id)) state.exposed = true;
    }
  }

  addClickstream(event: ClickstreamRecord): void {
    if (event.visitor === null) return;
    for (const spec of this.specs) {
      const outcome = beaconOutcome(event, spec);
      const variant = event.variants[spec.id];
      if (outcome === null || variant === undefined) continue;
      const state = this.state(spec.id, event.visitor);
      if (!state) continue;
      const o = state.outcomes.get(variant) ?? { clicks: 0, addToCart: 0, purchases: 0, value: 0 };
      state.outcomes.set(variant, o);
      if (outcome === 'click') o.clicks++;
      else if (outcome === 'add_to_cart') o.addToCart++;
      else o.purchases++;
      if (outcome === 'purchase') o.value += event.value ?? 0;
    }
  }

  counts(): ExperimentCounts[] {
    return this.specs.map((spec) => {
      const rows = new Map(spec.variants.map((v) => [v.id, emptyCounts(v.id)]));
      let mixedVisitors = 0;
      for (const state of this.visitors.get(spec.id)?.values() ?? []) {
        if (state.variant === MIXED) mixedVisitors++;
        if (state.variant === null || state.variant === MIXED) continue;
        const row = rows.get(state.variant);
        if (!row) continue;
        row.enrolled++;
        if (!state.exposed) continue;
        row.exposed++;
        const o = state.outcomes.get(state.variant);
        if (!o) continue;
        row.clicks += o.clicks; row.addToCart += o.addToCart; row.purchases += o.purchases; row.value += o.value;
        if (o.clicks > 0) row.clickers++;
        if (o.addToCart > 0) row.carters++;
        if (o.purchases > 0) row.purchasers++;
      }
      return { spec, variants: [...rows.values()], mixedVisitors, truncated: this.truncated.has(spec.id) };
    });
  }

  private state(experiment: string, visitor: string): VisitorState | null {
    let visitors = this.visitors.get(experiment);
    if (!visitors) this.visitors.set(experiment, (visitors = new Map<string, VisitorState>()));
    let state = visitors.get(visitor);
    if (!state) {
      if (visitors.size >= this.maxVisitors) {
        this.truncated.add(experiment);
        return null;
      }
      state = { variant: null, exposed: false, outcomes: new Map() };
      visitors.set(visitor, state);
    }
    return state;
  }
}

function emptyCounts(id: string): VariantCounts {
  return { id, enrolled: 0, exposed: 0, clicks: 0, addToCart: 0, purchases: 0, value: 0, clickers: 0, carters: 0, purchasers: 0 };
}
