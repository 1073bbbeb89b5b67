/**
 * The `segments` document of `personalization_config` (docs/contracts.md#configuration): ordered rules, first match
 * wins, one default. Validated as a whole at the boundary: any invalid part (unknown path or
 * operator, wrong value type, over a size cap) rejects the document, the built-in defaults apply
 * and the problems are returned as data.
 */
import type { Parsed } from './settings.ts';
import { memoByText } from './text-memo.ts';

/** Where a condition reads its value; `affinity` is `profile.affinities.<name>`. */
export type ValuePath =
  | 'device' | 'geo.region' | 'geo.country' | 'locale' | 'session.categories'
  | 'profile.id' | 'profile.tier' | 'profile.locale' | 'profile.updatedAt' | 'profile.segments' | 'profile.recentCategories'
  | { affinity: string };

/**
 * One operator on one path. `contains` on a list is membership; on a string it is a
 * case-sensitive substring test. `in` is membership of the value in the listed set.
 */
export type Condition =
  | { path: ValuePath; op: 'eq' | 'ne'; value: string | number }
  | { path: ValuePath; op: 'in'; value: readonly (string | number)[] }
  | { path: ValuePath; op: 'gte' | 'lte'; value: number }
  | { path: ValuePath; op: 'exists'; value: boolean }
  | { path: ValuePath; op: 'contains'; value: string };

export type Operator = Condition['op'];

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
export const MAX_CONDITIONS_PER_RULE = 16;
const MAX_IN_VALUES = 64;
const MAX_STRING_VALUE = 256;
export const MAX_SEGMENTS_TEXT = 64 * 1024;
const SEGMENT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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

type Kind = 'string' | 'number' | 'list';

const PATH_KINDS: Readonly<Record<string, Kind>> = {
  device: 'string',
  'geo.region': 'string',
  'geo.country': 'string',
  locale: 'string',
  'session.categories': 'list',
  'profile.id': 'string',
  'profile.tier': 'string',
  'profile.locale': 'string',
  'profile.updatedAt': 'string',
  'profile.segments': 'list',
  'profile.recentCategories': 'list',
};

/** Which operators make sense for which kind of value; anything else rejects the document. */
const OPERATORS: Readonly<Record<Kind, readonly Operator[]>> = {
  string: ['eq', 'ne', 'in', 'exists', 'contains'],
  number: ['eq', 'ne', 'in', 'gte', 'lte', 'exists'],
  list: ['contains', 'exists'],
};

const AFFINITY_PREFIX = 'profile.affinities.';

function conditionsOf(raw: unknown, where: string, problems: string[]): readonly Condition[] {
  if (!isRecord(raw)) return fail(problems, `${where} must be an object of path → operators`) ?? [];
  const conditions: Condition[] = [];
  const paths = Object.keys(raw);
  for (let p = 0; p < paths.length; p++) {
    const pathText = paths[p]!;
    const operators = raw[pathText];
    const path = pathOf(pathText);
    if (path === null) {
      problems.push(`${where}: unknown path ${JSON.stringify(pathText.slice(0, 60))}`);
      continue;
    }
    if (!isRecord(operators) || Object.keys(operators).length === 0) {
      problems.push(`${where}.${pathText.slice(0, 60)} must be a non-empty object of operators`);
      continue;
    }
    const kind = typeof path === 'string' ? (PATH_KINDS[path] ?? 'string') : 'number';
    const ops = Object.keys(operators);
    for (let o = 0; o < ops.length; o++) {
      const op = ops[o]!;
      const condition = conditionOf(path, kind, op, operators[op]);
      if (condition === null) problems.push(`${where}.${pathText.slice(0, 60)}: invalid operator or value for ${JSON.stringify(op.slice(0, 20))}`);
      else conditions.push(condition);
    }
  }
  if (conditions.length > MAX_CONDITIONS_PER_RULE) problems.push(`${where}: at most ${MAX_CONDITIONS_PER_RULE} conditions`);
  return Object.freeze(conditions);
}

function pathOf(text: string): ValuePath | null {
  if (text.startsWith(AFFINITY_PREFIX)) {
    const affinity = text.slice(AFFINITY_PREFIX.length);
    return SEGMENT_NAME.test(affinity) ? Object.freeze({ affinity }) : null;
  }
  return Object.hasOwn(PATH_KINDS, text) ? (text as ValuePath) : null;
}

function conditionOf(path: ValuePath, kind: Kind, op: string, value: unknown): Condition | null {
  if (!(OPERATORS[kind] as readonly string[]).includes(op)) return null;
  const scalar = kind === 'number' ? isNumber : isShortString;
  switch (op) {
    case 'eq':
    case 'ne':
      return scalar(value) ? { path, op, value } : null;
    case 'in':
      return inList(value, scalar) ? { path, op, value: Object.freeze(value.slice()) } : null;
    case 'gte':
    case 'lte':
      return isNumber(value) ? { path, op, value } : null;
    case 'exists':
      return typeof value === 'boolean' ? { path, op, value } : null;
    case 'contains':
      return isShortString(value) && value.length > 0 ? { path, op, value } : null;
    default:
      return null;
  }
}

function inList(value: unknown, scalar: (item: unknown) => item is string | number): value is (string | number)[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) return false;
  const items: unknown[] = value;
  for (let i = 0; i < items.length; i++) if (!scalar(items[i])) return false;
  return true;
}

function unknownKeys(raw: Record<string, unknown>, known: readonly string[], where: string, problems: string[]): void {
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    if (!known.includes(keys[i]!)) problems.push(`${where}unknown key ${JSON.stringify(keys[i]!.slice(0, 40))}`);
  }
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_STRING_VALUE;
}

function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function fail(problems: string[], message: string): null {
  problems.push(message);
  return null;
}
