/**
 * The `jitter` fault used by the load test: a random per-request delay with a long, capped tail,
 * parsed from documents and CLI flags like the other faults.
 */
import { describe, expect, it } from 'vitest';
import { jitterMs } from '../../../origin/faults/send-with-fault.ts';
import { parseFault } from '../../../origin/faults/parse-fault.ts';
import { parseFaultFlag } from '../../../origin/faults/parse-fault-flag.ts';

describe('jitter fault', () => {
  it.each([
    { random: 0, expected: 0 },
    { random: 1 - Math.exp(-1), expected: 20 },
    { random: 0.999999, expected: 100 },
  ])('maps a uniform draw of $random to $expected ms with mean 20 and cap 100', ({ random, expected }) => {
    expect(jitterMs(20, 100, () => random)).toBe(expected);
  });

  it('has a mean near the configured mean', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const draws = Array.from({ length: 20_000 }, () => jitterMs(10, 1_000, random));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(11);
  });

  it('parses a document with a default cap of ten times the mean', () => {
    expect(parseFault({ kind: 'jitter', ms: 5 })).toEqual({ ok: true, fault: { kind: 'jitter', ms: 5, maxMs: 50 } });
    expect(parseFault({ kind: 'jitter', ms: 5, maxMs: 2 })).toMatchObject({ ok: false });
  });

  it('parses the CLI flag with the mean as its parameter', () => {
    expect(parseFaultFlag('fragments=jitter:15')).toEqual({ ok: true, spec: { backend: 'fragments', kind: 'jitter', ms: 15, maxMs: 150 } });
  });
});
