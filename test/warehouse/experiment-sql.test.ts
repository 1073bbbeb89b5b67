import { beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine } from '../../collector/events/parse-log-line.ts';
import { createLineIngestor } from '../../collector/events/line-ingestor.ts';
import { experimentsDocument, METRICS, type ExperimentResult } from '../../collector/experiments/experiment-results.ts';
import { emptyFlatRows, experimentConfigRows, flattenClickstream, flattenDecision } from '../../warehouse/flatten-events.ts';
import { HERO, RECS, specsOf, syntheticLog, type SyntheticExperiment } from '../collector/experiments/synthetic-log.ts';
import { openWarehouse, queryFile, type Row } from './duckdb-database.ts';

// A four-variant experiment as well, so the SRM's Wilson-Hilferty branch (df = 3) runs next to df = 1.
const QUAD: SyntheticExperiment = { id: 'banner-copy', slot: 'banner', weights: { control: 40, short: 30, long: 20, emoji: 10 }, ctr: { control: 0.1, short: 0.1, long: 0.14, emoji: 0.1 } };
const EXPERIMENTS = [HERO, { ...RECS, lost: { grid: 0.25 } }, QUAD];
const specs = specsOf(EXPERIMENTS);
const LOG = syntheticLog({ seed: 5, visitors: 5000, experiments: EXPERIMENTS });

let api: ExperimentResult[];
let sql: Row[];

beforeAll(async () => {
  const ingestor = createLineIngestor(undefined, undefined, specs);
  const rows = emptyFlatRows();
  for (const line of LOG) {
    ingestor.ingestLine(line);
    const parsed = parseLogLine(line);
    if (parsed.ok && parsed.kind === 'decision') flattenDecision(rows, parsed.event);
    else if (parsed.ok) flattenClickstream(rows, parsed.event);
  }
  api = experimentsDocument(ingestor.experiments.counts()).experiments;
  const db = await openWarehouse(['experiment_tables.sql'], {
    experiment_decisions: rows.experiment_decisions, experiment_beacons: rows.experiment_beacons, ...experimentConfigRows(specs),
  });
  sql = await queryFile(db, 'experiment_results.sql');
}, 120_000);

const close = (a: number | null, b: unknown, digits: number): void => {
  if (a === null) expect(b).toBeNull();
  else expect(b as number).toBeCloseTo(a, digits);
};

describe('warehouse experiment_results.sql in DuckDB against GET /api/experiments on the same synthetic log', () => {
  it('has one row per experiment, variant and metric', () => {
    expect(sql.length).toBe(api.reduce((n, e) => n + e.variants.length * METRICS.length, 0));
  });

  it('gives the same visitor and event counts', () => {
    for (const e of api) for (const v of e.variants) {
      const row = sql.find((r) => r.experiment === e.id && r.variant === v.id && r.metric === 'clickThrough')!;
      expect([row.weight, row.enrolled, row.exposed, row.clicks, row.add_to_cart, row.purchases]).toEqual([v.weight, v.enrolled, v.exposed, v.clicks, v.addToCart, v.purchases]);
      expect(row.value).toBeCloseTo(v.value, 6);
    }
  });

  it('gives the same rates, intervals and lifts to 12 digits, and p-values to 6', () => {
    for (const e of api) for (const v of e.variants) for (const metric of METRICS) {
      const row = sql.find((r) => r.experiment === e.id && r.variant === v.id && r.metric === metric)!;
      const m = v.metrics[metric];
      expect(row.successes).toBe(m.visitors);
      close(m.rate, row.rate, 12);
      close(m.low, row.rate_low, 12);
      close(m.high, row.rate_high, 12);
      close(m.lift?.relative ?? null, row.lift, 12);
      close(m.lift?.low ?? null, row.lift_low, 12);
      close(m.lift?.high ?? null, row.lift_high, 12);
      close(m.lift?.pValue ?? null, row.p_value, 6);
    }
  });

  it('gives the same SRM statistic and verdict, with p exact to 6 digits at df 1 and within 0.01 at df 3', () => {
    for (const e of api) {
      const row = sql.find((r) => r.experiment === e.id)!;
      close(e.srm.chiSquare, row.srm_chi_square, 9);
      close(e.srm.pValue, row.srm_p_value, e.srm.degreesOfFreedom >= 3 ? 2 : 6);
      expect([e.id, row.srm_mismatch]).toEqual([e.id, e.srm.mismatch]);
    }
    expect(api.map((e) => [e.id, e.srm.degreesOfFreedom, e.srm.mismatch])).toEqual([['hero-copy', 1, false], ['recs-layout', 1, true], ['banner-copy', 3, false]]);
  });
});
