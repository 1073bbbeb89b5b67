import { describe, expect, it } from 'vitest';
import { resolveVisitorFacts } from '../../../src/core/visitor/visitor-facts.ts';
import { consentedId } from '../../../src/core/visitor/identity.ts';
import { signToken } from '../../../src/core/visitor/signed-token.ts';
import { sessionPayload } from '../../../src/core/visitor/session-cookie.ts';
import { nodeCrypto } from '../../../src/node-host/node-crypto.ts';
import type { HmacKey } from '../../../src/core/ports.ts';
import { pseudonym } from '../../../src/core/log/pseudonym.ts';
import { signingKey } from './signing-key.ts';
import { contextInput, IPHONE_UA } from './visitor-facts-fixtures.ts';

/** Web Crypto's key (Compute) and the node:crypto port's, whose synchronous check skips the await. */
const keys = await Promise.all(
  [{ port: 'Web Crypto', key: await signingKey() }, { port: 'node:crypto', key: await nodeCrypto.hmacKey('test-cookie-signing-key-0123456789abcdef') }].map(
    async ({ port, key }: { port: string; key: HmacKey }) => ({ port, key, vid: await signToken(key, 'u00042'), sess: await signToken(key, sessionPayload('u00042', ['shoes', 'hats'])) }),
  ),
);

