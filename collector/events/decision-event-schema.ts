/**
 * Validates a `personalization_events` line (docs/contracts.md#decision-event, schema v1 or v2) at
 * the collector's boundary into the edge's `DecisionEvent` plus the v2 fields, which a v1 line reads as "nothing exposed, no
 * preview, no token". Unknown fields are ignored (forward compatible); a known field with a wrong
 * type, an unknown closed value or an out-of-range number rejects the line.
 */
import type { DecisionEvent, FragmentEvent } from '../../src/core/log/decision-event.ts';
import { boundedString, duration, flag, integerIn, oneOf, path, pseudonymOrNull, record, SchemaError, timestamp, token, tokenList, variants } from './field-readers.ts';
import {
  CONSENT_STATES, FRAGMENT_CACHE_STATES, FRAGMENT_OUTCOMES, PAGE_CACHE_STATES, PROFILE_OUTCOMES, PROFILE_SKIP_REASONS, TEMPLATE_CACHE_STATES,
} from '../../src/core/log/vocabulary.ts';

export { CONSENT_STATES, FRAGMENT_CACHE_STATES, FRAGMENT_OUTCOMES, PAGE_CACHE_STATES, PROFILE_OUTCOMES, TEMPLATE_CACHE_STATES };

/** v2 lists only enrolled experiments in `variants`, and which of them a rendered part read. */
export interface DecisionRecord extends Omit<DecisionEvent, 'v'> {
  v: 1 | 2;
  /** Experiments whose variable a rendered part read; always empty on a v1 line. */
  exposed: string[];
  /** A QA preview (forced segment or variants): never counts toward an experiment. */
  preview: boolean;
  /** The page's signed decision token, when the page used it. */
  decision: string | null;
}

/** The edge caps includes at 24; a few more leaves room for alt fetches being listed. */
const MAX_FRAGMENTS = 64;

/**
 * The fields every schema version carries: what version-blind counters (the dashboard) read, plus
 * `preview` (a v1 line is never one), so a QA preview never counts toward an experiment arm.
 */
export type DecisionFields = Omit<DecisionRecord, 'v' | 'exposed' | 'preview' | 'decision'> & { preview?: boolean };

/** Decision tokens are short signed strings; anything longer is not one. */
export const MAX_TOKEN_CHARS = 2048;

export function parseDecisionEvent(value: unknown): DecisionRecord {
  const raw = record(value, 'event');
  if (raw.v !== 1 && raw.v !== 2) throw new SchemaError('v must be 1 or 2');
  const profile = record(raw.profile, 'profile');
  const template = record(raw.template, 'template');
  const v2 = raw.v === 2;
  const event: DecisionRecord = {
    v: raw.v,
    ts: timestamp(raw.ts, 'ts'),
    requestId: boundedString(raw.requestId, 'requestId', 128),
    pop: boundedString(raw.pop, 'pop', 64),
    path: path(raw.path, 'path', 2048),
    status: integerIn(raw.status, 100, 599, 'status'),
    segment: token(raw.segment, 'segment'),
    variants: variants(raw.variants, 'variants'),
    consent: oneOf(raw.consent, CONSENT_STATES, 'consent'),
    geo: token(raw.geo, 'geo'),
    device: token(raw.device, 'device'),
    visitor: pseudonymOrNull(raw.visitor, 'visitor'),
    profile: profileFields(profile),
    template: { cache: oneOf(template.cache, TEMPLATE_CACHE_STATES, 'template.cache'), ms: duration(template.ms, 'template.ms') },
    fragments: fragments(raw.fragments),
    pageCache: oneOf(raw.pageCache, PAGE_CACHE_STATES, 'pageCache'),
    ttfbMs: duration(raw.ttfbMs, 'ttfbMs'),
    totalMs: duration(raw.totalMs, 'totalMs'),
    cpuMs: raw.cpuMs === null ? null : duration(raw.cpuMs, 'cpuMs'),
    exposed: v2 && raw.exposed !== undefined ? tokenList(raw.exposed, 'exposed') : [],
    preview: v2 ? flag(raw.preview, 'preview') : false,
    decision: v2 && raw.decision !== undefined && raw.decision !== null ? boundedString(raw.decision, 'decision', MAX_TOKEN_CHARS) : null,
  };
  if (raw.fragmentsTruncated !== undefined) event.fragmentsTruncated = integerIn(raw.fragmentsTruncated, 1, 1000, 'fragmentsTruncated');
  // A 2 MiB template holds at most ~300,000 tags.
  if (raw.esiDropped !== undefined) event.esiDropped = integerIn(raw.esiDropped, 1, 1_000_000, 'esiDropped');
  return event;
}

function fragments(value: unknown): FragmentEvent[] {
  if (!Array.isArray(value) || value.length > MAX_FRAGMENTS) throw new SchemaError(`fragments must be an array of at most ${MAX_FRAGMENTS}`);
  return value.map((item, i) => {
    const raw = record(item, `fragments[${i}]`);
    return {
      src: boundedString(raw.src, `fragments[${i}].src`, 2048),
      outcome: oneOf(raw.outcome, FRAGMENT_OUTCOMES, `fragments[${i}].outcome`),
      ms: duration(raw.ms, `fragments[${i}].ms`),
      cache: oneOf(raw.cache, FRAGMENT_CACHE_STATES, `fragments[${i}].cache`),
    };
  });
}

/**
 * The profile part. `reason` (why a lookup was skipped) is read leniently: a reason this collector
 * does not know, or one on an outcome other than `skipped`, is dropped rather than rejecting the
 * line, so a newer edge's reasons never cost the event.
 */
function profileFields(profile: Record<string, unknown>): DecisionRecord['profile'] {
  const outcome = oneOf(profile.outcome, PROFILE_OUTCOMES, 'profile.outcome');
  const fields: DecisionRecord['profile'] = { outcome, ms: duration(profile.ms, 'profile.ms') };
  const reason = PROFILE_SKIP_REASONS.find((known) => known === profile.reason);
  if (outcome === 'skipped' && reason !== undefined) fields.reason = reason;
  return fields;
}
