import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExperiments, type Experiment } from '../../../src/core/config/experiments.ts';
import { assignVariant } from '../../../src/core/decision/experiment-assignment.ts';
import { hash32, hash32After } from '../../../src/core/decision/visitor-hash.ts';

const experiment = (overrides: Record<string, unknown> = {}): Experiment => {
  const parsed = parseExperiments(
    JSON.stringify([{ id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], rollout: 100, segments: [], ...overrides }]),
  );
  expect(parsed.problems).toEqual([]);
  return parsed.value[0]!;
};

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `visitor-${i.toString(36)}-${(i * 7919).toString(36)}`);

function shares(exp: Experiment, visitors: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of visitors) {
    const variant = assignVariant(exp, id, 'general');
    counts[variant] = (counts[variant] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / visitors.length]));
}

describe('assignVariant', () => {
  it.each([
    { name: '50/50', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }] },
    { name: '10/30/60', variants: [{ id: 'control', weight: 10 }, { id: 'a', weight: 30 }, { id: 'b', weight: 60 }] },
    { name: '1/99', variants: [{ id: 'control', weight: 1 }, { id: 'b', weight: 99 }] },
    { name: '25/0/75', variants: [{ id: 'control', weight: 25 }, { id: 'never', weight: 0 }, { id: 'b', weight: 75 }] },
  ])('splits 100,000 ids within 1% of the weights ($name)', ({ variants }) => {
    const exp = experiment({ variants });
    const total = variants.reduce((sum, v) => sum + v.weight, 0);
    const observed = shares(exp, ids(100_000));
    for (const variant of variants) expect(Math.abs((observed[variant.id] ?? 0) - variant.weight / total)).toBeLessThan(0.01);
  });

  it('never changes for an id, across calls and fresh config objects', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 100 }), (id, rollout) => {
        expect(assignVariant(experiment({ rollout }), id, 'general')).toBe(assignVariant(experiment({ rollout }), id, 'general'));
      }),
    );
  });

  it('puts rollout% of visitors in the experiment and the rest in control', () => {
    const observed = shares(experiment({ rollout: 20 }), ids(100_000));
    expect(Math.abs((observed.bold ?? 0) - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((observed.control ?? 0) - 0.9)).toBeLessThan(0.01);
  });

  it('never reshuffles variants when the rollout grows: only control visitors move', () => {
    const low = experiment({ rollout: 30 });
    const high = experiment({ rollout: 70 });
    let moved = 0;
    for (const id of ids(20_000)) {
      const before = assignVariant(low, id, 'general');
      const after = assignVariant(high, id, 'general');
      if (before !== after) {
        moved++;
        expect(before).toBe('control');
      }
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('keeps everyone on control at rollout 0 (kill switch)', () => {
    expect(Object.keys(shares(experiment({ rollout: 0 }), ids(5000)))).toEqual(['control']);
  });

  it('gives control without a visitor id', () => {
    expect(assignVariant(experiment({ variants: [{ id: 'control', weight: 0 }, { id: 'b', weight: 1 }] }), null, 'general')).toBe('control');
  });

  it('gives control outside the targeted segments and assigns inside them', () => {
    const exp = experiment({ variants: [{ id: 'control', weight: 0 }, { id: 'b', weight: 1 }], segments: ['runner'] });
    expect(assignVariant(exp, 'abc', 'general')).toBe('control');
    expect(assignVariant(exp, 'abc', 'runner')).toBe('b');
  });

  it('assigns independently per experiment id', () => {
    const a = experiment({ id: 'a' });
    const b = experiment({ id: 'b' });
    const same = ids(10_000).filter((id) => assignVariant(a, id, 'general') === assignVariant(b, id, 'general')).length;
    expect(Math.abs(same / 10_000 - 0.5)).toBeLessThan(0.03);
  });
});

/** An independent reference: FNV-1a 32 over TextEncoder bytes, then murmur3 fmix32. */
function referenceHash(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('hash32', () => {
  it.each(['', 'a', 'hero-copy\0u00042', 'é', '\u20ac', '\u{1F600}', 'a\ud800b', '\udc00'])('matches the reference for %j', (text) => {
    expect(hash32(text)).toBe(referenceHash(text));
  });

  it('hashes any string exactly as FNV-1a + fmix32 of its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(hash32(text)).toBe(referenceHash(text));
      }),
    );
  });

  it('hashes a remembered prefix and the rest exactly as the whole string, on every call', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (id, rest) => {
        const prefix = `${id}\0`;
        expect(hash32After(prefix, rest)).toBe(referenceHash(prefix + rest));
        expect(hash32After(prefix, rest)).toBe(referenceHash(prefix + rest));
      }),
    );
  });

  it('matches the published FNV-1a vector before finalizing', () => {
    // FNV-1a 32 of "a" is 0xe40c292c (IETF draft-eastlake-fnv, test vectors).
    expect(referenceHash('a')).toBe(fmix(0xe40c292c));
  });
});

function fmix(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('assignments stay where visitors already are', () => {
  // Literal values recorded from the implementation visitors were assigned with: a change to the
  // hash or the bucketing that moves anyone fails here, whatever the reference above says.
  it.each([
    { text: 'hero-copy\0u00042', hash: 1977026929 },
    { text: 'rollout\0hero-copy\0u00042', hash: 575022857 },
    { text: 'é', hash: 2387039943 },
    { text: '\u{1F600}', hash: 855877642 },
  ])('hashes $text to $hash', ({ text, hash }) => {
    expect(hash32(text)).toBe(hash);
  });

  it('assigns the recorded variants at a 60 % rollout over three weighted variants', () => {
    const exp = experiment({ id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 30 }, { id: 'quiet', weight: 20 }], rollout: 60 });
    const ids = ['u00040', 'u00041', 'u00042', 'u00043', 'u00044', 'u00045', 'u00046', 'u00047', 'u00048', 'u00049', 'u00050', 'u00051', 'é-id'];
    expect(ids.map((id) => assignVariant(exp, id, 'general'))).toEqual([
      'control', 'control', 'control', 'control', 'quiet', 'control', 'control', 'control', 'quiet', 'control', 'control', 'control', 'bold',
    ]);
  });
});
