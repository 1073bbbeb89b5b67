import { describe, expect, it } from 'vitest';
import { beaconJson, clickstreamLines, makeDeps, postBeacon, signedVid, LOG_SECRET, type FakeDeps } from '../beacon/make-deps.ts';
import { importHmacKey, pseudonym } from '../../../src/core/log/pseudonym.ts';
import { profileCacheKey, readCachedProfile, rememberProfile } from '../../../src/core/profile/profile-cache.ts';
import { MemoryEdgeCache } from '../../../src/local-platform/memory-edge-cache.ts';
import type { BackendResponse } from '../../../src/core/ports.ts';
import { asRequest } from '../../../src/core/http/edge-get.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

const VISITOR = 'u00042';

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A profiles backend that records what the edge sends and answers `answer()`. */
function withStore(deps: FakeDeps, answer: () => Promise<BackendResponse>): Sent[] {
  const sent: Sent[] = [];
  deps.fetchBackend = backendPort(async (backend, sentRequest) => {
    const request = asRequest(sentRequest);
    expect(backend).toBe('profiles');
    sent.push({ url: request.url, method: request.method, headers: request.headers, body: await request.json() });
    return answer();
  });
  return sent;
}

const accepted = (): Promise<BackendResponse> => Promise.resolve({ response: new Response('{"applied":1,"duplicates":0}', { status: 202 }), cache: 'PASS' });

async function consented(extra = ''): Promise<string> {
  return `consent=personalization${extra}; vid=${await signedVid(VISITOR)}`;
}

describe('beacon feedback to the profile store', () => {
  it('forwards a consented click of a known visitor to the write path, after the 204', async () => {
    const deps = makeDeps();
    const sent = withStore(deps, accepted);
    const pending: Array<Promise<unknown>> = [];
    const response = await postBeacon(deps, { body: beaconJson({ item: 'sku-1003', page: '/category/running' }), cookie: await consented() }, pending);
    expect(response.status).toBe(204);
    await Promise.all(pending);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: `http://profiles.internal/profiles/${VISITOR}/events`, method: 'POST' });
    expect(sent[0]?.headers.get('cookie')).toBeNull();
    expect(sent[0]?.body).toEqual([{ eventId: 'b-req-beacon-1', type: 'click', item: 'sku-1003', category: null, ts: expect.stringMatching(/^\d{4}-/) as unknown }]);
    expect(clickstreamLines(deps)[0]?.profileWrite).toMatchObject({ outcome: 'ok' });
  });

  it('names the category when the click is on the item\'s own product page', async () => {
    const deps = makeDeps();
    const sent = withStore(deps, accepted);
    const pending: Array<Promise<unknown>> = [];
    await postBeacon(deps, { body: beaconJson({ item: 'sku-1017', page: '/product/shoes/sku-1017' }), cookie: await consented() }, pending);
    await Promise.all(pending);
    expect(sent[0]?.body).toMatchObject([{ item: 'sku-1017', category: 'shoes' }]);
  });

  it('drops the visitor\'s cached profile once the write is accepted, so the next page reads the new one', async () => {
    const deps = makeDeps();
    deps.cache = new MemoryEdgeCache();
    withStore(deps, accepted);
    const key = profileCacheKey(await pseudonym(await importHmacKey(LOG_SECRET), VISITOR)) ?? '';
    await rememberProfile(deps.cache, key, VISITOR, { outcome: 'hit', profile: { id: VISITOR } as never, reason: null }, { ttlMs: 60_000, swrMs: 0, unknownTtlMs: 0 });
    expect(await readCachedProfile(deps.cache, key, VISITOR)).not.toBeNull();
    const pending: Array<Promise<unknown>> = [];
    await postBeacon(deps, { body: beaconJson(), cookie: await consented() }, pending);
    await Promise.all(pending);
    expect(await readCachedProfile(deps.cache, key, VISITOR)).toBeNull();
  });

  it.each([
    { name: 'no consent cookie', cookie: async () => `vid=${await signedVid(VISITOR)}`, gpc: false },
    { name: 'analytics consent only', cookie: async () => `consent=analytics; vid=${await signedVid(VISITOR)}`, gpc: false },
    { name: 'consent=none', cookie: async () => `consent=none; vid=${await signedVid(VISITOR)}`, gpc: false },
    { name: 'Sec-GPC: 1 with consent', cookie: () => consented(), gpc: true },
    { name: 'no vid', cookie: () => Promise.resolve('consent=personalization'), gpc: false },
    { name: 'a tampered vid', cookie: async () => `consent=personalization; vid=u00043${(await signedVid(VISITOR)).slice(6)}`, gpc: false },
  ])('writes nothing anywhere for $name', async ({ cookie, gpc }) => {
    const headers: Record<string, string> = gpc ? { 'sec-gpc': '1' } : {};
    const deps = makeDeps();
    deps.cache = new MemoryEdgeCache();
    const sent = withStore(deps, accepted);
    const pending: Array<Promise<unknown>> = [];
    const response = await postBeacon(deps, { body: beaconJson(), cookie: await cookie(), headers }, pending);
    await Promise.all(pending);
    expect(response.status).toBe(204);
    expect(sent).toEqual([]);
    expect(pending).toEqual([]);
    expect(clickstreamLines(deps)[0]?.profileWrite).toBeNull();
  });

  it('writes nothing for an impression, even of a consented visitor', async () => {
    const deps = makeDeps();
    const sent = withStore(deps, accepted);
    await postBeacon(deps, { body: beaconJson({ type: 'impression' }), cookie: await consented() });
    expect(sent).toEqual([]);
    expect(clickstreamLines(deps)[0]?.profileWrite).toBeNull();
  });

  it.each([
    { name: 'a network failure', answer: () => Promise.reject(new Error('connection refused')), outcome: 'error' },
    { name: 'a 503', answer: () => Promise.resolve({ response: new Response('{}', { status: 503 }), cache: 'PASS' as const }), outcome: 'error' },
    { name: 'a 400', answer: () => Promise.resolve({ response: new Response('{}', { status: 400 }), cache: 'PASS' as const }), outcome: 'error' },
    { name: 'no answer at all', answer: () => new Promise<BackendResponse>(() => undefined), outcome: 'timeout' },
  ])('still answers 204 at once when the store gives $name, and counts the write as $outcome', async ({ answer, outcome }) => {
    const deps = makeDeps();
    withStore(deps, answer);
    const pending: Array<Promise<unknown>> = [];
    const response = await postBeacon(deps, { body: beaconJson(), cookie: await consented() }, pending);
    expect(response.status).toBe(204);
    // The write only settles (and its event is emitted) after the 204 is back.
    if (outcome === 'timeout') expect(clickstreamLines(deps)).toEqual([]);
    await Promise.all(pending);
    expect(clickstreamLines(deps)).toHaveLength(1);
    expect(clickstreamLines(deps)[0]?.profileWrite).toMatchObject({ outcome });
  });
});
