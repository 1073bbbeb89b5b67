/**
 * What an `<esi:include>` tag asks for, read from its attributes: `src`, `alt`,
 * `onerror="continue"`, `timeout` (whole milliseconds, 1 to 120,000) and the ranking attributes.
 * An include whose attributes do not parse, or without `src`, fails as refused; a timeout that is
 * not a number of milliseconds is ignored (the page's fragment timeout applies).
 */
import { rankSpecOf, type RankSpec } from './ranked-include.ts';
import type { ExposureTracker, Guard } from '../experiments/exposure.ts';

const MAX_TIMEOUT_MS = 120_000;

export interface IncludeSpec {
  /** Null when the tag's attributes did not parse (the include fails as refused). */
  src: string | null;
  alt: string | null;
  continueOnError: boolean;
  timeoutMs: number | null;
  /** `rank="visitor"`: the body is a candidate document, ranked instead of inserted verbatim. */
  rank?: RankSpec | null;
  /** Where the variables of the URL whose body is inserted are recorded (experiment exposure). */
  exposure?: { tracker: ExposureTracker; guards: readonly Guard[]; slot: string | null };
}

export function includeSpec(attributes: ReadonlyMap<string, string> | null, problem: (message: string) => void): IncludeSpec {
  // The usual include has `src` alone: one lookup instead of six (each a native call the guest's
  // interpreter pays ~0.5 µs for, plus the ranking attributes' own function).
  if (attributes !== null && attributes.size === 1) {
    const src = attributes.get('src');
    if (src !== undefined) return { src, alt: null, continueOnError: false, timeoutMs: null, rank: null };
  }
  if (attributes === null) problem('esi:include attributes do not parse: refused');
  const src = attributes?.get('src') ?? null;
  const raw = attributes?.get('timeout');
  const timeoutMs = raw === undefined ? null : parseTimeout(raw);
  if (raw !== undefined && timeoutMs === null) problem('esi:include timeout is not a number of milliseconds: ignored');
  return { src, alt: attributes?.get('alt') ?? null, continueOnError: attributes?.get('onerror') === 'continue', timeoutMs, rank: rankSpecOf(attributes) };
}

const DIGITS = /^[0-9]{1,6}$/;

function parseTimeout(raw: string): number | null {
  if (!DIGITS.test(raw)) return null;
  const value = Number(raw);
  return value >= 1 && value <= MAX_TIMEOUT_MS ? value : null;
}
