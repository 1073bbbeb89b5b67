import { describe, expect, it } from 'vitest';
import { resolveVisitorFacts } from '../../../src/core/visitor/visitor-facts.ts';
import { responseCookies } from '../../../src/core/visitor/response-cookies.ts';
import { sessionPayload } from '../../../src/core/visitor/session-cookie.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';
import type { HmacKey } from '../../../src/core/ports.ts';
import { signingKey } from './signing-key.ts';
import { contextInput } from './visitor-facts-fixtures.ts';

const SECRET = 'test-cookie-signing-key-0123456789abcdef';

/** The key with every MAC check counted, whichever way the key offers it. */
function counted(key: HmacKey): { key: HmacKey; checks: () => number } {
  let checks = 0;
  const verifyTextNow = key.verifyTextNow;
  return {
    key: {
      ...key,
      verify: (signature, data) => (checks++, key.verify(signature, data)),
      ...(verifyTextNow ? { verifyTextNow: (mac: string, text: string) => (checks++, verifyTextNow(mac, text)) } : {}),
    },
    checks: () => checks,
  };
}

const ports = [
  { port: 'Web Crypto', key: await signingKey(SECRET) },
  { port: 'node:crypto', key: await nodeCrypto.hmacKey(SECRET) },
];

const key = ports[0]!.key;
const vid42 = await signToken(key, 'u00042');
const vid43 = await signToken(key, 'u00043');
const sess42 = await signToken(key, sessionPayload('u00042', ['shoes', 'hats']));
const sess43 = await signToken(key, sessionPayload('u00043', ['hats']));
const macOf = (token: string): string => token.slice(token.lastIndexOf('.') + 1);
const otherMac = (token: string): string => `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;

/** `id`: the visitor's id, `minted` for a fresh one; `checks`: MAC checks the page made. */
const CASES = [
  { name: 'a vid and the sess bound to its id', vid: vid42, sess: sess42, id: 'u00042', categories: ['shoes', 'hats'], checks: 1 },
  { name: 'a vid alone', vid: vid42, sess: undefined, id: 'u00042', categories: [], checks: 1 },
  { name: 'a sess alone (no vid names anyone)', vid: undefined, sess: sess42, id: 'minted', categories: [], checks: 0 },
  { name: 'a vid whose own MAC is wrong beside the sess bound to its id (the sess proves it)', vid: `u00042.${macOf(vid43)}`, sess: sess42, id: 'u00042', categories: ['shoes', 'hats'], checks: 1 },
  { name: 'a forged vid beside another visitor\'s sess', vid: `u00043.${macOf(vid42)}`, sess: sess42, id: 'minted', categories: [], checks: 1 },
  { name: 'a valid vid beside another visitor\'s sess', vid: vid42, sess: sess43, id: 'u00042', categories: [], checks: 1 },
  { name: 'a vid beside a tampered sess bound to its id', vid: vid42, sess: otherMac(sess42), id: 'u00042', categories: [], checks: 2 },
  { name: 'a forged vid beside a tampered sess bound to its id', vid: `u00042.${macOf(vid43)}`, sess: otherMac(sess42), id: 'minted', categories: [], checks: 2 },
  { name: 'a vid beside a sess whose categories were changed', vid: vid42, sess: `s2~u00042~vip.${macOf(sess42)}`, id: 'u00042', categories: [], checks: 2 },
  { name: 'a vid beside an old s1 sess', vid: vid42, sess: await signToken(key, 's1~shoes~hats'), id: 'u00042', categories: [], checks: 1 },
  { name: 'a vid beside an oversize sess', vid: vid42, sess: `s2~u00042~${'a'.repeat(300)}.${macOf(sess42)}`, id: 'u00042', categories: [], checks: 1 },
  { name: 'the two cookies swapped', vid: sess42, sess: vid42, id: 'minted', categories: [], checks: 1 },
  { name: 'a sess signed under another key', vid: vid42, sess: await signToken(await signingKey('another-key'), sessionPayload('u00042', ['shoes'])), id: 'u00042', categories: [], checks: 2 },
];

describe.each(ports)('the vid and sess cookies with the $port key', ({ key: portKey }) => {
  it.each(CASES)('reads $name', async ({ vid, sess, id, categories, checks }) => {
    const { key: countingKey, checks: made } = counted(portKey);
    const cookie = ['consent=personalization', vid && `vid=${vid}`, sess && `sess=${sess}`].filter(Boolean).join('; ');
    const { input } = contextInput({ signingKey: countingKey, headers: { cookie } });
    const { identity } = await resolveVisitorFacts(input);
    if (identity.consent !== 'granted') throw new Error('consent expected');
    expect(identity.minted).toBe(id === 'minted');
    if (id === 'minted') expect(identity.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    else expect(identity.id).toBe(id);
    expect(identity.session.categories).toEqual(categories);
    expect(made()).toBe(checks);
  });

  it('expires both cookies, checking no MAC, when the visitor withdraws consent', async () => {
    const { key: countingKey, checks } = counted(portKey);
    const { input } = contextInput({ signingKey: countingKey, headers: { cookie: `consent=none; vid=${vid42}; sess=${sess42}` } });
    const cookies = await responseCookies((await resolveVisitorFacts(input)).identity, countingKey);
    expect(cookies.map((c) => c.split(';')[0]!.concat(c.includes('Max-Age=0') ? ' expired' : ''))).toEqual(['vid= expired', 'sess= expired']);
    expect(checks()).toBe(0);
  });
});
