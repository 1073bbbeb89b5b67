import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/pretenured-count.ts', import.meta.url));
/**
 * `--single-threaded`: the pretenuring decision is acted on by optimized code, and with V8's
 * background compiler and GC threads whether that code exists before the probe runs is a race
 * (the default probe read 0 or 100 run to run). On one thread it still depended on GC timing under
 * load (the default probe read 0 in 6 of 6 tries twice in one full run at load ~10, 4 of 6 at load
 * 2). `--max-semi-space-size=1` makes the young generation 1 MB, so the site's 4 million objects
 * go through hundreds of scavenges and the decision is always taken: 18 of 18 default probes read
 * 100 with 12 at once on 2 cores, and tuned ones 0. The retries stay as a margin.
 */
const oldCount = (mode: string): number =>
  Number(execFileSync(process.execPath, ['--allow-natives-syntax', '--single-threaded', '--max-semi-space-size=1', '--import', 'tsx', fixture, mode], { encoding: 'utf8' }).trim());
const mostOldOf = (mode: string, tries: number): number => {
  let most = 0;
  for (let i = 0; i < tries && most <= 50; i++) most = Math.max(most, oldCount(mode));
  return most;
};

describe('tuneV8ForPages (the Node host turns off allocation-site pretenuring)', () => {
  it('V8 pretenures a long-lived site by default (the probe sees it)', () => {
    expect(mostOldOf('default', 6)).toBeGreaterThan(50);
  }, 90_000);

  it('once tuned, the same site allocates young', () => {
    // Every run: a tuned process that pretenured even once would fail.
    expect([oldCount('tuned'), oldCount('tuned'), oldCount('tuned')]).toEqual([0, 0, 0]);
  }, 90_000);
});
