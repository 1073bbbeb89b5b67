import { describe, expect, it } from 'vitest';
import { consentedIdentity } from '../../../src/core/visitor/consented-identity.ts';
import { isVisitorId } from '../../../src/core/visitor/visitor-id.ts';

const STORED = 'v1-stored-visitor';
const base = { keyed: true, analytics: true, vid: null, sess: null, pageCategory: null };

describe('a consenting visitor\'s identity from their verified cookies', () => {
  it.each([
    { name: 'keeps the id of a verified vid', input: { vid: STORED }, id: STORED, minted: false },
    { name: 'mints a fresh id when no vid verified', input: {}, id: 'fresh', minted: true },
    { name: 'has no id and mints none without the signing key', input: { keyed: false, vid: STORED }, id: null, minted: false },
  ])('$name', ({ input, id, minted }) => {
    const identity = consentedIdentity({ ...base, ...input });
    expect(identity.minted).toBe(minted);
    if (id === 'fresh') expect(isVisitorId(identity.id ?? '')).toBe(true);
    else expect(identity.id).toBe(id);
  });

  it.each([
    { name: 'pushes this page onto a verified session, which then changed', input: { vid: STORED, sess: `s2~${STORED}~shoes`, pageCategory: 'running' }, categories: ['running', 'shoes'], changed: true },
    { name: 'leaves a session that already leads with this page unchanged', input: { vid: STORED, sess: `s2~${STORED}~running~shoes`, pageCategory: 'running' }, categories: ['running', 'shoes'], changed: false },
    { name: 'starts from no categories for a session bound to another id', input: { vid: STORED, sess: 's2~another~shoes', pageCategory: 'running' }, categories: ['running'], changed: true },
    { name: 'starts from no categories for a session without a verified vid, even its own id\'s', input: { sess: `s2~${STORED}~shoes`, pageCategory: 'running' }, categories: ['running'], changed: true },
    { name: 'starts from no categories for an old s1 session', input: { vid: STORED, sess: 's1~shoes', pageCategory: 'running' }, categories: ['running'], changed: true },
    { name: 'starts from no categories when the session did not verify', input: { pageCategory: 'running' }, categories: ['running'], changed: true },
    { name: 'never marks the session changed without the signing key, so no cookie is written', input: { keyed: false, pageCategory: 'running' }, categories: ['running'], changed: false },
  ])('$name', ({ input, categories, changed }) => {
    const { session } = consentedIdentity({ ...base, ...input });
    expect(session).toEqual({ categories, changed });
  });

  it('carries the analytics choice through', () => {
    expect(consentedIdentity({ ...base, analytics: false }).analytics).toBe(false);
  });
});
