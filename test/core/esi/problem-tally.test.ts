import { expect, it } from 'vitest';
import { ProblemTally } from '../../../src/core/esi/problem-tally.ts';

it('reports nothing for a page without problems', () => {
  const told: string[] = [];
  new ProblemTally().report((line) => told.push(line));
  expect(told).toEqual([]);
});

it('reports every kind with its count in one line', () => {
  const tally = new ProblemTally();
  tally.add('stray closing tag dropped');
  tally.add('unknown esi element dropped');
  tally.add('stray closing tag dropped');
  const told: string[] = [];
  tally.report((line) => told.push(line));
  expect(told).toEqual(['3 problems: stray closing tag dropped ×2; unknown esi element dropped ×1']);
});

it('folds kinds past the sixteenth into other problems', () => {
  const tally = new ProblemTally();
  for (let i = 0; i < 18; i++) tally.add(`kind ${i}`);
  expect(tally.summary()).toMatch(/^18 problems: .*; other problems ×2$/);
});

it('survives a problem sink that throws', () => {
  const tally = new ProblemTally();
  tally.add('stray closing tag dropped');
  expect(() => tally.report(() => {
    throw new Error('sink down');
  })).not.toThrow();
});