describe.each(keys)('resolveVisitorFacts with the $port key', ({ port, key, vid, sess }) => {
  const CONSENTED = `consent=personalization; vid=${vid}; sess=${sess}`;

  it('reads a consented visitor with a valid vid and sess', async () => {
    const { input } = contextInput({ signingKey: key, headers: { cookie: CONSENTED, 'user-agent': IPHONE_UA, 'accept-language': 'de-AT' } });
    expect(await resolveVisitorFacts(input)).toEqual({
      identity: { consent: 'granted', analytics: false, id: 'u00042', minted: false, session: { categories: ['shoes', 'hats'], changed: false } },
      geo: { country: 'GB', region: 'eu-west' },
      device: 'mobile',
      locale: 'de-DE',
      problems: [],
    });
  });

  it.each([
    { url: 'https://www.example.com:8443/category/hats?x=/category/shoes#/category/bags', category: 'hats' },
    { url: 'http://www.example.com/category/hats/', category: 'hats' },
    { url: 'https://www.example.com/a/../category/hats', category: 'hats' },
    { url: 'https://www.example.com?/category/shoes', category: null },
    { url: 'https://www.example.com/category/ha%74s', category: null },
  ])('reads the page category from the path of $url alone', async ({ url, category }) => {
    const { input } = contextInput({ url, signingKey: key, headers: { cookie: 'consent=personalization' } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toMatchObject({ session: { categories: category === null ? [] : [category] } });
  });

  it('works out the pseudonym of a verified id only, as the log key signs it', async () => {
    const logKey = port === 'node:crypto' ? await nodeCrypto.hmacKey('test-log-key') : await signingKey('test-log-key');
    const valid = contextInput({ signingKey: key, headers: { cookie: CONSENTED } }).input;
    expect((await resolveVisitorFacts({ ...valid, logKey })).idPseudonym).toEqual({ id: 'u00042', pseudonym: await pseudonym(await signingKey('test-log-key'), 'u00042') });
    const forged = contextInput({ signingKey: key, headers: { cookie: `consent=personalization; vid=u00043${vid.slice(6)}` } }).input;
    expect((await resolveVisitorFacts({ ...forged, logKey })).idPseudonym).toBeUndefined();
  });

  it('never signs a pseudonym for an id whose MAC fails', async () => {
    const signed: string[] = [];
    const countingLogKey: HmacKey = {
      sign: (data) => {
        signed.push(new TextDecoder().decode(data));
        return Promise.resolve(new Uint8Array(32));
      },
      verify: () => Promise.resolve(false),
    };
    const forged = contextInput({ signingKey: key, headers: { cookie: `consent=personalization; vid=u00043${vid.slice(6)}` } }).input;
    expect((await resolveVisitorFacts({ ...forged, logKey: countingLogKey })).idPseudonym).toBeUndefined();
    const valid = contextInput({ signingKey: key, headers: { cookie: CONSENTED } }).input;
    expect((await resolveVisitorFacts({ ...valid, logKey: countingLogKey })).idPseudonym?.id).toBe('u00042');
    expect(signed).toEqual(['u00042']);
  });

  it('counts the current category page in this very request', async () => {
    const { input } = contextInput({ url: 'https://www.example.com/product/running/sku-1', signingKey: key, headers: { cookie: CONSENTED } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toMatchObject({ session: { categories: ['running', 'shoes', 'hats'], changed: true } });
  });

  it('mints a new id on the first consented page view', async () => {
    const { input } = contextInput({ signingKey: key, headers: { cookie: 'consent=personalization' } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toMatchObject({ consent: 'granted', minted: true });
    expect(consentedId(context.identity)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it.each([
    { name: 'tampered', cookie: `consent=personalization; vid=u00043${vid.slice(6)}` },
    { name: 'truncated', cookie: `consent=personalization; vid=${vid.slice(0, -1)}` },
    { name: 'duplicated', cookie: `consent=personalization; vid=${vid}; vid=${vid}` },
    { name: 'control-character', cookie: `consent=personalization; vid=${vid}\u0001` },
  ])('treats a $name vid as absent and mints a new one', async ({ cookie }) => {
    const { input } = contextInput({ signingKey: key, headers: { cookie } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toMatchObject({ consent: 'granted', minted: true });
    expect(consentedId(context.identity)).not.toBe('u00042');
  });

  it.each([
    { name: 'no consent cookie in opt-in', headers: { cookie: `vid=${vid}; sess=${sess}` }, consent: 'denied' },
    { name: 'consent=none', headers: { cookie: `consent=none; vid=${vid}; sess=${sess}` }, consent: 'denied' },
    { name: 'Sec-GPC: 1 despite consent', headers: { cookie: CONSENTED, 'sec-gpc': '1' }, consent: 'gpc' },
  ] as Array<{ name: string; headers: Record<string, string>; consent: string }>)('uses no identity and no session with $name', async ({ headers, consent }) => {
    const { input } = contextInput({ url: 'https://www.example.com/category/running', signingKey: key, headers });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toEqual({ consent, withdrawn: true });
  });

  it('personalizes in opt-out mode without a consent cookie', async () => {
    const { input } = contextInput({ signingKey: key, settings: { consentMode: 'opt-out' }, headers: { cookie: `vid=${vid}` } });
    expect(await resolveVisitorFacts(input)).toMatchObject({ identity: { consent: 'granted', id: 'u00042', minted: false } });
  });

  it('has no identity, mints nothing and records a problem without a signing key', async () => {
    const { input } = contextInput({ url: 'https://www.example.com/category/running', signingKey: null, headers: { cookie: CONSENTED } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toEqual({ consent: 'granted', analytics: false, id: null, minted: false, session: { categories: ['running'], changed: false } });
    expect(context.problems.join()).toContain('cookie_signing_key');
  });

  it.each([
    { failure: 'rejects', verify: () => Promise.reject(new Error('key unusable')) },
    { failure: 'throws', verify: (): Promise<boolean> => { throw new Error('key unusable'); } },
    { failure: 'rejects for the session only', verify: (_s: Uint8Array, data: Uint8Array) => (data.length > 6 ? Promise.reject(new Error('key unusable')) : key.verify(_s as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)) },
  ])('reads a key whose verify $failure as invalid cookies, never a failure', async ({ failure, verify }) => {
    const failing = { sign: key.sign, verify };
    const { input } = contextInput({ signingKey: failing, headers: { cookie: CONSENTED } });
    const context = await resolveVisitorFacts(input);
    const keepsId = failure === 'rejects for the session only';
    expect(context.identity).toMatchObject({ consent: 'granted', minted: !keepsId, session: { categories: [], changed: false } });
    if (keepsId) expect(consentedId(context.identity)).toBe('u00042');
  });

  it('reads a key whose synchronous check throws as invalid cookies, never a failure', async () => {
    const failing: HmacKey = { sign: key.sign, verify: key.verify, verifyTextNow: () => { throw new Error('key unusable'); } };
    const { input } = contextInput({ signingKey: failing, headers: { cookie: CONSENTED } });
    const context = await resolveVisitorFacts(input);
    expect(context.identity).toMatchObject({ consent: 'granted', minted: true, session: { categories: [], changed: false } });
  });

  it.each([
    { name: 'a consenting visitor', cookie: CONSENTED },
    { name: 'a visitor without consent', cookie: '' },
  ])('reads the preview link of $name as verified beside the cookies', async ({ cookie }) => {
    const previewKey = port === 'node:crypto' ? await nodeCrypto.hmacKey('test-preview-key') : await signingKey('test-preview-key');
    const token = await signToken(previewKey, 'eyJ2IjoxfQ');
    const { input } = contextInput({ url: `https://www.example.com/?a=1&__preview=${token}`, signingKey: key, headers: { cookie } });
    expect((await resolveVisitorFacts({ ...input, previewKey })).preview).toBe('eyJ2IjoxfQ');
  });

  it.each([
    { name: 'signed with another key', token: async () => signToken(await signingKey('someone-elses-key'), 'eyJ2IjoxfQ') },
    { name: 'tampered with', token: async () => `eyJ2IjoyfQ${(await signToken(key, 'eyJ2IjoxfQ')).slice(10)}` },
    { name: 'oversize', token: async () => signToken(key, 'e'.repeat(2100)) },
  ])('reads no preview from a link $name, and the cookies still verify', async ({ token }) => {
    const { input } = contextInput({ url: `https://www.example.com/?__preview=${await token()}`, signingKey: key, headers: { cookie: CONSENTED } });
    const context = await resolveVisitorFacts({ ...input, previewKey: key });
    expect(context.preview).toBeUndefined();
    expect(consentedId(context.identity)).toBe('u00042');
  });

  it.each([
    { name: 'rejects', verify: () => Promise.reject(new Error('key unusable')) },
    { name: 'throws', verify: (): Promise<boolean> => { throw new Error('key unusable'); } },
  ])('reads no preview when the preview key $name, alone or beside the cookies, and the cookies still verify', async ({ verify }) => {
    const url = `https://www.example.com/?__preview=${await signToken(key, 'eyJ2IjoxfQ')}`;
    const previewKey: HmacKey = { sign: key.sign, verify };
    for (const cookie of [CONSENTED, '']) {
      const { input } = contextInput({ url, signingKey: key, headers: { cookie } });
      const context = await resolveVisitorFacts({ ...input, previewKey });
      expect(context.preview).toBeUndefined();
      expect(consentedId(context.identity)).toBe(cookie === '' ? null : 'u00042');
    }
  });

  it('reads no preview without the preview key, even from a valid link', async () => {
    const { input } = contextInput({ url: `https://www.example.com/?__preview=${await signToken(key, 'eyJ2IjoxfQ')}`, signingKey: key });
    expect((await resolveVisitorFacts(input)).preview).toBeUndefined();
  });

  it.each([
    { name: 'asks for the identity keys once the visitor consents', cookie: CONSENTED, asked: 1, id: 'u00042' },
    { name: 'never asks for the identity keys without consent', cookie: `consent=none; vid=${vid}`, asked: 0, id: null },
  ])('$name', async ({ cookie, asked, id }) => {
    let calls = 0;
    const identityKeys = () => {
      calls++;
      return Promise.resolve({ signingKey: key, logKey: null });
    };
    const { input } = contextInput({ signingKey: null, headers: { cookie } });
    const context = await resolveVisitorFacts({ ...input, identityKeys });
    expect(calls).toBe(asked);
    expect(consentedId(context.identity)).toBe(id);
  });

  it('treats a throwing geolocation lookup as unknown with a problem', async () => {
    const { input } = contextInput({ signingKey: key, geo: 'throw' });
    const context = await resolveVisitorFacts(input);
    expect(context.geo).toEqual({ country: null, region: 'unknown' });
    expect(context.problems).toHaveLength(1);
  });

  it('treats a throwing device lookup as unknown with a problem, and reads the user agent instead', async () => {
    const { input } = contextInput({ signingKey: key, geo: 'throw', headers: { 'user-agent': IPHONE_UA } });
    const context = await resolveVisitorFacts({ ...input, device: () => { throw new Error('lookup failed'); } });
    expect(context.device).toBe('mobile');
    expect(context.problems).toEqual(['geolocation failed: treated as unknown', 'device detection failed: treated as unknown']);
  });

  it('takes the platform device record over the user agent', async () => {
    const { input } = contextInput({ signingKey: key, headers: { 'user-agent': IPHONE_UA }, device: { isMobile: false, isTablet: true, isDesktop: false, isBot: false } });
    expect((await resolveVisitorFacts(input)).device).toBe('tablet');
  });

  it('handles an 8 KB cookie and a 10,000-character Accept-Language on the anonymous path', async () => {
    const { input } = contextInput({ signingKey: key, headers: { cookie: `${CONSENTED}; big=${'x'.repeat(8192)}`, 'accept-language': 'x,'.repeat(5000) } });
    expect(await resolveVisitorFacts(input)).toMatchObject({ identity: { consent: 'denied' }, locale: 'en-US' });
  });

  it('ignores spoofed client headers and asks the platform with the platform address', async () => {
    const plain = contextInput({ signingKey: key, headers: { cookie: CONSENTED, 'user-agent': IPHONE_UA } });
    const spoofed = contextInput({
      signingKey: key,
      headers: {
        cookie: CONSENTED,
        'user-agent': IPHONE_UA,
        'x-forwarded-for': '203.0.113.7',
        'fastly-client-ip': '203.0.113.8',
        'x-real-ip': '203.0.113.9',
        'x-geo-country': 'US',
        'x-geo-region': 'na-west',
        'x-segment': 'vip',
        'x-device': 'bot',
        'x-visitor-id': 'u99999',
        'x-consent': 'gpc',
      },
    });
    const [expected, actual] = await Promise.all([resolveVisitorFacts(plain.input), resolveVisitorFacts(spoofed.input)]);
    expect(actual).toEqual(expected);
    expect(spoofed.recorded).toEqual({ geoCalls: ['192.0.2.10'], deviceCalls: [IPHONE_UA] });
  });
});
