import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../../collector/server/collector-server.ts';
import { loadExperimentSpecs } from '../../../collector/experiments/experiment-specs.ts';
import type { ExperimentsDocument } from '../../../collector/experiments/experiment-results.ts';
import { syntheticLog } from './synthetic-log.ts';

let collector: RunningCollector;
const specs = loadExperimentSpecs('fastly.toml');

beforeAll(async () => {
  collector = await startCollector({ port: 0, host: '127.0.0.1', outFile: null, experiments: specs.specs });
});
afterAll(async () => {
  await collector.close();
});

const results = async (): Promise<ExperimentsDocument> => (await fetch(new URL('/api/experiments', collector.url))).json() as Promise<ExperimentsDocument>;

describe('GET /api/experiments', () => {
  it('reads both demo experiments, weights and slots from fastly.toml without a problem', () => {
    expect(specs.problems).toEqual([]);
    expect(specs.specs.map((s) => [s.id, s.control, s.slots])).toEqual([['hero-copy', 'control', ['hero']], ['recs-layout', 'control', ['recs']]]);
  });

  it('reports every configured variant with zero counts and no SRM verdict before any event', async () => {
    const doc = await results();
    expect(doc.experiments.map((e) => [e.id, e.variants.map((v) => [v.id, v.weight, v.enrolled]), e.srm.mismatch, e.srm.pValue])).toEqual([
      ['hero-copy', [['control', 50, 0], ['bold', 50, 0]], false, null],
      ['recs-layout', [['control', 50, 0], ['grid', 50, 0]], false, null],
    ]);
  });

  it('serves the lift and SRM of a log posted to /ingest, and survives garbage in the batch', async () => {
    const lines = syntheticLog({
      seed: 3, visitors: 4000,
      experiments: [
        { id: 'hero-copy', slot: 'hero', weights: { control: 50, bold: 50 }, ctr: { control: 0.2, bold: 0.3 } },
        { id: 'recs-layout', slot: 'recs', weights: { control: 50, grid: 50 }, ctr: { control: 0.1, grid: 0.1 }, lost: { grid: 0.2 } },
      ],
    });
    const body = [...lines, 'garbage', '{"v":2,"type":"purchase","value":"NaN"}'].join('\n');
    const response = await fetch(new URL('/ingest', collector.url), { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(response.status).toBe(200);
    const [hero, recs] = (await results()).experiments;
    const bold = hero!.variants.find((v) => v.id === 'bold')!;
    expect(bold.metrics.clickThrough.lift!.pValue).toBeLessThan(0.001);
    expect(recs!.srm.mismatch).toBe(true);
    expect(hero!.srm.mismatch).toBe(false);
  });

  it('answers a HEAD and rejects a POST to the results path without a 5xx', async () => {
    expect((await fetch(new URL('/api/experiments', collector.url), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(new URL('/api/experiments', collector.url), { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
