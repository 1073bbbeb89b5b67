/**
 * Page views split by POP, device class and geo region since the collector started: how many, the
 * fallback rate and TTFB p95 (null below MIN_PERCENTILE_SAMPLES). Keys are capped per dimension so
 * hostile values cannot grow memory; past the cap they count as "other".
 */
import type { DecisionFields as DecisionEvent } from '../events/decision-event-schema.ts';
import type { EventExtras } from './event-extras.ts';
import { pageFallback } from './fallback-cause.ts';
import { SampleWindow } from './percentiles.ts';
import { MIN_PERCENTILE_SAMPLES } from './time-series.ts';

export const DIMENSIONS = ['pop', 'device', 'geo'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface BreakdownRow {
  key: string;
  pages: number;
  fallbackRate: number;
  ttfbP95: number | null;
}

const MAX_KEYS = 64;
const SAMPLES_PER_KEY = 2000;

interface Cell { pages: number; fallbacks: number; ttfb: SampleWindow }

export class Breakdowns {
  private readonly cells: Record<Dimension, Map<string, Cell>> = { pop: new Map(), device: new Map(), geo: new Map() };

  add(event: DecisionEvent, extras: EventExtras): void {
    const fellBack = pageFallback(event, extras).causes.size > 0;
    for (const dimension of DIMENSIONS) {
      const cells = this.cells[dimension];
      const key = cells.has(event[dimension]) || cells.size < MAX_KEYS ? event[dimension] : 'other';
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { pages: 0, fallbacks: 0, ttfb: new SampleWindow(SAMPLES_PER_KEY) }));
      cell.pages++;
      if (fellBack) cell.fallbacks++;
      cell.ttfb.add(event.ttfbMs);
    }
  }

  snapshot(): Record<Dimension, BreakdownRow[]> {
    const rows = (cells: Map<string, Cell>): BreakdownRow[] =>
      [...cells.entries()]
        .map(([key, cell]) => ({
          key,
          pages: cell.pages,
          fallbackRate: cell.fallbacks / cell.pages,
          ttfbP95: cell.pages < MIN_PERCENTILE_SAMPLES ? null : (cell.ttfb.percentiles([95]).p95 ?? null),
        }))
        .sort((a, b) => b.pages - a.pages || (a.key < b.key ? -1 : 1));
    return { pop: rows(this.cells.pop), device: rows(this.cells.device), geo: rows(this.cells.geo) };
  }
}
