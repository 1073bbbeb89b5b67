/**
 * The conditions of a `segments` rule (the `when` object: path → operators), checked at the
 * boundary. Each path has a kind of value (a string, a number, a list) and each kind a closed set of
 * operators; an unknown path, an operator that makes no sense for the kind or a value of the wrong
 * type is a problem, and segments.ts rejects the whole document on any problem.
 */
import { fail, isRecord } from './parsed-document.ts';

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

export const MAX_CONDITIONS_PER_RULE = 16;
const MAX_IN_VALUES = 64;
const MAX_STRING_VALUE = 256;
/** A segment's name, and an affinity's: the two are the same kind of label in the profile. */
export const SEGMENT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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

/** The conditions of one rule's `when`; `where` names the rule in the problems. */
export function conditionsOf(raw: unknown, where: string, problems: string[]): readonly Condition[] {
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

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_STRING_VALUE;
}
