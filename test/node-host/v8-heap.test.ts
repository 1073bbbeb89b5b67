import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/pretenured-count.ts', import.meta.url));
/**
 * `--single-threaded`: the pretenuring decision is acted on by optimized code, and with V8's
 * background compiler and GC threads whether that code exists before the probe runs is a race
 * (the default probe read 0 or 100 run to run, and 0 on a busy machine's full test run); on one
 * thread it reads 100 every time, and the tuned probe 0.
 */
const oldCount = (mode: string): number =>
  Number(execFileSync(process.execPath, ['--allow-natives-syntax', '--single-threaded', '--import', 'tsx', fixture, mode], { encoding: 'utf8' }).trim());

describe('tuneV8ForPages (the Node host turns off allocation-site pretenuring)', () => {
  it('V8 pretenures a long-lived site by default (the probe sees it)', () => {
    expect(oldCount('default')).toBeGreaterThan(50);
  }, 30_000);

  it('once tuned, the same site allocates young', () => {
    expect(oldCount('tuned')).toBe(0);
  }, 30_000);
});
