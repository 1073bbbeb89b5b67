/**
 * Validates a `personalization_events` line (docs/contracts.md#decision-event, schema v1) at the collector's boundary
 * into the edge's own `DecisionEvent` type. Unknown fields are ignored (forward compatible);
 * a known field with a wrong type, an unknown closed value or an out-of-range number rejects the line.
 */
import type { DecisionEvent, FragmentEvent } from '../../src/core/log/decision-event.ts';
import { boundedString, duration, integerIn, oneOf, path, pseudonymOrNull, record, SchemaError, timestamp, token, variants } from './field-readers.ts';

import {
  CONSENT_STATES, FRAGMENT_CACHE_STATES, FRAGMENT_OUTCOMES, PAGE_CACHE_STATES, PROFILE_OUTCOMES, TEMPLATE_CACHE_STATES,
} from '../../src/core/log/vocabulary.ts';

export { CONSENT_STATES, FRAGMENT_CACHE_STATES, FRAGMENT_OUTCOMES, PAGE_CACHE_STATES, PROFILE_OUTCOMES, TEMPLATE_CACHE_STATES };
/** The edge caps includes at 24; a few more leaves room for alt fetches being listed. */
const MAX_FRAGMENTS = 64;

export function parseDecisionEvent(value: unknown): DecisionEvent {
  const raw = record(value, 'event');
  if (raw.v !== 1) throw new SchemaError('v must be 1');
  const profile = record(raw.profile, 'profile');
  const template = record(raw.template, 'template');
  const event: DecisionEvent = {
    v: 1,
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
    profile: { outcome: oneOf(profile.outcome, PROFILE_OUTCOMES, 'profile.outcome'), ms: duration(profile.ms, 'profile.ms') },
    template: { cache: oneOf(template.cache, TEMPLATE_CACHE_STATES, 'template.cache'), ms: duration(template.ms, 'template.ms') },
    fragments: fragments(raw.fragments),
    pageCache: oneOf(raw.pageCache, PAGE_CACHE_STATES, 'pageCache'),
    ttfbMs: duration(raw.ttfbMs, 'ttfbMs'),
    totalMs: duration(raw.totalMs, 'totalMs'),
    cpuMs: raw.cpuMs === null ? null : duration(raw.cpuMs, 'cpuMs'),
  };
  if (raw.fragmentsTruncated !== undefined) event.fragmentsTruncated = integerIn(raw.fragmentsTruncated, 1, 1000, 'fragmentsTruncated');
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
