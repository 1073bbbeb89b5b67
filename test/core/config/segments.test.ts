import { describe, expect, it } from 'vitest';
import { MAX_CONDITIONS_PER_RULE } from '../../../src/core/config/segment-conditions.ts';
import { DEFAULT_SEGMENTS, MAX_SEGMENT_RULES, parseSegments } from '../../../src/core/config/segments.ts';

const DEMO = JSON.stringify({
  version: 1,
  default: 'general',
  rules: [
    { segment: 'vip', when: { 'profile.tier': { in: ['gold', 'platinum'] } } },
    { segment: 'runner', when: { 'profile.affinities.running': { gte: 0.6 } } },
    { segment: 'runner', when: { 'session.categories': { contains: 'running' } } },
    { segment: 'mobile-visitor', when: { device: { eq: 'mobile' } } },
  ],
});

const doc = (rules: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ version: 1, default: 'general', rules, ...extra });

describe('parseSegments', () => {
  it('returns the defaults without a problem when the key is absent', () => {
    expect(parseSegments(null)).toEqual({ value: DEFAULT_SEGMENTS, problems: [] });
  });

  it('parses the demo document into rules and the closed set of outcomes', () => {
    const { value, problems } = parseSegments(DEMO);
    expect(problems).toEqual([]);
    expect(value.segments).toEqual(['general', 'vip', 'runner', 'mobile-visitor']);
    expect(value.rules[1]).toEqual({ segment: 'runner', conditions: [{ path: { affinity: 'running' }, op: 'gte', value: 0.6 }] });
  });

  it('reads several operators on one path as separate conditions', () => {
    const { value } = parseSegments(doc([{ segment: 'mid', when: { 'profile.affinities.x': { gte: 0.2, lte: 0.8 } } }]));
    expect(value.rules[0]?.conditions.map((c) => c.op)).toEqual(['gte', 'lte']);
  });

  it.each([
    { name: 'invalid JSON', text: '{"version": 1,', problem: 'not valid JSON' },
    { name: 'an array', text: '[]', problem: 'must be a JSON object' },
    { name: 'a wrong version', text: JSON.stringify({ version: 2, default: 'general', rules: [] }), problem: 'version must be 1' },
    { name: 'a missing default', text: JSON.stringify({ version: 1, rules: [] }), problem: 'default must be' },
    { name: 'a bad default name', text: doc([], { default: 'a b' }), problem: 'default must be' },
    { name: 'rules not an array', text: doc([], { rules: {} }), problem: 'rules must be an array' },
    { name: 'an unknown top-level key', text: doc([], { extra: 1 }), problem: 'unknown key "extra"' },
    { name: 'an unknown operator', text: doc([{ segment: 'a', when: { device: { regex: '.*' } } }]), problem: 'invalid operator or value for "regex"' },
    { name: 'an unknown path', text: doc([{ segment: 'a', when: { 'request.header': { eq: 'x' } } }]), problem: 'unknown path "request.header"' },
    { name: 'a bare affinities path', text: doc([{ segment: 'a', when: { 'profile.affinities': { exists: true } } }]), problem: 'unknown path' },
    { name: 'gte on a string path', text: doc([{ segment: 'a', when: { 'profile.tier': { gte: 1 } } }]), problem: 'invalid operator' },
    { name: 'a string for gte', text: doc([{ segment: 'a', when: { 'profile.affinities.x': { gte: '0.5' } } }]), problem: 'invalid operator' },
    { name: 'a number for a string eq', text: doc([{ segment: 'a', when: { device: { eq: 1 } } }]), problem: 'invalid operator' },
    { name: 'an empty in list', text: doc([{ segment: 'a', when: { device: { in: [] } } }]), problem: 'invalid operator' },
    { name: 'a non-boolean exists', text: doc([{ segment: 'a', when: { device: { exists: 'yes' } } }]), problem: 'invalid operator' },
    { name: 'eq on a list path', text: doc([{ segment: 'a', when: { 'session.categories': { eq: 'x' } } }]), problem: 'invalid operator' },
    { name: 'an empty operator object', text: doc([{ segment: 'a', when: { device: {} } }]), problem: 'non-empty object of operators' },
    { name: 'a rule without segment', text: doc([{ when: {} }]), problem: 'segment must be a segment name' },
    { name: 'a rule with a bad segment name', text: doc([{ segment: 'vip|x', when: {} }]), problem: 'segment must be a segment name' },
    { name: 'a rule with an unknown key', text: doc([{ segment: 'a', when: {}, priority: 1 }]), problem: 'unknown key "priority"' },
    { name: 'when not an object', text: doc([{ segment: 'a', when: [] }]), problem: 'when must be an object' },
    {
      name: 'too many rules',
      text: doc(Array.from({ length: MAX_SEGMENT_RULES + 1 }, () => ({ segment: 'a', when: {} }))),
      problem: 'at most 64 rules',
    },
    {
      name: 'too many conditions',
      text: doc([{ segment: 'a', when: Object.fromEntries(Array.from({ length: MAX_CONDITIONS_PER_RULE + 1 }, (_, i) => [`profile.affinities.a${i}`, { gte: 0 }])) }]),
      problem: 'at most 16 conditions',
    },
    { name: 'an oversize document', text: ' '.repeat(70_000), problem: 'document over' },
  ])('rejects $name as a whole with a problem', ({ text, problem }) => {
    const parsed = parseSegments(text);
    expect(parsed.value).toBe(DEFAULT_SEGMENTS);
    expect(parsed.problems.join('\n')).toContain(problem);
    expect(parsed.problems.every((p) => p.startsWith('segments: '))).toBe(true);
  });

  it('rejects the whole document when only one rule of many is bad', () => {
    const parsed = parseSegments(doc([{ segment: 'ok', when: { device: { eq: 'mobile' } } }, { segment: 'bad', when: { device: { like: 'x' } } }]));
    expect(parsed.value).toBe(DEFAULT_SEGMENTS);
    expect(parsed.problems).toHaveLength(1);
  });
});
