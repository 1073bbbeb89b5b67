/**
 * The short load profile that runs in CI (R12 in the notes; k6 constant-arrival-rate): a few
 * seconds of open-model load on the local stack with jittered origins. It asserts no errors and
 * no cross-visitor leaks, and that the leak check saw real per-visitor content; not latency.
 */
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../load/run-load.ts';

describe('load (source: notes R12, constant-arrival-rate with jittered origins)', () => {
  it('serves 3 s at 40 req/s with no errors and no cross-visitor leaks', async () => {
    const report = await runLoad({ rate: 40, durationMs: 3_000, visitors: 50 });
    expect(report.scheduled).toBe(120);
    expect(report.completed + report.dropped).toBe(report.scheduled);
    expect(report.errors).toBe(0);
    expect(report.leaks).toBe(0);
    expect(report.ownContent).toBeGreaterThan(0);
    expect(report.peakEdgeRssMiB).toBeGreaterThan(0);
  }, 30_000);
});
