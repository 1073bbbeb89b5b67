import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseLogLine } from '../../collector/events/parse-log-line.ts';
import { analyzeLog } from '../../collector/report/analyze-log.ts';
import type { AggregateSnapshot } from '../../collector/aggregates/aggregate-snapshot.ts';
import { emptyFlatRows, flattenClickstream, flattenDecision } from '../../warehouse/flatten-events.ts';
import { openWarehouse, queryFile, type Row } from './duckdb-database.ts';
import { decisionEvent } from '../collector/event-lines.ts';

const FIXTURE = fileURLToPath(new URL('../collector/fixtures/mixed-events.txt', import.meta.url));

let db: DuckDBConnection;
let snapshot: AggregateSnapshot;
const rowsOf: Record<string, Row[]> = {};
const query = (name: string): Row[] => rowsOf[name]!;

beforeAll(async () => {
  const rows = emptyFlatRows();
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    const parsed = parseLogLine(line);
    if (parsed.ok && parsed.kind === 'decision') flattenDecision(rows, parsed.event);
    else if (parsed.ok) flattenClickstream(rows, parsed.event);
  }
  const { experiment_decisions: _d, experiment_beacons: _b, ...dashboardTables } = rows;
  db = await openWarehouse(['flat_tables.sql'], dashboardTables);
  for (const name of ['segment_mix.sql', 'profile_outcomes.sql', 'cache_hit_ratios.sql', 'latency_percentiles.sql', 'fragment_failures.sql', 'experiment_ctr.sql']) {
    rowsOf[name] = await queryFile(db, name);
  }
  snapshot = await analyzeLog(FIXTURE);
});

describe('warehouse SQL in DuckDB against the collector on the fixture log', () => {
  it('loads a fixture with real volume and rejects its garbage lines', () => {
    expect(snapshot.totals.decisions).toBeGreaterThan(50);
    expect(snapshot.totals.rejected).toBeGreaterThan(5);
    expect(query('segment_mix.sql').reduce((sum, r) => sum + Number(r.page_views), 0)).toBe(snapshot.totals.decisions);
  });

  it('segment_mix.sql matches the segment mix', () => {
    expect(Object.fromEntries(query('segment_mix.sql').map((r) => [r.segment, r.page_views]))).toEqual(snapshot.segments);
  });

  it('profile_outcomes.sql matches the profile outcomes', () => {
    expect(Object.fromEntries(query('profile_outcomes.sql').map((r) => [r.profile_outcome, r.page_views]))).toEqual(snapshot.profileOutcomes);
  });

  it('cache_hit_ratios.sql matches every tier', () => {
    const rows = query('cache_hit_ratios.sql');
    for (const tier of ['template', 'fragment', 'page'] as const) {
      const row = rows.find((r) => r.tier === tier)!;
      expect({ tier, hits: row.hits, total: row.total }).toEqual({ tier, hits: snapshot.cache[tier].hits, total: snapshot.cache[tier].total });
      expect(row.ratio).toBeCloseTo(snapshot.cache[tier].ratio!, 12);
    }
  });

  it('latency_percentiles.sql matches every percentile per page cache state', () => {
    const rows = query('latency_percentiles.sql');
    expect(rows.map((r) => r.page_cache)).toEqual(snapshot.latency.map((l) => l.pageCache));
    for (const row of snapshot.latency) {
      const sql = rows.find((r) => r.page_cache === row.pageCache)!;
      expect(sql).toEqual({
        page_cache: row.pageCache, page_views: row.count,
        ttfb_p50: row.ttfb.p50, ttfb_p95: row.ttfb.p95, ttfb_p99: row.ttfb.p99,
        total_p50: row.total.p50, total_p95: row.total.p95, total_p99: row.total.p99,
      });
    }
  });

  it('fragment_failures.sql matches the failure rates', () => {
    const rows = query('fragment_failures.sql');
    expect(rows.map((r) => [r.src, r.total, r.failures])).toEqual(snapshot.fragments.map((f) => [f.src, f.total, f.failures]));
    rows.forEach((r, i) => expect(r.failure_rate).toBeCloseTo(snapshot.fragments[i]!.failureRate, 12));
  });

  it('experiment_ctr.sql matches exposures, clicks, CTR and the Wilson interval', () => {
    const rows = query('experiment_ctr.sql');
    expect(rows.length).toBe(snapshot.experiments.length);
    snapshot.experiments.forEach((e, i) => {
      const r = rows[i]!;
      expect([r.experiment, r.variant, r.exposures, r.impressions, r.clicks]).toEqual([e.experiment, e.variant, e.exposures, e.impressions, e.clicks]);
      expect(r.ctr).toBeCloseTo(e.ctr!, 12);
      expect(r.ctr_low).toBeCloseTo(e.ctrLow!, 12);
      expect(r.ctr_high).toBeCloseTo(e.ctrHigh!, 12);
    });
  });
});

describe('profile_skip_reasons.sql', () => {
  const line = (profile: Record<string, unknown>, n: number): string =>
    `personalization_events :: ${JSON.stringify({ ...decisionEvent({ requestId: `r${n}` }), profile })}`;

  it('counts skipped lookups per reason, with reasons the collector does not know and reasons on other outcomes left out', async () => {
    const rows = emptyFlatRows();
    const profiles = [
      { outcome: 'skipped', ms: 0, reason: 'breaker-open' },
      { outcome: 'skipped', ms: 0, reason: 'breaker-open' },
      { outcome: 'skipped', ms: 0, reason: 'no-consent' },
      { outcome: 'skipped', ms: 0, reason: 'from-the-future' },
      { outcome: 'skipped', ms: 0 },
      { outcome: 'hit', ms: 4, reason: 'no-id' },
    ];
    profiles.forEach((profile, n) => {
      const parsed = parseLogLine(line(profile, n));
      if (!parsed.ok || parsed.kind !== 'decision') throw new Error(`line ${n} was not accepted`);
      flattenDecision(rows, parsed.event);
    });
    const connection = await openWarehouse(['flat_tables.sql'], { decision_events: rows.decision_events });
    expect(await queryFile(connection, 'profile_skip_reasons.sql')).toEqual([
      { profile_reason: 'breaker-open', page_views: 2 },
      { profile_reason: 'no-consent', page_views: 1 },
      { profile_reason: null, page_views: 2 },
    ]);
  });
});
