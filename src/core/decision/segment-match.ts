/**
 * Evaluates the segment rules of docs/contracts.md#configuration over profile, context and session: first matching
 * rule wins, else the default. A missing value (no profile, a null field, an absent affinity, an
 * empty list) fails every operator except `ne` and `exists: false`.
 */
import type { Condition, ValuePath } from '../config/segment-conditions.ts';
import type { SegmentConfig } from '../config/segments.ts';
import type { Profile } from '../profile/profile.ts';

/** The visitor facts rules can read (a subset of VisitorFacts, so tests can build it small). */
export interface SegmentFacts {
  device: string;
  geo: { country: string | null; region: string };
  locale: string;
  session: { categories: readonly string[] };
}

type Value = string | number | readonly string[] | null;

export function matchSegment(config: SegmentConfig, facts: SegmentFacts, profile: Profile | null): string {
  const { rules } = config;
  // Indexed loops and no callbacks: in the Wasm guest `for…of` and `every` are interpreted calls.
  for (let i = 0; i < rules.length; i++) {
    if (allHold(rules[i]!.conditions, facts, profile)) return rules[i]!.segment;
  }
  return config.default;
}

function allHold(conditions: readonly Condition[], facts: SegmentFacts, profile: Profile | null): boolean {
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i]!;
    if (!holds(condition, valueAt(condition.path, facts, profile))) return false;
  }
  return true;
}

function valueAt(path: ValuePath, facts: SegmentFacts, profile: Profile | null): Value {
  if (typeof path !== 'string') return profile?.affinities[path.affinity] ?? null;
  switch (path) {
    case 'device':
      return facts.device;
    case 'geo.region':
      return facts.geo.region;
    case 'geo.country':
      return facts.geo.country;
    case 'locale':
      return facts.locale;
    case 'session.categories':
      return facts.session.categories;
    case 'profile.id':
      return profile?.id ?? null;
    case 'profile.tier':
      return profile?.tier ?? null;
    case 'profile.locale':
      return profile?.locale ?? null;
    case 'profile.updatedAt':
      return profile?.updatedAt ?? null;
    case 'profile.segments':
      return profile?.segments ?? null;
    case 'profile.recentCategories':
      return profile?.recentCategories ?? null;
  }
}

function holds(condition: Condition, value: Value): boolean {
  const missing = value === null || (Array.isArray(value) && value.length === 0);
  if (missing) return condition.op === 'ne' || (condition.op === 'exists' && !condition.value);
  switch (condition.op) {
    case 'exists':
      return condition.value;
    case 'eq':
      return value === condition.value;
    case 'ne':
      return value !== condition.value;
    case 'in':
      return (typeof value === 'string' || typeof value === 'number') && condition.value.includes(value);
    case 'gte':
      return typeof value === 'number' && value >= condition.value;
    case 'lte':
      return typeof value === 'number' && value <= condition.value;
    case 'contains':
      return typeof value === 'string' ? value.includes(condition.value) : Array.isArray(value) && value.includes(condition.value);
  }
}
