import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../collector/events/parse-log-line.ts';
import { clickEvent, decisionEvent } from '../event-lines.ts';

const decision = (patch: Record<string, unknown>) => `personalization_events :: ${JSON.stringify({ ...decisionEvent(), v: 2, ...patch })}`;
const beacon = (patch: Record<string, unknown>) => `clickstream :: ${JSON.stringify({ ...clickEvent(), v: 2, attribution: 'token', ...patch })}`;

describe('decision event schema v2', () => {
  it('reads exposed, preview and the decision token', () => {
    const parsed = parseLogLine(decision({ exposed: ['hero-copy'], preview: true, decision: 'abc.def' }));
    expect(parsed.ok && parsed.kind === 'decision' && [parsed.event.exposed, parsed.event.preview, parsed.event.decision]).toEqual([['hero-copy'], true, 'abc.def']);
  });

  it('reads a v1 line as nothing exposed, no preview and no token', () => {
    const parsed = parseLogLine(`personalization_events :: ${JSON.stringify(decisionEvent({ variants: { 'hero-copy': 'control' } }))}`);
    expect(parsed.ok && parsed.kind === 'decision' && [parsed.event.v, parsed.event.exposed, parsed.event.preview, parsed.event.decision]).toEqual([1, [], false, null]);
  });

  it.each([
    { name: 'exposed as a string', patch: { exposed: 'hero-copy' }, reason: /exposed/ },
    { name: 'a repeated exposed name', patch: { exposed: ['a', 'a'] }, reason: /exposed/ },
    { name: 'markup in exposed', patch: { exposed: ['<b>'] }, reason: /exposed/ },
    { name: 'preview as a string', patch: { preview: 'yes' }, reason: /preview/ },
    { name: 'a control character in the token', patch: { decision: 'a\u0000b' }, reason: /decision/ },
    { name: 'an overlong token', patch: { decision: 'x'.repeat(3000) }, reason: /decision/ },
  ])('rejects $name with a reason', ({ patch, reason }) => {
    const parsed = parseLogLine(decision(patch));
    expect(parsed.ok ? 'accepted' : parsed.reason).toMatch(reason);
  });
});

describe('clickstream event schema v2', () => {
  it.each(['impression', 'click', 'add_to_cart', 'purchase'])('accepts type %s', (type) => {
    expect(parseLogLine(beacon({ type })).ok).toBe(true);
  });

  it('reads value, attribution, exposed and preview', () => {
    const parsed = parseLogLine(beacon({ type: 'purchase', value: 59.9, exposed: ['hero-copy'], preview: true }));
    expect(parsed.ok && parsed.kind === 'clickstream' && [parsed.event.value, parsed.event.attribution, parsed.event.exposed, parsed.event.preview]).toEqual([59.9, 'token', ['hero-copy'], true]);
  });

  it('drops the variants of an unattributed beacon, whatever the line claims', () => {
    const parsed = parseLogLine(beacon({ attribution: 'none', segment: null, variants: { 'hero-copy': 'bold' } }));
    expect(parsed.ok && parsed.kind === 'clickstream' && [parsed.event.variants, parsed.event.segment]).toEqual([{}, null]);
  });

  it('keeps reading v1 beacons, with no attribution', () => {
    const parsed = parseLogLine(`clickstream :: ${JSON.stringify(clickEvent())}`);
    expect(parsed.ok && parsed.kind === 'clickstream' && [parsed.event.v, parsed.event.attribution, parsed.event.value]).toEqual([1, null, null]);
  });

  it.each([
    { name: 'a conversion type on a v1 line', line: `clickstream :: ${JSON.stringify({ ...clickEvent(), type: 'purchase' })}`, reason: /type/ },
    { name: 'a missing attribution', line: beacon({ attribution: undefined }), reason: /attribution/ },
    { name: 'an unknown attribution', line: beacon({ attribution: 'guess' }), reason: /attribution/ },
    { name: 'a negative value', line: beacon({ value: -1 }), reason: /value/ },
    { name: 'a string value', line: beacon({ value: '59.9' }), reason: /value/ },
    { name: 'an unknown type', line: beacon({ type: 'refund' }), reason: /type/ },
  ])('rejects $name with a reason', ({ line, reason }) => {
    const parsed = parseLogLine(line);
    expect(parsed.ok ? 'accepted' : parsed.reason).toMatch(reason);
  });
});
