import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENTS, parseExperiments } from '../../../src/core/config/experiments.ts';

const exp = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'hero-copy',
  variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }],
  rollout: 100,
  segments: ['general'],
  ...overrides,
});

describe('parseExperiments', () => {
  it('returns no experiments without a problem when the key is absent', () => {
    expect(parseExperiments(null)).toEqual({ value: DEFAULT_EXPERIMENTS, problems: [] });
  });

  it('parses an experiment and finds its control', () => {
    const { value, problems } = parseExperiments(JSON.stringify([exp()]));
    expect(problems).toEqual([]);
    expect(value).toEqual([{ id: 'hero-copy', variants: [{ id: 'control', weight: 50 }, { id: 'bold', weight: 50 }], control: 'control', rollout: 100, segments: ['general'] }]);
  });

  it.each([
    { name: 'the variant named control, not the first', variants: [{ id: 'a', weight: 1 }, { id: 'control', weight: 1 }], control: 'control' },
    { name: 'the first variant when none is named control', variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], control: 'a' },
  ])('uses $name as control', ({ variants, control }) => {
    expect(parseExperiments(JSON.stringify([exp({ variants })])).value[0]?.control).toBe(control);
  });

  it('defaults rollout to 100 and segments to all', () => {
    const { value } = parseExperiments(JSON.stringify([{ id: 'x', variants: [{ id: 'control', weight: 1 }] }]));
    expect(value[0]).toMatchObject({ rollout: 100, segments: [] });
  });

  it.each([
    { name: 'invalid JSON', text: '[{', problem: 'not valid JSON' },
    { name: 'an object', text: '{}', problem: 'must be an array' },
    { name: 'a bad id', text: JSON.stringify([exp({ id: 'a b' })]), problem: '.id must be a name' },
    { name: 'duplicate ids', text: JSON.stringify([exp(), exp()]), problem: 'ids must be unique' },
    { name: 'no variants', text: JSON.stringify([exp({ variants: [] })]), problem: 'variants must be an array' },
    { name: 'a negative weight', text: JSON.stringify([exp({ variants: [{ id: 'control', weight: -1 }] })]), problem: 'weights must be integers' },
    { name: 'a string weight', text: JSON.stringify([exp({ variants: [{ id: 'control', weight: '50' }] })]), problem: 'weights must be integers' },
    { name: 'all-zero weights', text: JSON.stringify([exp({ variants: [{ id: 'control', weight: 0 }] })]), problem: 'at least one weight' },
    { name: 'duplicate variants', text: JSON.stringify([exp({ variants: [{ id: 'a', weight: 1 }, { id: 'a', weight: 1 }] })]), problem: 'variant ids must be unique' },
    { name: 'rollout over 100', text: JSON.stringify([exp({ rollout: 101 })]), problem: 'rollout must be' },
    { name: 'a string rollout', text: JSON.stringify([exp({ rollout: '50' })]), problem: 'rollout must be' },
    { name: 'segments not names', text: JSON.stringify([exp({ segments: [1] })]), problem: 'segments must be' },
    { name: 'an unknown key', text: JSON.stringify([exp({ salt: 'x' })]), problem: 'unknown key "salt"' },
    { name: 'too many experiments', text: JSON.stringify(Array.from({ length: 17 }, (_, i) => exp({ id: `e${i}` }))), problem: 'at most 16' },
    { name: 'an oversize document', text: ' '.repeat(70_000), problem: 'document over' },
  ])('rejects $name as a whole with a problem', ({ text, problem }) => {
    const parsed = parseExperiments(text);
    expect(parsed.value).toBe(DEFAULT_EXPERIMENTS);
    expect(parsed.problems.join('\n')).toContain(problem);
  });
});
