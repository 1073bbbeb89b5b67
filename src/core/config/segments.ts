/**
 * The `segments` document of `personalization_config` (docs/contracts.md#configuration): ordered rules, first match
 * wins, one default. Validated as a whole at the boundary: any invalid part (unknown path or
 * operator, wrong value type, over a size cap) rejects the document, the built-in defaults apply
 * and the problems are returned as data. This file reads the document and its rules; a rule's
 * conditions are checked by segment-conditions.ts.
 */
import { fail, isRecord, type Parsed } from './parsed-document.ts';
import { conditionsOf, SEGMENT_NAME, type Condition } from './segment-conditions.ts';
import { memoByText } from './text-memo.ts';

export interface SegmentRule {
  segment: string;
  /** All must hold; an empty list always matches. */
  conditions: readonly Condition[];
}

export interface SegmentConfig {
  version: 1;
  default: string;
  rules: readonly SegmentRule[];
  /** The closed set of outcomes: the default, then every rule's segment, without repeats. */
  segments: readonly string[];
}

export const MAX_SEGMENT_RULES = 64;
export const MAX_SEGMENTS_TEXT = 64 * 1024;

export const DEFAULT_SEGMENTS: SegmentConfig = Object.freeze({
  version: 1,
  default: 'general',
  rules: Object.freeze<SegmentRule[]>([]),
  segments: Object.freeze(['general']),
});

/** Parses the `segments` JSON text; null (absent key) means the defaults with no problem. */
export function parseSegments(text: string | null): Parsed<SegmentConfig> {
  return text === null ? { value: DEFAULT_SEGMENTS, problems: [] } : parseSegmentsMemo(text);
}

/** Remembered by text (text-memo.ts): validating the rules is interpreted work in the Wasm guest. */
const parseSegmentsMemo = memoByText(parseSegmentsText);

function parseSegmentsText(text: string): Parsed<SegmentConfig> {
  const problems: string[] = [];
  const value = text.length > MAX_SEGMENTS_TEXT ? fail(problems, `document over ${MAX_SEGMENTS_TEXT} characters`) : read(text, problems);
  if (value === null || problems.length > 0) {
    return { value: DEFAULT_SEGMENTS, problems: problems.map((p) => `segments: ${p}`) };
  }
  return { value, problems: [] };
}

function read(text: string, problems: string[]): SegmentConfig | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(problems, 'not valid JSON');
  }
  if (!isRecord(raw)) return fail(problems, 'must be a JSON object');
  // Indexed loops, no Sets or spreads of arrays: in the Wasm guest those run the engine's
  // self-hosted iterator code, interpreted, and this runs on every request there.
  unknownKeys(raw, ['version', 'default', 'rules'], '', problems);
  if (raw.version !== 1) problems.push('version must be 1');
  if (typeof raw.default !== 'string' || !SEGMENT_NAME.test(raw.default)) problems.push('default must be a segment name ([A-Za-z0-9_-]{1,64})');
  if (!Array.isArray(raw.rules) || raw.rules.length > MAX_SEGMENT_RULES) {
    return fail(problems, `rules must be an array of at most ${MAX_SEGMENT_RULES} rules`);
  }
  const list: unknown[] = raw.rules;
  const rules: SegmentRule[] = [];
  for (let i = 0; i < list.length; i++) rules.push(readRule(list[i], `rules[${i}]`, problems));
  if (problems.length > 0) return null;
  const defaultSegment = raw.default as string;
  const segments = [defaultSegment];
  for (let i = 0; i < rules.length; i++) if (!segments.includes(rules[i]!.segment)) segments.push(rules[i]!.segment);
  return Object.freeze({ version: 1, default: defaultSegment, rules: Object.freeze(rules), segments: Object.freeze(segments) });
}

function readRule(raw: unknown, where: string, problems: string[]): SegmentRule {
  const empty: SegmentRule = { segment: '', conditions: [] };
  if (!isRecord(raw)) return fail(problems, `${where} must be an object`) ?? empty;
  unknownKeys(raw, ['segment', 'when'], `${where}: `, problems);
  if (typeof raw.segment !== 'string' || !SEGMENT_NAME.test(raw.segment)) {
    return fail(problems, `${where}.segment must be a segment name ([A-Za-z0-9_-]{1,64})`) ?? empty;
  }
  const conditions = conditionsOf(raw.when, `${where}.when`, problems);
  return Object.freeze({ segment: raw.segment, conditions });
}

function unknownKeys(raw: Record<string, unknown>, known: readonly string[], where: string, problems: string[]): void {
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    if (!known.includes(keys[i]!)) problems.push(`${where}unknown key ${JSON.stringify(keys[i]!.slice(0, 40))}`);
  }
}
