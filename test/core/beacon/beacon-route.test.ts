import { describe, expect, it } from 'vitest';
import { beaconJson, clickstreamLines, makeDeps, postBeacon, signedVid, LOG_SECRET } from './make-deps.ts';
import { importHmacKey, pseudonym } from '../../../src/core/log/pseudonym.ts';
import { readSession } from '../../../src/core/visitor/session-cookie.ts';
import { signingKey } from '../visitor/signing-key.ts';
import { COOKIE_SECRET } from './make-deps.ts';

const VISITOR = 'u00042';

describe('POST /__beacon', () => {
  it('answers 204 and logs one clickstream event for a valid click', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson() });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(deps.lines.map((l) => l.endpoint)).toEqual(['clickstream']);
    expect(clickstreamLines(deps)[0]).toMatchObject({
      v: 2, requestId: 'req-beacon-1', type: 'click', slot: 'recs', item: 'sku-1017', page: '/product/shoes/sku-1017',
      segment: null, variants: {}, consent: 'denied', visitor: null, attribution: 'none',
    });
    expect(deps.backendCalls).toBe(0);
  });

  it('accepts text/plain;charset=UTF-8 as navigator.sendBeacon sends a string', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson({ type: 'impression' }), contentType: 'text/plain;charset=UTF-8' });
    expect(response.status).toBe(204);
    expect(clickstreamLines(deps)[0]).toMatchObject({ type: 'impression' });
  });

  it('drops the query and fragment of the page and normalizes its path', async () => {
    const deps = makeDeps();
    await postBeacon(deps, { body: beaconJson({ page: '/category/./running/?email=a@b.example#top' }) });
    expect(clickstreamLines(deps)[0]?.page).toBe('/category/running/');
  });

  it('carries the pseudonym and an assigned variant with consent and a valid vid', async () => {
    const deps = makeDeps();
    const cookie = `consent=personalization,analytics; vid=${await signedVid(VISITOR)}`;
    await postBeacon(deps, { body: beaconJson({ type: 'impression' }), cookie });
    const event = clickstreamLines(deps)[0]!;
    expect(event.consent).toBe('granted');
    expect(event.visitor).toBe(await pseudonym(await importHmacKey(LOG_SECRET), VISITOR));
    expect(JSON.stringify(event)).not.toContain(VISITOR);
  });

  it('logs a visitor without a vid anonymously and mints no id', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson({ type: 'impression' }), cookie: 'consent=personalization' });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(clickstreamLines(deps)[0]).toMatchObject({ consent: 'granted', visitor: null, variants: {} });
  });

  it('logs a Sec-GPC visitor anonymously even with a valid vid', async () => {
    const deps = makeDeps();
    const cookie = `consent=personalization; vid=${await signedVid(VISITOR)}`;
    await postBeacon(deps, { body: beaconJson(), cookie, headers: { 'sec-gpc': '1' } });
    expect(clickstreamLines(deps)[0]).toMatchObject({ consent: 'gpc', visitor: null });
  });

  it('ignores a tampered vid', async () => {
    const deps = makeDeps();
    const vid = await signedVid(VISITOR);
    await postBeacon(deps, { body: beaconJson(), cookie: `consent=personalization; vid=u00043${vid.slice(6)}` });
    expect(clickstreamLines(deps)[0]?.visitor).toBeNull();
  });

  it('never takes a segment from the body, and never recomputes one without the page token', async () => {
    const deps = makeDeps({ mobile: true });
    const response = await postBeacon(deps, { body: beaconJson({ segment: 'vip' }) });
    expect(response.status).toBe(400);
    await postBeacon(deps, { body: beaconJson() });
    expect(clickstreamLines(deps).map((e) => e.segment)).toEqual([null]);
  });

  it('moves the clicked category to the front of the sess cookie on a recommendation click', async () => {
    const deps = makeDeps();
    const cookie = `consent=personalization; vid=${await signedVid(VISITOR)}`;
    const response = await postBeacon(deps, { body: beaconJson({ page: '/product/jackets/sku-1025' }), cookie });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sess=.+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    const value = setCookie.slice('sess='.length, setCookie.indexOf(';'));
    expect(await readSession(await signingKey(COOKIE_SECRET), value, VISITOR)).toEqual(['jackets']);
  });

  it.each([
    { name: 'an impression', body: { type: 'impression' }, cookie: 'consent=personalization' },
    { name: 'a click outside recommendations', body: { slot: 'hero' }, cookie: 'consent=personalization' },
    { name: 'a recommendation click without consent', body: {}, cookie: '' },
    { name: 'a recommendation click on a page without a category', body: { page: '/' }, cookie: 'consent=personalization' },
  ])('sets no session cookie for $name', async ({ body, cookie }) => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson(body), cookie });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a cross-site beacon by Fetch Metadata and logs nothing', async () => {
    const deps = makeDeps();
    const response = await postBeacon(deps, { body: beaconJson(), headers: { 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(403);
    expect(deps.lines).toEqual([]);
  });

  it('still answers 204 with no pseudonym when the log hash key is missing', async () => {
    const deps = makeDeps({ secrets: { log_hash_key: null } });
    const cookie = `consent=personalization; vid=${await signedVid(VISITOR)}`;
    const response = await postBeacon(deps, { body: beaconJson(), cookie });
    expect(response.status).toBe(204);
    expect(clickstreamLines(deps)[0]?.visitor).toBeNull();
  });

  it('answers 405 to GET /__beacon', async () => {
    const deps = makeDeps();
    const request = new Request('https://shop.example/__beacon');
    const { createHandler } = await import('../../../src/core/handler.ts');
    const response = await createHandler(deps)(request, { clientAddress: '192.0.2.7', requestId: 'r', waitUntil: () => undefined });
    expect(response.status).toBe(405);
  });
});
