import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExposureTracker, PAGE_SLOT, slotOfPath, type Guard } from '../../../src/core/experiments/exposure.ts';

/** The rule as first written: the last non-empty segment, when it is a slot name. */
function slotBySplit(path: string): string {
  const segment = path.split('/').filter((s) => s.length > 0).pop() ?? '';
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment) ? segment : PAGE_SLOT;
}

describe('slotOfPath', () => {
  it.each([
    ['/fragments/hero', 'hero'],
    ['/fragments/hero/', 'hero'],
    ['/fragments/hero//', 'hero'],
    ['hero', 'hero'],
    ['/', PAGE_SLOT],
    ['', PAGE_SLOT],
    ['///', PAGE_SLOT],
    ['/fragments/recs/candidates?seg=vip', PAGE_SLOT],
    ['/fragments/ab?x=1/promo', 'promo'],
    [`/fragments/${'a'.repeat(65)}`, PAGE_SLOT],
  ])('%s → %s', (path, slot) => {
    expect(slotOfPath(path)).toBe(slot);
  });

  it('is the last non-empty segment, as split and filter give it, for any path', () => {
    const piece = fc.constantFrom('/', '//', 'hero', 'a-b_9', '?q=1', 'é', '', 'x'.repeat(64), 'y'.repeat(65));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const path = pieces.join('');
        expect(slotOfPath(path)).toBe(slotBySplit(path));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ExposureTracker.recordInclude', () => {
  const rendered: Guard[] = [];
  const known = (): boolean => true;

  it('records an include\'s reads in its slot attribute, else its path\'s last segment', () => {
    const tracker = new ExposureTracker();
    tracker.recordInclude([['VARIANT', 'hero-copy']], null, '/fragments/hero', rendered);
    tracker.recordInclude([['VARIANT', 'promo'], ['SEGMENT', null]], 'banner', '/fragments/hero', rendered);
    expect(tracker.exposure(known)).toEqual({ 'hero-copy': ['hero'], promo: ['banner'] });
  });

  it('records nothing for an include whose URL read no variable', () => {
    const tracker = new ExposureTracker();
    tracker.recordInclude([], null, '/fragments/hero', rendered);
    expect(tracker.exposure(known)).toEqual({});
  });
});
