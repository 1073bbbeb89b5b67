import { describe, expect, it } from 'vitest';
import { createLineIngestor } from '../../../collector/events/line-ingestor.ts';
import { experimentsDocument, type ExperimentResult } from '../../../collector/experiments/experiment-results.ts';
import { HERO, RECS, specsOf, syntheticLog, type SyntheticExperiment } from './synthetic-log.ts';

const SPECS = specsOf([HERO, RECS]);

function results(lines: readonly string[]): ExperimentResult[] {
  const ingestor = createLineIngestor(undefined, undefined, SPECS);
  for (const line of lines) ingestor.ingestLine(line);
  return experimentsDocument(ingestor.experiments.counts()).experiments;
}

const variant = (e: ExperimentResult | undefined, id: string) => e!.variants.find((v) => v.id === id)!;

describe('experiment statistics on a synthetic log with a planted effect and a planted SRM', () => {
  const [hero, recs] = results(syntheticLog({ seed: 1, visitors: 40_000, experiments: [HERO, RECS] }));

  it('recovers the planted +30% click-through lift of bold within 0.1, significant at p < 0.001', () => {
    const lift = variant(hero, 'bold').metrics.clickThrough.lift!;
    expect(lift.relative).toBeGreaterThan(0.2);
    expect(lift.relative).toBeLessThan(0.4);
    expect(lift.low).toBeGreaterThan(0);
    expect(lift.pValue).toBeLessThan(0.001);
  });

  it('recovers the planted control click-through rate of 20% within 1.5 points', () => {
    const ctr = variant(hero, 'control').metrics.clickThrough;
    expect(Math.abs(ctr.rate! - 0.2)).toBeLessThan(0.015);
  });

  it('flags the planted sample-ratio mismatch (10% of grid visitors lost) and not the healthy experiment', () => {
    expect(recs!.srm.mismatch).toBe(true);
    expect(recs!.srm.pValue).toBeLessThan(0.001);
    expect(hero!.srm.mismatch).toBe(false);
    expect(hero!.srm.pValue).toBeGreaterThan(0.001);
  });

  it('shows no significant click-through difference where none was planted', () => {
    const lift = variant(recs, 'grid').metrics.clickThrough.lift!;
    expect(lift.pValue).toBeGreaterThan(0.05);
    expect(lift.low! < 0 && lift.high! > 0).toBe(true);
  });

  it('counts per visitor: enrolled equals the visitors kept, whatever their page views', () => {
    const enrolled = hero!.variants.reduce((sum, v) => sum + v.enrolled, 0);
    expect(enrolled).toBe(recs!.variants.reduce((sum, v) => sum + v.enrolled, 0));
    expect(enrolled).toBeGreaterThan(36_000);
    expect(enrolled).toBeLessThan(40_000);
    expect(hero!.variants.every((v) => v.exposed === v.enrolled && v.metrics.clickThrough.visitors <= v.exposed)).toBe(true);
  });

  it('finds the planted 5% purchase rate with no lift and no revenue from previews', () => {
    const bold = variant(hero, 'bold');
    expect(Math.abs(bold.metrics.purchase.rate! - 0.05)).toBeLessThan(0.01);
    expect(bold.metrics.purchase.lift!.pValue).toBeGreaterThan(0.01);
    expect(bold.value).toBeCloseTo(bold.purchases * 59.9, 2);
  });
});

describe('experiment statistics with no planted effect, over 20 seeds', () => {
  const flat: SyntheticExperiment[] = [{ ...HERO, ctr: { control: 0.2, bold: 0.2 } }, { ...RECS, lost: {} }];
  const runs = Array.from({ length: 20 }, (_, seed) => results(syntheticLog({ seed: 100 + seed, visitors: 4_000, experiments: flat })));
  const lifts = runs.flatMap(([hero, recs]) => [variant(hero, 'bold'), variant(recs, 'grid')]).map((v) => v.metrics.clickThrough.lift!);

  it('calls at most 4 of 40 null comparisons significant at p < 0.05 (2 expected)', () => {
    expect(lifts.filter((l) => l.pValue! < 0.05).length).toBeLessThanOrEqual(4);
  });

  it('covers zero lift with the 95% interval in at least 36 of 40 comparisons', () => {
    expect(lifts.filter((l) => l.low! < 0 && l.high! > 0).length).toBeGreaterThanOrEqual(36);
  });

  it('raises at most one SRM flag in 40 healthy experiments (0.04 expected)', () => {
    expect(runs.flat().filter((e) => e.srm.mismatch).length).toBeLessThanOrEqual(1);
  });
});
