/**
 * A cached profile is read back without being parsed again only under the rules name it was
 * written with (profile-document.ts), so the name must change whenever what `parseProfile` keeps
 * does. This pins the parser's and the profile type's text beside the name: any edit to either
 * fails here until the fingerprint is pinned again, and whoever pins it decides whether
 * `PROFILE_RULES` changes with it (then entries written under the old rules are parsed again).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_RULES } from '../../../src/core/profile/profile-parse.ts';

const PINNED = { rules: 'profile-rules-2', fingerprint: '3380914c40f6f040' };

const SOURCES = ['src/core/profile/profile-parse.ts', 'src/core/profile/profile-entries.ts', 'src/core/profile/profile.ts'];

describe('the profile rules name', () => {
  it('is pinned beside the text of the rules it names', () => {
    const text = SOURCES.map((path) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')).join('\0');
    const fingerprint = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const why = `${SOURCES.join(' or ')} changed: if what parseProfile keeps changed (a field, a cap, a pattern, what is frozen), change PROFILE_RULES; then pin both here`;
    expect({ rules: PROFILE_RULES, fingerprint }, why).toEqual(PINNED);
  });
});
