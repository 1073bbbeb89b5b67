/**
 * Web cache poisoning through unkeyed inputs (Kettle 2018, "Practical Web Cache Poisoning"): a
 * sweep of request header names and query parameter names (Hackmanit WCVS wordlists), each carrying
 * a unique marker on an attack request against a reflecting origin, then a clean request on the same
 * key; plus spoofed platform headers, which must change nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockStack, type MockStack } from './support/mock-stack.ts';
import { goldProfiles, reflectingFragment, reflectingTemplate } from './support/reflecting-origin.ts';
import { get, inBatches } from './support/http-client.ts';

const SOURCE = 'Kettle 2018, Practical Web Cache Poisoning; Hackmanit WCVS wordlists';
/** Names that would make the attack request itself invalid HTTP (framing, connection management). */
const FRAMING = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection']);

function wordlist(file: string): string[] {
  return readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8').split('\n').map((line) => line.trim()).filter(Boolean);
}

const headerNames = wordlist('unkeyed-headers.txt').filter((name) => !FRAMING.has(name.toLowerCase()));
const paramNames = wordlist('unkeyed-params.txt');
const run = Math.random().toString(36).slice(2, 8);
const marker = (kind: string, index: number): string => `mk${kind}${index}z${run}`;

let stack: MockStack;
beforeAll(async () => {
  stack = await startMockStack({ handlers: { templates: reflectingTemplate, fragments: reflectingFragment, profiles: goldProfiles } });
});
afterAll(async () => {
  await stack.close();
});

function originSaw(text: string): boolean {
  return Object.values(stack.origins).some((origin) => origin.requests.some((r) => JSON.stringify(r).includes(text)));
}

describe(`unkeyed inputs (source: ${SOURCE})`, () => {
  it(`never lets any of ${headerNames.length} request headers reach the origin or a clean response on the same key`, async () => {
    expect(headerNames.length).toBeGreaterThanOrEqual(300);
    const attacks = await inBatches(headerNames, 32, (name, i) => get(stack.url(`/sweep/h/${i}`), { [name]: marker('h', i) }).catch(() => null));
    const clean = await inBatches(headerNames, 32, (_name, i) => get(stack.url(`/sweep/h/${i}`)));
    expect(attacks.filter((r) => r?.status === 200).length).toBeGreaterThan(headerNames.length * 0.9);
    const poisoned = headerNames.filter((_name, i) => clean[i]?.body.includes(marker('h', i)));
    const forwarded = headerNames.filter((_name, i) => originSaw(marker('h', i)));
    expect(clean.every((r) => r.status === 200 && r.body.includes('class="fragment"'))).toBe(true);
    expect({ poisoned, forwarded }).toEqual({ poisoned: [], forwarded: [] });
  });

  it(`keys every one of ${paramNames.length} query parameters it forwards, and forwards none it does not key`, async () => {
    const path = (name: string): string => `/sweep/p/${encodeURIComponent(name)}`;
    const attacks = await inBatches(paramNames, 32, (name, i) => get(stack.url(`${path(name)}?${encodeURIComponent(name)}=${marker('p', i)}`)));
    const clean = await inBatches(paramNames, 32, (name) => get(stack.url(path(name))));
    expect(attacks.every((r) => r.status === 200)).toBe(true);
    const poisoned = paramNames.filter((_name, i) => clean[i]?.body.includes(marker('p', i)));
    expect(poisoned).toEqual([]);
    // Tracking parameters are unkeyed, so they must never be forwarded either.
    const tracking = paramNames.map((name, i) => ({ name, i })).filter(({ name }) => /^(utm_|gclid$|fbclid$)/i.test(name));
    expect(tracking.length).toBeGreaterThan(0);
    expect(tracking.filter(({ i }) => originSaw(marker('p', i))).map(({ name }) => name)).toEqual([]);
    // A keyed parameter does reach the origin and the page: the reflection is live, so the sweep can fail.
    expect(attacks[0]?.body).toContain(`q=${marker('p', 0)}`);
  });
});

const SPOOFS: Array<{ name: string; headers: Record<string, string> }> = [
  { name: 'Fastly-Client-IP', headers: { 'fastly-client-ip': '::1' } },
  { name: 'X-Forwarded-For', headers: { 'x-forwarded-for': '::1' } },
  { name: 'X-Real-IP and True-Client-IP', headers: { 'x-real-ip': '::1', 'true-client-ip': '::1' } },
  { name: 'X-Geo-* headers', headers: { 'x-geo-country': 'KP', 'x-geo-region': 'apac', 'x-geo-city': 'Pyongyang', 'x-geo-continent': 'AS' } },
  { name: 'X-Segment', headers: { 'x-segment': 'vip' } },
  { name: 'X-Device and X-Consent', headers: { 'x-device': 'mobile', 'x-consent': 'personalization', 'x-visitor-id': 'u00042' } },
  { name: 'Fastly-Geo and Fastly-Debug', headers: { 'fastly-geo-country': 'US', 'fastly-debug': '1', 'fastly-ff': 'x' } },
];

describe('spoofed platform headers (source: Fastly docs, Fastly-Client-IP "can be spoofed"; Kettle 2018)', () => {
  const contextOf = (body: string): string => /<p class="ctx">([^<]*)<\/p>/.exec(body)?.[1] ?? 'missing';

  it.each(SPOOFS)('changes nothing with a spoofed $name', async ({ name, headers }) => {
    const slug = name.replace(/\W+/g, '-');
    const plain = await get(stack.url(`/spoof/${slug}/plain`));
    const spoofed = await get(stack.url(`/spoof/${slug}/spoofed`), headers);
    expect(contextOf(plain.body)).toMatch(/^seg=general region=\S+ country=GB /);
    expect(contextOf(spoofed.body)).toBe(contextOf(plain.body));
    expect(spoofed.headers['x-personalization']).toEqual(plain.headers['x-personalization']);
    expect(Object.values(headers).some((value) => originSaw(value) && value.length > 3)).toBe(false);
  });
});
