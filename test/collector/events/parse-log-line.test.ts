import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../collector/events/parse-log-line.ts';
import { clickEvent, clickLine, decisionEvent, decisionLine } from '../event-lines.ts';

const bad = (patch: Record<string, unknown>) => `personalization_events :: ${JSON.stringify({ ...decisionEvent(), ...patch })}`;

describe('parseLogLine', () => {
  it.each([
    { name: 'a stdout decision line', line: decisionLine(), kind: 'decision' },
    { name: 'a stdout clickstream line', line: clickLine(), kind: 'clickstream' },
    { name: 'a bare decision JSON line', line: JSON.stringify(decisionEvent()), kind: 'decision' },
    { name: 'a bare clickstream JSON line', line: JSON.stringify(clickEvent()), kind: 'clickstream' },
    { name: 'a line ending in CR', line: `${decisionLine()}\r`, kind: 'decision' },
    { name: 'a truncated-fragments marker', line: decisionLine({ fragmentsTruncated: 3 }), kind: 'decision' },
    { name: 'an event with an unknown extra field', line: bad({ future: 'x' }), kind: 'decision' },
  ])('accepts $name', ({ line, kind }) => {
    const parsed = parseLogLine(line);
    expect(parsed.ok && parsed.kind).toBe(kind);
  });

  it.each([
    { name: 'a blank line', line: '   ' },
    { name: 'another endpoint', line: 'stdout :: hello' },
  ])('ignores $name without counting it', ({ line }) => {
    expect(parseLogLine(line)).toEqual({ ok: false, reason: null });
  });

  it.each([
    { name: 'truncated JSON', line: decisionLine().slice(0, 80), reason: 'invalid JSON' },
    { name: 'plain text', line: 'hello world', reason: 'not an event line' },
    { name: 'an overlong line', line: `clickstream :: ${'x'.repeat(20_000)}`, reason: 'line too long' },
    { name: 'a JSON object of neither kind', line: '{"a":1}', reason: 'unknown event kind' },
    { name: 'schema version 3', line: bad({ v: 3 }), reason: 'decision: v must be 1 or 2' },
    { name: 'markup in a segment', line: bad({ segment: '<script>' }), reason: /segment/ },
    { name: 'an unknown page cache state', line: bad({ pageCache: 'MAYBE' }), reason: /pageCache/ },
    { name: 'a negative duration', line: bad({ ttfbMs: -1 }), reason: /ttfbMs/ },
    { name: 'an infinite-looking duration', line: bad({ totalMs: 1e12 }), reason: /totalMs/ },
    { name: 'a raw visitor id', line: bad({ visitor: 'u00042' }), reason: /visitor/ },
    { name: 'a string status', line: bad({ status: '200' }), reason: /status/ },
    { name: 'fragments as an object', line: bad({ fragments: {} }), reason: /fragments/ },
    { name: 'a fragment with a bad outcome', line: bad({ fragments: [{ src: '/f', outcome: 'meh', ms: 1, cache: 'HIT' }] }), reason: /outcome/ },
    { name: 'a control character in a path', line: bad({ path: '/a\u0000b' }), reason: /path/ },
    { name: 'a variant with spaces', line: bad({ variants: { 'hero copy': 'bold' } }), reason: /variants/ },
    { name: 'a click with an unknown type', line: clickLine({ type: 'buy' as 'click' }), reason: /type/ },
    { name: 'a click with an absolute page', line: clickLine({ page: 'https://x.example/' }), reason: /page/ },
    { name: 'a clickstream line holding a decision event', line: `clickstream :: ${JSON.stringify(decisionEvent())}`, reason: /clickstream/ },
    { name: 'a JSON array', line: 'personalization_events :: []', reason: /object/ },
    { name: 'JSON null', line: 'clickstream :: null', reason: /object/ },
  ])('rejects $name with a reason', ({ line, reason }) => {
    const parsed = parseLogLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('uses the endpoint hint for bare lines', () => {
    const parsed = parseLogLine(JSON.stringify(decisionEvent()), 'clickstream');
    expect(parsed.ok).toBe(false);
  });
});
