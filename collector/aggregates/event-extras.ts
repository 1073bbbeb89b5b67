/**
 * Optional event fields the dashboard shows when the edge logs them, read leniently from the raw
 * line (a missing or unrecognized value is null, never a rejection): why a profile lookup was
 * skipped (`profile.reason`) and how a profile write went (`profileWrite.outcome`).
 */
import { PROFILE_SKIP_REASONS } from '../../src/core/log/vocabulary.ts';
import type { ProfileSkipReason } from '../../src/core/log/vocabulary.ts';

export interface EventExtras {
  profileReason: ProfileSkipReason | null;
  profileWrite: 'ok' | 'timeout' | 'error' | null;
  /** A conversion's `value` (pounds), when it is a sane non-negative number. */
  value: number | null;
}

const WRITES = ['ok', 'timeout', 'error'] as const;
export const NO_EXTRAS: EventExtras = Object.freeze({ profileReason: null, profileWrite: null, value: null });
const MAX_VALUE = 1_000_000;

function pick<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

export function readExtras(raw: string): EventExtras {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return NO_EXTRAS;
  }
  return {
    profileReason: pick(field(field(value, 'profile'), 'reason'), PROFILE_SKIP_REASONS),
    profileWrite: pick(field(field(value, 'profileWrite'), 'outcome'), WRITES),
    value: amount(field(value, 'value')),
  };
}

function amount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_VALUE ? value : null;
}
