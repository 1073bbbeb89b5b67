/**
 * Every outcome of a profile lookup against an msw-simulated profile store: answers, failures,
 * garbage, oversized and slow bodies, and the skips that never reach the store.
 */
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../setup/msw-server.ts';
import type { Identity } from '../../../src/core/visitor/identity.ts';
import { createProfileHarness, PROFILE_ROUTE, returning, storeProfile } from './profile-harness.ts';

const json: Record<string, string> = { 'content-type': 'application/json' };

interface GarbageCase {
  name: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  reason: string;
}

describe('lookupProfile against the store', () => {
  it('returns the validated profile as a hit and asks the store with a bare GET', async () => {
    server.use(http.get(PROFILE_ROUTE, ({ params }) => HttpResponse.json(storeProfile(String(params.id)))));
    const harness = createProfileHarness();
    const result = await harness.lookup();
    expect(result).toMatchObject({ outcome: 'hit', reason: null });
    expect(result.profile).toMatchObject({ id: 'u00042', tier: 'gold', affinities: { running: 0.82 } });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(harness.sent).toEqual([
      {
        backend: 'profiles',
        url: 'http://profiles.internal/profiles/u00042',
        method: 'GET',
        headers: { accept: 'application/json' },
        options: { pass: true },
      },
    ]);
  });

  it('returns unknown without a reason when the store answers 404', async () => {
    server.use(http.get(PROFILE_ROUTE, () => HttpResponse.json({ error: 'not found' }, { status: 404 })));
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'unknown', profile: null, reason: null });
  });

  it.each([
    { name: 'a 500', status: 500 },
    { name: 'a 503', status: 503 },
    { name: 'a 204', status: 204 },
    { name: 'a redirect', status: 302 },
  ])('returns error with the status when the store answers $name', async ({ status }) => {
    server.use(http.get(PROFILE_ROUTE, () => new HttpResponse(status === 204 ? null : 'nope', { status })));
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'error', profile: null, reason: `status ${status}` });
  });

  it('returns error when the network fails', async () => {
    server.use(http.get(PROFILE_ROUTE, () => HttpResponse.error()));
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'error', profile: null, reason: 'network error' });
  });

  it('returns timeout well within a second when the store answers after the 50 ms budget', async () => {
    server.use(
      http.get(PROFILE_ROUTE, async () => {
        await delay(2_000);
        return HttpResponse.json(storeProfile());
      }),
    );
    const started = performance.now();
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'timeout', profile: null });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('returns timeout when the backend rejects with its own first-byte timeout', async () => {
    const harness = createProfileHarness({
      fetchBackend: () => Promise.reject(new DOMException('HTTP response timeout', 'NetworkError')),
    });
    const result = await harness.lookup();
    expect(result).toMatchObject({ outcome: 'timeout', reason: 'backend timeout' });
  });

  it('returns timeout within a second when the body drips a byte every 20 ms', async () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    server.use(
      http.get(PROFILE_ROUTE, () => {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            const bytes = new TextEncoder().encode(JSON.stringify(storeProfile()));
            let i = 0;
            timer = setInterval(() => {
              if (i < bytes.length) controller.enqueue(bytes.subarray(i, ++i));
              else controller.close();
            }, 20);
          },
          cancel() {
            clearInterval(timer);
          },
        });
        return new HttpResponse(stream, { headers: json });
      }),
    );
    const started = performance.now();
    const result = await createProfileHarness().lookup();
    clearInterval(timer);
    expect(result).toMatchObject({ outcome: 'timeout', reason: 'body deadline' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each<GarbageCase>([
    { name: 'HTML instead of JSON', headers: { 'content-type': 'text/html' }, body: '<html>oops</html>', reason: 'content type is not JSON' },
    { name: 'no content type', headers: {}, body: JSON.stringify(storeProfile()), reason: 'content type is not JSON' },
    { name: 'truncated JSON', headers: json, body: JSON.stringify(storeProfile()).slice(0, 40), reason: 'body is not JSON' },
    { name: 'invalid UTF-8', headers: json, body: new Uint8Array([0x7b, 0xff, 0x7d]), reason: 'body is not JSON' },
    { name: 'a JSON array', headers: json, body: '[]', reason: 'not an object' },
    { name: 'a numeric tier', headers: json, body: JSON.stringify(storeProfile('u00042', { tier: 3 })), reason: 'tier: wrong type' },
    { name: 'segments as a string', headers: json, body: JSON.stringify(storeProfile('u00042', { segments: 'runner' })), reason: 'segments: wrong type' },
    { name: 'a string affinity', headers: json, body: JSON.stringify(storeProfile('u00042', { affinities: { running: '0.8' } })), reason: 'affinities: wrong type' },
    { name: "another visitor's profile", headers: json, body: JSON.stringify(storeProfile('u00043')), reason: 'id: mismatch' },
    { name: 'no id', headers: json, body: JSON.stringify({ tier: 'gold' }), reason: 'id: missing' },
  ])('returns invalid when the store sends $name', async ({ headers, body, reason }) => {
    server.use(http.get(PROFILE_ROUTE, () => new HttpResponse(body, { headers })));
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'invalid', profile: null, reason });
  });

  it('accepts a +json content type with parameters', async () => {
    server.use(
      http.get(PROFILE_ROUTE, () => new HttpResponse(JSON.stringify(storeProfile()), { headers: { 'content-type': 'application/profile+json; charset=utf-8' } })),
    );
    const result = await createProfileHarness().lookup();
    expect(result.outcome).toBe('hit');
  });

  it('returns too-large for a 10 MB body with its length declared', async () => {
    server.use(http.get(PROFILE_ROUTE, () => new HttpResponse(new Uint8Array(10 * 1024 * 1024).fill(0x20), { headers: json })));
    const result = await createProfileHarness().lookup();
    expect(result).toMatchObject({ outcome: 'too-large', profile: null });
  });

  it('returns too-large for a 10 MB streamed body and stops reading near the 64 KiB cap', async () => {
    let produced = 0;
    server.use(
      http.get(PROFILE_ROUTE, () => {
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (produced >= 10 * 1024 * 1024) return controller.close();
            produced += 16 * 1024;
            controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
          },
        });
        return new HttpResponse(stream, { headers: json });
      }),
    );
    const result = await createProfileHarness({ settings: { profileTimeoutMs: 2_000 } }).lookup();
    expect(result).toMatchObject({ outcome: 'too-large', reason: 'body over 65536 bytes' });
    expect(produced).toBeLessThan(1024 * 1024);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const document = JSON.stringify(storeProfile());
    const padded = document + ' '.repeat(64 * 1024 - document.length);
    server.use(http.get(PROFILE_ROUTE, () => new HttpResponse(padded, { headers: json })));
    const result = await createProfileHarness({ settings: { profileTimeoutMs: 2_000 } }).lookup();
    expect(result.outcome).toBe('hit');
  });

  it('turns a fetchBackend that throws synchronously into an error outcome', async () => {
    const harness = createProfileHarness({
      fetchBackend: () => {
        throw new Error('bug');
      },
    });
    const result = await harness.lookup();
    expect(result).toMatchObject({ outcome: 'error', profile: null });
  });
});

describe('lookupProfile skips', () => {
  it.each([
    { name: 'without consent', identity: { consent: 'denied', withdrawn: false }, reason: 'no-consent' },
    { name: 'under Sec-GPC', identity: { consent: 'gpc', withdrawn: true }, reason: 'no-consent' },
    { name: 'without a visitor id', identity: returning(null), reason: 'no-id' },
    { name: 'for an id minted on this request', identity: { ...returning('u00042'), minted: true }, reason: 'no-id' },
    { name: 'for an id outside the grammar', identity: returning('../admin'), reason: 'invalid-id' },
    { name: 'for an over-long id', identity: returning('a'.repeat(65)), reason: 'invalid-id' },
  ] satisfies Array<{ name: string; identity: Identity; reason: string }>)('skips $name without asking the store', async ({ identity, reason }) => {
    const harness = createProfileHarness();
    const result = await harness.lookup({ identity });
    expect(result).toMatchObject({ outcome: 'skipped', profile: null, reason });
    expect(harness.sent).toHaveLength(0);
  });
});
