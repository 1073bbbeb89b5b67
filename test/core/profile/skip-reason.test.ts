/** The event's `profile.reason` (profile-lookup.ts `skipReason`): only a skip's known reasons are logged. */
import { describe, expect, it } from 'vitest';
import { skipReason } from '../../../src/core/profile/profile-lookup.ts';
import { PROFILE_SKIP_REASONS } from '../../../src/core/log/vocabulary.ts';

describe('skipReason', () => {
  it.each(PROFILE_SKIP_REASONS.map((reason) => ({ reason })))('logs the skip reason $reason', ({ reason }) => {
    expect(skipReason({ outcome: 'skipped', profile: null, reason })).toEqual({ reason });
  });

  it('logs no reason for a skip whose reason is not in the vocabulary, or for any other outcome', () => {
    expect(skipReason({ outcome: 'skipped', profile: null, reason: 'internal error' })).toEqual({});
    expect(skipReason({ outcome: 'skipped', profile: null, reason: null })).toEqual({});
    expect(skipReason({ outcome: 'error', profile: null, reason: 'no-consent' })).toEqual({});
    expect(skipReason({ outcome: 'hit', profile: null, reason: null })).toEqual({});
  });
});
