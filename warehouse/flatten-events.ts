/**
 * Flattens validated events into the rows of the relations warehouse/sql reads (see
 * sql/flat_tables.sql and sql/experiment_tables.sql): what warehouse/bigquery/flat_views.sql does
 * with UNNEST in BigQuery, for engines without nested columns (the SQLite and DuckDB tests; a
 * Postgres load).
 */
import type { ExperimentSpec } from '../collector/experiments/experiment-specs.ts';
import type { DecisionRecord as DecisionEvent } from '../collector/events/decision-event-schema.ts';
import type { ClickstreamRecord as ClickstreamEvent } from '../collector/events/clickstream-event-schema.ts';

export type SqlValue = string | number | boolean | null;

export interface FlatRows {
  decision_events: SqlValue[][];
  decision_fragments: SqlValue[][];
  decision_variants: SqlValue[][];
  clickstream_events: SqlValue[][];
  clickstream_variants: SqlValue[][];
  experiment_decisions: SqlValue[][];
  experiment_beacons: SqlValue[][];
}

export function emptyFlatRows(): FlatRows {
  return {
    decision_events: [], decision_fragments: [], decision_variants: [], clickstream_events: [], clickstream_variants: [],
    experiment_decisions: [], experiment_beacons: [],
  };
}

export function flattenDecision(rows: FlatRows, e: DecisionEvent): void {
  rows.decision_events.push([e.requestId, e.ts, e.path, e.segment, e.consent, e.profile.outcome, e.profile.reason ?? null, e.template.cache, e.pageCache, e.ttfbMs, e.totalMs]);
  for (const f of e.fragments) rows.decision_fragments.push([e.requestId, f.src, f.outcome, f.cache, f.ms]);
  for (const [experiment, variant] of Object.entries(e.variants)) {
    rows.decision_variants.push([e.requestId, experiment, variant]);
    rows.experiment_decisions.push([e.ts, e.requestId, e.visitor, e.v, e.preview, experiment, variant, e.exposed.includes(experiment)]);
  }
}

export function flattenClickstream(rows: FlatRows, e: ClickstreamEvent): void {
  rows.clickstream_events.push([e.requestId, e.ts, e.type, e.slot, e.item, e.page, e.segment, e.consent]);
  for (const [experiment, variant] of Object.entries(e.variants)) {
    rows.clickstream_variants.push([e.requestId, e.type, experiment, variant]);
    const pageExposed = e.exposed === null ? null : e.exposed.includes(experiment);
    rows.experiment_beacons.push([e.ts, e.requestId, e.visitor, e.v, e.preview, e.attribution, e.type, e.slot, experiment, variant, pageExposed, e.value]);
  }
}

/** The rows of experiment_config and experiment_slots for the configured experiments. */
export function experimentConfigRows(specs: readonly ExperimentSpec[]): { experiment_config: SqlValue[][]; experiment_slots: SqlValue[][] } {
  return {
    experiment_config: specs.flatMap((s) => s.variants.map((v) => [s.id, v.id, v.weight, v.id === s.control])),
    experiment_slots: specs.flatMap((s) => [...new Set(s.slots)].map((slot) => [s.id, slot])),
  };
}
